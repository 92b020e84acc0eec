import ArgumentParser
import Foundation
import PerennialCore
import PerennialReports
import PerennialIngestion
import PerennialStorage

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import history into the database.",
        subcommands: [ImportOrders.self, ImportEvents.self])
}

struct ImportOrders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "Import an order file (CSV or whitespace log, .gz read transparently); re-importing changes nothing.",
        discussion: """
        Formats:
          online-retail: UCI Online Retail / Online Retail II (InvoiceNo or Invoice, StockCode, Description, Quantity, InvoiceDate, UnitPrice or Price, CustomerID or Customer ID, Country); GBP.
          cdnow: the CDNOW master or sample log of the BTYD papers; USD.
          generic: any orders CSV, one row per line: --map order_id=…,customer_id=…,timestamp=…,unit_price=… (or amount=…), and optionally sku, description, category, quantity, currency, channel, country, kind. Unmapped fields are found by their own name.

        Rows that cannot be read are written with their line number and reason to a quarantine CSV \
        (<file name>.rejected.csv, or --quarantine PATH); the import keeps every valid row.
        """)

    @Argument(help: ArgumentHelp("The order file.", valueName: "file"))
    var file: String

    @OptionGroup var format: FileFormatOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Set the store's time zone for analysis (IANA name, e.g. Europe/London); kept in the database.", valueName: "zone"))
    var timezone: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    struct Result: Encodable {
        var database: String
        var seconds: Double
        var summary: ImportSummary
        var stored: ImportCounts
    }

    func run() async throws {
        if let timezone, StoreCalendar(identifier: timezone) == nil {
            throw ValidationError("--timezone '\(timezone)' is not a known time zone; use an IANA name such as Europe/London.")
        }
        let started = Date()
        // Read the store's currency first when the database exists; create it only once the file reads.
        let existing = database.exists ? try await database.open(create: false) : nil
        let storeCurrency = try await existing?.setting("currency")
        if let storeCurrency, let given = format.currency, given.uppercased() != storeCurrency {
            throw ValidationError("--currency \(given) differs from the store currency \(storeCurrency) of \(database.shown); one store keeps one currency.")
        }
        let reader = try OrderFileReader(path: file, options: try format.importOptions(details: true, storeCurrency: storeCurrency))
        let store: any PerennialStore
        if let existing { store = existing } else { store = try await database.open(create: true) }
        let session = try await store.beginImport(source: file, format: reader.options.format.rawValue)
        var summary = try await reader.pipeline(progress: Terminal.fileProgress(label: "importing \(file)")) { batch in
            try await session.write(batch)
        }
        let counts = try await session.finish()
        Terminal.endProgress()
        if storeCurrency == nil, let code = summary.currency { try await store.setSetting("currency", code) }
        if let timezone { try await store.setSetting("timezone", timezone) }
        summary.ordersInserted = counts.ordersInserted
        summary.linesInserted = counts.linesInserted
        summary.linesUnchanged = counts.linesUnchanged
        let seconds = Date().timeIntervalSince(started)
        if json {
            print(try ReportJSON.encode(Result(database: database.shown, seconds: seconds, summary: summary, stored: counts)))
        } else {
            print(ImportText.summary(summary, counts: counts, database: database.shown, seconds: seconds))
        }
    }
}

/// The text summary of an import.
enum ImportText {
    static func summary(_ s: ImportSummary, counts: ImportCounts?, database: String?, seconds: Double) -> String {
        let currency = Currency(s.currency ?? "USD")
        var out = "Read \(s.path) (\(s.format))" + (database.map { " into \($0)" } ?? "") + " in \(Formatting.decimal(seconds, places: 2)) s\n"
        var table = TextTable(["", ""], leftColumns: [0])
        table.add(["rows read", Formatting.count(s.rowsRead)])
        table.add(["rows accepted", Formatting.count(s.rowsAccepted)])
        table.add(["rows rejected", Formatting.count(s.rowsRejected)])
        table.add(["guest rows (no customer id)", Formatting.count(s.guestRows)])
        table.add(["cancellation rows", Formatting.count(s.cancellationRows)])
        if s.adjustmentRows > 0 { table.add(["adjustment rows", Formatting.count(s.adjustmentRows)]) }
        if s.nonProductRows > 0 { table.add(["fee / non-product rows", Formatting.count(s.nonProductRows)]) }
        if let counts {
            table.add(["orders stored (new)", Formatting.count(counts.ordersInserted)])
            table.add(["lines stored (new)", Formatting.count(counts.linesInserted)])
            table.add(["lines already stored", Formatting.count(counts.linesUnchanged)])
            table.add(["customers (new)", Formatting.count(counts.customersInserted)])
            table.add(["products (new)", Formatting.count(counts.productsInserted)])
        }
        table.add(["gross quantity", Formatting.count(Int(s.grossQuantity))])
        table.add(["gross value (quantity × price)", Formatting.thousandths(s.grossValueMillis) + " " + currency.code])
        // The table's header row is blank: drop it, keeping every figure.
        out += table.render().split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n") + "\n"
        if let first = s.firstTimestamp, let last = s.lastTimestamp {
            out += "  period: \(Formatting.iso(first)) – \(Formatting.iso(last))\n"
        }
        if s.rowsRejected > 0, let path = s.quarantinePath {
            out += "\n\(Formatting.count(s.rowsRejected)) rows were rejected and written to \(path) (line, reason, raw row). First ones:\n"
            for problem in s.sampleProblems { out += "  line \(problem.line): \(problem.reason)\n" }
        }
        return out
    }
}
