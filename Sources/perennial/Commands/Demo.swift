import ArgumentParser
import Foundation
import PerennialCore
import PerennialGenerator
import PerennialIngestion
import PerennialStorage

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a sample store, import it into a SQLite file and print its lifecycle summary.",
        discussion: """
        Generates a synthetic store (see `perennial generate`), imports it into perennial-demo.db (your own
        perennial.db is never touched) and prints the same summary as `perennial analyze`. Afterwards try:
          perennial customers --db perennial-demo.db --stage declining
          perennial customer 100007 --db perennial-demo.db
        """)

    @Option(help: "Customers in the sample store.")
    var customers: Int = 5_000

    @Option(help: "The random seed.")
    var seed: UInt64 = 7

    @Option(help: ArgumentHelp("The database to build (replaced if it exists).", valueName: "path"))
    var db: String = "perennial-demo.db"

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() async throws {
        let csv = db + ".orders.csv"
        let config = StoreGeneratorConfig(customers: customers, seed: seed)
        let generated = try Generate.write(config: config, to: csv)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let store = try SQLiteOrderStore(path: db)
        let reader = try OrderFileReader(path: csv, options: ImportOptions(format: .generic, quarantinePath: db + ".rejected.csv"))
        let session = try await store.beginImport(source: csv, format: "generic")
        _ = try await reader.pipeline { batch in try await session.write(batch) }
        let counts = try await session.finish()
        try await store.setSetting("currency", config.currency.code)
        try await store.setSetting("timezone", "Asia/Shanghai")
        try? FileManager.default.removeItem(atPath: csv)
        Terminal.note("demo: generated \(Formatting.count(generated.lines)) order lines for \(Formatting.count(generated.customers)) customers and imported \(Formatting.count(counts.ordersInserted)) orders into \(db)")
        guard let table = try await store.loadTransactions() else { throw ValidationError("the demo store is empty.") }
        let report = LifecycleAnalysis.run(table, options: AnalysisOptions(calendar: StoreCalendar(identifier: "Asia/Shanghai")!))
        let origin = "\(db): \(Formatting.count(table.orderCount)) orders (synthetic, seed \(seed))"
        if json {
            print(try ReportJSON.encode(ReportJSON.analysis(report, source: origin)))
        } else {
            print(ReportText.analysis(report, source: origin, asOfNote: " (the day after the last order)"))
            print("Next: perennial customers --db \(db) --stage declining   ·   perennial customer 100007 --db \(db)")
        }
    }
}
