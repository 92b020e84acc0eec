/// Per-customer predictions of a fitted model over a calibration summary.
public struct CustomerScores: Sendable {
    /// Customer index (into the table) of each row, as in the summary.
    public var customers: [Int32] = []
    /// Repeat purchases x, as in the summary.
    public var frequency: [Double] = []
    /// P(alive).
    public var probabilityAlive: [Double] = []
    /// Expected purchases over the horizon.
    public var expectedPurchases: [Double] = []
    /// Expected value of a future transaction (empty without a spend model).
    public var expectedSpend: [Double] = []
    /// Discounted lifetime value over the CLV months (empty without a spend model).
    public var lifetimeValue: [Double] = []

    /// Scores every customer of a summary (with ``ModelScoring``).
    /// - Parameters:
    ///   - horizon: the prediction horizon in the model's time units.
    ///   - months: CLV horizon in months; `monthlyDiscount` its monthly discount rate.
    public init(model: FittedModel, summary: CalibrationSummary, horizon: Double, months: Int = 12,
                monthlyDiscount: Double = 0.01, margin: Double = 1) {
        customers = summary.customers
        frequency = summary.frequency
        let scores = ModelScoring.score(model: model, frequency: summary.frequency, recency: summary.recency, age: summary.age,
                                        averageSpend: summary.averageSpend, horizon: horizon, months: months,
                                        monthlyDiscount: monthlyDiscount, margin: margin)
        probabilityAlive = scores.probabilityAlive
        expectedPurchases = scores.expectedPurchases
        expectedSpend = scores.expectedSpend
        lifetimeValue = scores.lifetimeValue
    }
}
