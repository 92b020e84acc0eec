/// Per-customer predictions of a fitted model over a calibration summary.
public struct CustomerScores: Sendable {
    /// Customer index (into the table) of each row, as in the summary.
    public var customers: [Int32] = []
    /// P(alive).
    public var probabilityAlive: [Double] = []
    /// Expected purchases over the horizon.
    public var expectedPurchases: [Double] = []
    /// Expected value of a future transaction (empty without a spend model).
    public var expectedSpend: [Double] = []
    /// Discounted lifetime value over the CLV months (empty without a spend model).
    public var lifetimeValue: [Double] = []

    /// Scores every customer of a summary.
    /// - Parameters:
    ///   - horizon: the prediction horizon in the model's time units.
    ///   - months: CLV horizon in months; `monthlyDiscount` its monthly discount rate.
    /// - Complexity: one evaluation per distinct (x, t_x, T, spend) history.
    public init(model: FittedModel, summary: CalibrationSummary, horizon: Double, months: Int = 12,
                monthlyDiscount: Double = 0.01, margin: Double = 1) {
        struct Key: Hashable { var x, tx, t, m: Double }
        var cache: [Key: (Double, Double, Double?, Double?)] = [:]
        customers = summary.customers
        for i in 0..<summary.customers.count {
            let key = Key(x: summary.frequency[i], tx: summary.recency[i], t: summary.age[i], m: summary.averageSpend[i])
            let value: (Double, Double, Double?, Double?)
            if let known = cache[key] {
                value = known
            } else {
                value = (model.probabilityAlive(x: key.x, tx: key.tx, T: key.t),
                         model.expectedPurchases(t: horizon, x: key.x, tx: key.tx, T: key.t),
                         model.expectedSpend(x: key.x, averageSpend: key.m),
                         model.lifetimeValue(x: key.x, tx: key.tx, T: key.t, averageSpend: key.m, months: months,
                                             monthlyDiscount: monthlyDiscount, margin: margin))
                cache[key] = value
            }
            probabilityAlive.append(value.0)
            expectedPurchases.append(value.1)
            if let spend = value.2 { expectedSpend.append(spend) }
            if let clv = value.3 { lifetimeValue.append(clv) }
        }
    }
}
