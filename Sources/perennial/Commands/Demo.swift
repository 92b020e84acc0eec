import ArgumentParser
import Foundation
import PerennialCore
import PerennialReports
import PerennialGenerator
import PerennialIngestion
import PerennialModels
import PerennialServer
import PerennialStorage

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a sample store, import it into a SQLite file and print its lifecycle summary.",
        discussion: """
        Generates a synthetic store (see `perennial generate`), imports it into perennial-demo.db (your own \
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

    @Flag(help: "Then serve the demo store with its dashboard (an analyst key to sign in with is printed).")
    var serve = false

    @Option(help: "The port to serve on with --serve.")
    var port: Int = 8080

    /// Fits BG/NBD and Gamma-Gamma (saved in the store) and lists the valuable customers most likely
    /// lost: revenue to date × churn risk (1 − P(alive)).
    static func atRisk(store: any OrderStore, table: TransactionTable, report: LifecycleReport) async throws -> String {
        let calendar = StoreCalendar(identifier: "Asia/Shanghai")!
        let model = try await ModelLoader.latestOrFit(store: store, table: table, calendar: calendar)
        let scores = ModelLoader.score(model: model, table: table, calendar: calendar, horizonDays: 90, months: 12, discount: 0.01, margin: 1)
        let revenue = Dictionary(uniqueKeysWithValues: report.profiles.map { ($0.customerID, $0.revenueMinor) })
        let p = model.purchase
        var out = "Models: BG/NBD " + zip(p.parameterNames, p.parameters).map { "\($0) \(Formatting.decimal($1, places: 3))" }.joined(separator: ", ")
        out += " (in weeks; the generator drew from r 0.8, alpha 3.571, a 0.6, b 3)\n"
        out += "Valuable customers most likely lost: revenue to date × churn risk\n"
        struct Row { var id: String, alive: Double, revenue: Int64, clv: Double
            var atRisk: Double { Double(revenue) * (1 - alive) } }
        var rows: [Row] = []
        for i in scores.indices {
            let id = table.customerIDs[Int(scores.customers[i])]
            let clv = scores.lifetimeValue.isEmpty ? 0 : scores.lifetimeValue[i]
            rows.append(Row(id: id, alive: scores.probabilityAlive[i], revenue: revenue[id] ?? 0, clv: clv))
        }
        rows.sort { $0.atRisk > $1.atRisk }
        var text = TextTable(["customer", "revenue", "P(alive)", "churn risk", "12-month CLV"])
        for row in rows.prefix(5) {
            text.add([row.id, Formatting.money(row.revenue, table.currency), Formatting.percent(row.alive),
                      Formatting.percent(1 - row.alive), Formatting.decimal(row.clv, places: 2)])
        }
        return out + text.render() + "\n"
    }

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
            print(try await Self.atRisk(store: store, table: table, report: report))
            print("Next: perennial customers --db \(db) --stage declining   ·   perennial customer 100007 --db \(db)   ·   perennial evaluate --db \(db)")
            if !serve { print("See it in the dashboard: perennial demo --serve") }
        }
        guard serve else { return }
        let (key, record) = APIKeys.generate(role: .analyst, label: "demo", now: Int64(Date().timeIntervalSince1970))
        try await store.saveKey(record)
        print("\nDashboard: http://127.0.0.1:\(port)/signin\nSign in with this analyst key (created for the demo): \(key)\n")
        var server = try Serve.parse(["--db", db, "--port", "\(port)"])
        try await server.run()
    }
}
