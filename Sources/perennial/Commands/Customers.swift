import ArgumentParser
import PerennialCore
import PerennialReports

struct Customers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One row (or JSON object) per customer: orders, revenue, recency, RFM scores, segment and stage.",
        discussion: """
        perennial customers --json prints a JSON array; each object has customer_id, first_order, last_order, \
        orders, revenue, average_order_value, recency_days, tenure_days, mean_days_between_orders, \
        median_days_between_orders, orders_per_month, r, f, m, rfm_segment and stage; once a model is fitted \
        (perennial fit), also p_alive, churn_risk, expected_purchases_90d, expected_spend and clv_12m.
        """)

    @Argument(help: ArgumentHelp("An order file to read instead of the database.", valueName: "file"))
    var file: String?

    @OptionGroup var format: FileFormatOptions
    @OptionGroup var analysis: AnalysisFlags
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Only customers in this stage (potential, new, active, loyal, declining, churned).")
    var stage: LifecycleStage?

    @Option(help: "Only customers in this RFM segment (champions, loyal, potential_loyalist, new, promising, need_attention, about_to_sleep, at_risk, cant_lose, hibernating, lost).")
    var segment: RFMSegment?

    @Option(help: "Sort by revenue, orders, recency or id.")
    var sort: SortKey = .revenue

    @Option(help: "At most this many customers (text output defaults to 50; JSON to all).")
    var limit: Int?

    @Flag(help: "Print a JSON array instead of a table.")
    var json = false

    enum SortKey: String, ExpressibleByArgument, CaseIterable {
        case revenue, orders, recency, id
    }

    func run() async throws {
        let loaded = try await TableLoader.load(file: file, format: format, database: database)
        // A saved model places customers in stages by P(alive) (docs/ANALYTICS.md) and adds predictions.
        let predictions = file == nil ? try await ModelLoader.predictions(database: database, table: loaded.table, storeTimeZone: loaded.storeTimeZone) : nil
        var options = try analysis.options(storeTimeZone: loaded.storeTimeZone)
        options.probabilityAlive = predictions?.aliveForStages
        let report = LifecycleAnalysis.run(loaded.table, options: options)
        var profiles = report.profiles.filter { (stage == nil || $0.stage == stage) && (segment == nil || $0.segment == segment) }
        switch sort {
        case .revenue: profiles.sort { ($0.revenueMinor, $1.customerID) > ($1.revenueMinor, $0.customerID) }
        case .orders: profiles.sort { ($0.summary?.orders ?? 0, $1.customerID) > ($1.summary?.orders ?? 0, $0.customerID) }
        case .recency: profiles.sort { ($0.summary?.recencyDays ?? Int.max, $0.customerID) < ($1.summary?.recencyDays ?? Int.max, $1.customerID) }
        case .id: profiles.sort { $0.customerID < $1.customerID }
        }
        let shown = limit ?? (json ? profiles.count : 50)
        let page = Array(profiles.prefix(max(0, shown)))
        if json {
            var objects = page.map { ReportJSON.customer($0, report.currency) }
            if let predictions {
                for i in objects.indices { objects[i].fill(predictions.byCustomer[objects[i].customer_id]) }
            }
            print(try ReportJSON.encode(objects))
            return
        }
        var headers = ["customer", "orders", "revenue", "recency", "R", "F", "M", "segment", "stage"]
        if predictions != nil { headers += ["P(alive)", "CLV 12m"] }
        var table = TextTable(headers, leftColumns: [0, 7, 8])
        for p in page {
            let recency: String = p.summary.map { "\($0.recencyDays)d" } ?? "-"
            let scores: [String] = p.rfm.map { [String($0.r), String($0.f), String($0.m)] } ?? ["-", "-", "-"]
            var row: [String] = [p.customerID, String(p.summary?.orders ?? 0), Formatting.money(p.revenueMinor, report.currency), recency]
            row += scores
            row += [p.segment?.name ?? "-", p.stage.rawValue]
            if let predictions {
                let prediction = predictions.byCustomer[p.customerID]
                let alive: String = prediction.map { Formatting.percent($0.alive) } ?? "-"
                let clv: String = prediction?.clv.map { Formatting.decimal($0, places: 2) } ?? "-"
                row += [alive, clv]
            }
            table.add(row)
        }
        print(table.render(indent: ""))
        if page.count < profiles.count {
            print("… \(Formatting.count(profiles.count - page.count)) more of \(Formatting.count(profiles.count)); use --limit N or --json.")
        }
    }
}

extension LifecycleStage: ExpressibleByArgument {}
extension RFMSegment: ExpressibleByArgument {}
