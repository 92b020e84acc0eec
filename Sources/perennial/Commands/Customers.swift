import ArgumentParser
import PerennialCore

struct Customers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One row (or JSON object) per customer: orders, revenue, recency, RFM scores, segment and stage.",
        discussion: """
        perennial customers --json prints a JSON array; each object has customer_id, first_order, last_order,
        orders, revenue, average_order_value, recency_days, tenure_days, mean_days_between_orders,
        median_days_between_orders, orders_per_month, r, f, m, rfm_segment and stage; once a model is fitted
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
        let report = LifecycleAnalysis.run(loaded.table, options: try analysis.options(storeTimeZone: loaded.storeTimeZone))
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
            if file == nil, let predictions = try await predictions(loaded.table, storeTimeZone: loaded.storeTimeZone) {
                for i in objects.indices {
                    guard let p = predictions[objects[i].customer_id] else { continue }
                    objects[i].p_alive = p.alive
                    objects[i].churn_risk = 1 - p.alive
                    objects[i].expected_purchases_90d = p.purchases
                    objects[i].expected_spend = p.spend
                    objects[i].clv_12m = p.clv
                }
            }
            print(try ReportJSON.encode(objects))
            return
        }
        var table = TextTable(["customer", "orders", "revenue", "recency", "R", "F", "M", "segment", "stage"], leftColumns: [0, 7, 8])
        for p in page {
            table.add([p.customerID, String(p.summary?.orders ?? 0), Formatting.money(p.revenueMinor, report.currency),
                       p.summary.map { "\($0.recencyDays)d" } ?? "-", p.rfm.map { String($0.r) } ?? "-", p.rfm.map { String($0.f) } ?? "-",
                       p.rfm.map { String($0.m) } ?? "-", p.segment?.name ?? "-", p.stage.rawValue])
        }
        print(table.render(indent: ""))
        if page.count < profiles.count {
            print("… \(Formatting.count(profiles.count - page.count)) more of \(Formatting.count(profiles.count)); use --limit N or --json.")
        }
    }
}

extension Customers {
    /// Model predictions by customer id when the database has a fitted model.
    func predictions(_ table: TransactionTable, storeTimeZone: String?) async throws -> [String: (alive: Double, purchases: Double, spend: Double?, clv: Double?)]? {
        let store = try database.open(create: false)
        guard let (model, _) = try await store.latestModel() else { return nil }
        let calendar = StoreCalendar(identifier: storeTimeZone ?? "UTC") ?? .utc
        let scores = ModelLoader.score(model: model, table: table, calendar: calendar, horizonDays: 90, months: 12, discount: 0.01, margin: 1)
        var result: [String: (alive: Double, purchases: Double, spend: Double?, clv: Double?)] = [:]
        for i in scores.indices {
            result[table.customerIDs[Int(scores.customers[i])]] = (scores.probabilityAlive[i], scores.expectedPurchases[i],
                                                                   scores.expectedSpend.isEmpty ? nil : scores.expectedSpend[i],
                                                                   scores.lifetimeValue.isEmpty ? nil : scores.lifetimeValue[i])
        }
        return result
    }
}

extension LifecycleStage: ExpressibleByArgument {}
extension RFMSegment: ExpressibleByArgument {}
