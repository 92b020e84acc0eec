import ArgumentParser
import Foundation
import PerennialCore
import PerennialReports
import PerennialModels
import PerennialStorage

struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-customer P(alive), expected purchases, expected spend and lifetime value from the fitted model.",
        discussion: """
        Uses the model saved by `perennial fit` (BG/NBD is fitted first when there is none). Histories run to \
        the as-of day (the last order's day by default):
          perennial predict --horizon 90d
          perennial predict --horizon 52w --json
        """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("How far ahead: a number with d (days), w (weeks) or m (months), e.g. 90d, 52w, 6m.", valueName: "span"))
    var horizon: String = "90d"

    @Option(help: "Months of lifetime value.")
    var clvMonths: Int = 12

    @Option(help: "Monthly discount rate of lifetime value (0.01 = 1% a month).")
    var discountRate: Double = 0.01

    @Option(help: "Profit margin applied to spend in lifetime value (1 = revenue).")
    var margin: Double = 1

    @Option(help: "Sort by clv, churn-risk, expected-purchases or id.")
    var sort: SortKey = .clv

    @Option(help: "At most this many customers (text defaults to 20; JSON to all).")
    var limit: Int?

    @Flag(help: "Print a JSON array: customer_id, p_alive, churn_risk, expected_purchases, expected_spend, clv.")
    var json = false

    enum SortKey: String, ExpressibleByArgument, CaseIterable {
        case clv, churnRisk = "churn-risk", expectedPurchases = "expected-purchases", id
    }

    /// A span in days.
    static func days(_ text: String) -> Double? {
        guard let unit = text.last, let value = Double(text.dropLast()), value > 0 else { return nil }
        switch unit {
        case "d": return value
        case "w": return value * 7
        case "m": return value * 30.4375
        default: return nil
        }
    }

    func validate() throws {
        if Self.days(horizon) == nil { throw ValidationError("--horizon '\(horizon)' is not a span like 90d, 52w or 6m.") }
        if clvMonths < 1 { throw ValidationError("--clv-months must be at least 1.") }
        if discountRate < 0 || discountRate >= 1 { throw ValidationError("--discount-rate must be in [0, 1), a monthly rate such as 0.01.") }
    }

    struct Row: Encodable {
        var customer_id: String
        var p_alive: Double
        var churn_risk: Double
        var expected_purchases: Double
        var expected_spend: Double?
        var clv: Double?
    }

    func run() async throws {
        let store = try await database.open(create: false)
        guard let table = try await store.loadTransactions() else { throw ValidationError("the database holds no orders yet.") }
        let calendar = StoreCalendar(identifier: try await store.setting("timezone") ?? "UTC") ?? .utc
        let model = try await ModelLoader.latestOrFit(store: store, table: table, calendar: calendar)
        let scored = ModelLoader.score(model: model, table: table, calendar: calendar, horizonDays: Self.days(horizon)!,
                                       months: clvMonths, discount: discountRate, margin: margin)
        var rows = scored.indices.map { i in
            Row(customer_id: table.customerIDs[Int(scored.customers[i])], p_alive: scored.probabilityAlive[i],
                churn_risk: 1 - scored.probabilityAlive[i], expected_purchases: scored.expectedPurchases[i],
                expected_spend: scored.expectedSpend.isEmpty ? nil : scored.expectedSpend[i],
                clv: scored.lifetimeValue.isEmpty ? nil : scored.lifetimeValue[i])
        }
        switch sort {
        case .clv: rows.sort { ($0.clv ?? 0, $1.customer_id) > ($1.clv ?? 0, $0.customer_id) }
        case .churnRisk: rows.sort { ($0.churn_risk, $1.customer_id) > ($1.churn_risk, $0.customer_id) }
        case .expectedPurchases: rows.sort { ($0.expected_purchases, $1.customer_id) > ($1.expected_purchases, $0.customer_id) }
        case .id: rows.sort { $0.customer_id < $1.customer_id }
        }
        let page = Array(rows.prefix(limit ?? (json ? rows.count : 20)))
        if json {
            print(try ReportJSON.encode(page))
            return
        }
        print("\(FitText.names[model.purchase.model] ?? model.purchase.model) fitted to \(model.calibrationEnd); horizon \(horizon); CLV over \(clvMonths) months at \(discountRate * 100)% a month; money in \(table.currency.code)")
        var text = TextTable(["customer", "P(alive)", "churn risk", "purchases", "spend", "CLV"])
        for row in page {
            text.add([row.customer_id, Formatting.percent(row.p_alive), Formatting.percent(row.churn_risk),
                      Formatting.decimal(row.expected_purchases, places: 2),
                      row.expected_spend.map { Formatting.decimal($0, places: 2) } ?? "-", row.clv.map { Formatting.decimal($0, places: 2) } ?? "-"])
        }
        print(text.render(indent: ""))
        if page.count < rows.count { print("… \(Formatting.count(rows.count - page.count)) more; use --limit N or --json.") }
    }
}

