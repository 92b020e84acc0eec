import PerennialCore

/// One customer's predictions from a fitted model, as profiles show them.
public struct CustomerPrediction: Sendable, Hashable {
    /// P(alive).
    public var alive: Double
    /// Expected purchases in the next 90 days.
    public var purchases: Double
    /// Expected value of a future transaction (major units), with a spend model.
    public var spend: Double?
    /// Discounted 12-month lifetime value at 1% a month (major units), with a spend model.
    public var clv: Double?

    /// Creates a prediction.
    public init(alive: Double, purchases: Double, spend: Double?, clv: Double?) {
        self.alive = alive
        self.purchases = purchases
        self.spend = spend
        self.clv = clv
    }

    /// 1 − P(alive).
    public var churnRisk: Double { 1 - alive }
}

/// A fitted model's predictions for every customer of a table: what profiles, stages and the server
/// read.
public struct StorePredictions: Sendable {
    /// The prediction of each table customer (by customer index); `nil` for customers without a
    /// purchase by the end day.
    public var byCustomer: [CustomerPrediction?]
    /// P(alive) by customer index for lifecycle stages (NaN where the model does not judge the
    /// customer, see ``FittedModel/judgesStage(repeatPurchases:)``); `nil` when the fit reached a
    /// boundary and cannot judge anyone.
    public var aliveForStages: [Double]?

    /// The 90-day horizon, 12 months of CLV at 1% a month, margin 1: the figures of every profile.
    public static let horizonDays = 90.0

    /// Scores every customer on their history up to `end` (inclusive, the store's calendar).
    public init(model: FittedModel, table: TransactionTable, calendar: StoreCalendar, end: CivilDate) {
        let summary = CalibrationSummary(table: table, calibrationEnd: end, calendar: calendar, unitDays: model.unitDays)
        let scores = CustomerScores(model: model, summary: summary, horizon: Self.horizonDays / model.unitDays, months: 12,
                                    monthlyDiscount: 0.01, margin: 1)
        var predictions = [CustomerPrediction?](repeating: nil, count: table.customerCount)
        var alive = [Double](repeating: .nan, count: table.customerCount)
        for i in 0..<scores.customers.count {
            let customer = Int(scores.customers[i])
            predictions[customer] = CustomerPrediction(
                alive: scores.probabilityAlive[i], purchases: scores.expectedPurchases[i],
                spend: scores.expectedSpend.isEmpty ? nil : scores.expectedSpend[i],
                clv: scores.lifetimeValue.isEmpty ? nil : scores.lifetimeValue[i])
            if model.judgesStage(repeatPurchases: scores.frequency[i]) { alive[customer] = scores.probabilityAlive[i] }
        }
        byCustomer = predictions
        aliveForStages = model.purchase.reachedBoundary ? nil : alive
    }
}
