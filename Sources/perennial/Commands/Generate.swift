import ArgumentParser
import Foundation
import PerennialCore
import PerennialReports
import PerennialGenerator

struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic store as an orders CSV (read it with --format generic).",
        discussion: """
        Purchases follow the BG/NBD story (heterogeneous rates, dropout after each repeat purchase), order values \
        the Gamma-Gamma spend model; products have categories and skewed popularity; channels are app, \
        mini-program, web and store; a few orders are guest checkouts or later cancelled. The same seed \
        writes the same bytes. Timestamps are UTC; the store trades in local daytime at UTC+8.
          perennial generate --customers 100000 --seed 7 --out store.csv
          perennial import orders store.csv --format generic --timezone Asia/Shanghai
        """)

    @Option(help: "Customers who buy at least once.")
    var customers: Int = 10_000

    @Option(help: "The random seed.")
    var seed: UInt64 = 7

    @Option(help: ArgumentHelp("The CSV file to write ('-' for standard output).", valueName: "path"))
    var out: String = "store.csv"

    @Option(help: ArgumentHelp("The first trading day.", valueName: "YYYY-MM-DD"))
    var start: String = "2024-01-01"

    @Option(help: "Days of trading.")
    var days: Int = 730

    @Option(help: "The currency of prices.")
    var currency: String = "CNY"

    @Option(help: "Share of customers who buy once a year around the same date instead (0–1).")
    var seasonalShare: Double = 0

    func validate() throws {
        if customers < 1 { throw ValidationError("--customers must be at least 1 (got \(customers)).") }
        if days < 1 { throw ValidationError("--days must be at least 1 (got \(days)).") }
        _ = try ModelTimeOptions.day(start, flag: "--start")
        if currency.count != 3 { throw ValidationError("--currency '\(currency)' is not a 3-letter ISO code.") }
        if !(0...1).contains(seasonalShare) { throw ValidationError("--seasonal-share must be between 0 and 1 (got \(seasonalShare)).") }
    }

    func run() async throws {
        var config = StoreGeneratorConfig(customers: customers, seed: seed, start: try ModelTimeOptions.day(start, flag: "--start"), days: days, currency: Currency(currency))
        config.seasonalShare = seasonalShare
        let summary = try Self.write(config: config, to: out)
        Terminal.note("wrote \(out): \(Formatting.count(summary.lines)) lines, \(Formatting.count(summary.orders)) orders, \(Formatting.count(summary.customers)) customers (\(Formatting.count(summary.guestOrders)) guest orders, \(Formatting.count(summary.cancellations)) cancellations)")
    }

    /// Generates a store into a file (or standard output for `-`).
    static func write(config: StoreGeneratorConfig, to path: String) throws -> GeneratorSummary {
        guard let file = path == "-" ? fdopen(STDOUT_FILENO, "w") : fopen(path, "w") else {
            throw ValidationError("cannot write '\(path)': \(String(cString: strerror(errno))).")
        }
        defer { if path == "-" { fflush(file) } else { fclose(file) } }
        return try StoreGenerator(config: config).generate { bytes in
            guard fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count else {
                throw ValidationError("writing '\(path)' failed: \(String(cString: strerror(errno))) (disk full?).")
            }
        }
    }
}