/// Finding the model to score with, and scoring.
enum ModelLoader {
    /// The latest saved model, or a BG/NBD fit on the whole history (saved) when there is none.
    static func latestOrFit(store: any OrderStore, table: TransactionTable, calendar: StoreCalendar) async throws -> FittedModel {
        if let (model, _) = try await store.latestModel() { return model }
        Terminal.note("no fitted model in the database yet: fitting BG/NBD and Gamma-Gamma on the whole history (perennial fit chooses others)")
        let end = calendar.date(of: table.orderTime.max() ?? 0)
        let summary = CalibrationSummary(table: table, calibrationEnd: end, calendar: calendar, unitDays: 7)
        let model = FittedModel(purchase: BGNBD.fit(summary.histories),
                                spend: GammaGamma.fit(frequency: summary.frequency, averageSpend: summary.averageSpend),
                                unitDays: 7, calibrationEnd: end.description)
        try await store.saveModel(model, fittedAt: Int64(Date().timeIntervalSince1970))
        return model
    }

    /// Scores every customer on their history up to the last order's day.
    static func score(model: FittedModel, table: TransactionTable, calendar: StoreCalendar, horizonDays: Double,
                      months: Int, discount: Double, margin: Double) -> CustomerScores {
        let end = calendar.date(of: table.orderTime.max() ?? 0)
        let summary = CalibrationSummary(table: table, calibrationEnd: end, calendar: calendar, unitDays: model.unitDays)
        return CustomerScores(model: model, summary: summary, horizon: horizonDays / model.unitDays, months: months,
                              monthlyDiscount: discount, margin: margin)
    }
}

/// A saved model's predictions for every customer, by id.
struct Predictions {
    /// 90-day purchases, spend and 12-month CLV at 1% a month, by customer id.
    var byCustomer: [String: CustomerPrediction]
    /// P(alive) by table customer index for lifecycle stages (see `StorePredictions.aliveForStages`).
    var aliveForStages: [Double]?
}

extension ModelLoader {
    /// The saved model's predictions, when the database has one; `nil` otherwise.
    static func predictions(database: DatabaseOptions, table: TransactionTable, storeTimeZone: String?) async throws -> Predictions? {
        let store = try await database.open(create: false)
        guard let (model, _) = try await store.latestModel() else { return nil }
        let calendar = StoreCalendar(identifier: storeTimeZone ?? "UTC") ?? .utc
        let scored = StorePredictions(model: model, table: table, calendar: calendar, end: calendar.date(of: table.orderTime.max() ?? 0))
        var result: [String: CustomerPrediction] = [:]
        for (customer, prediction) in scored.byCustomer.enumerated() {
            if let prediction { result[table.customerIDs[customer]] = prediction }
        }
        if model.purchase.reachedBoundary {
            Terminal.note("stages use the silence rules: the saved \(model.purchase.model) fit went to the edge of its range, so its P(alive) cannot tell who is slipping away")
        }
        return Predictions(byCustomer: result, aliveForStages: scored.aliveForStages)
    }
}

extension CustomerScores {
    var indices: Range<Int> { 0..<customers.count }
}
