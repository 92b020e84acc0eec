/// How well a model fitted on a calibration period predicts the holdout period after it.
public struct HoldoutReport: Sendable, Codable, Equatable {
    /// One point of the cumulative tracking series.
    public struct TrackingPoint: Sendable, Codable, Equatable {
        /// Weeks since the calibration end.
        public var week: Int
        /// Actual repeat purchases (purchase days) in the holdout so far.
        public var actual: Double
        /// The model's expectation of the same.
        public var predicted: Double
    }

    enum CodingKeys: String, CodingKey {
        case model, customers, holdoutDays = "holdout_days", actualTotal = "actual_total", predictedTotal = "predicted_total"
        case mae, rmse, bias, tracking, deciles, logLikelihood = "log_likelihood"
    }

    /// One decile of P(alive).
    public struct Decile: Sendable, Codable, Equatable {
        /// Customers in the decile.
        public var customers: Int
        /// Their mean predicted P(alive) at the calibration end.
        public var predictedAlive: Double
        /// The share of them who bought in the holdout (alive for sure).
        public var observedPurchase: Double
        /// Their mean predicted holdout purchases.
        public var predictedPurchases: Double
        /// Their mean actual holdout purchases.
        public var actualPurchases: Double

        enum CodingKeys: String, CodingKey {
            case customers, predictedAlive = "predicted_alive", observedPurchase = "observed_purchase"
            case predictedPurchases = "predicted_purchases", actualPurchases = "actual_purchases"
        }
    }

    /// The model's id.
    public var model: String
    /// Customers evaluated.
    public var customers: Int
    /// The holdout length in days.
    public var holdoutDays: Int
    /// Sum of actual holdout purchases.
    public var actualTotal: Double
    /// Sum of predicted holdout purchases.
    public var predictedTotal: Double
    /// Per-customer mean absolute error of predicted vs actual purchases.
    public var mae: Double
    /// Per-customer root mean squared error of predicted vs actual purchases.
    public var rmse: Double
    /// Mean of predicted − actual (negative: the model under-predicts).
    public var bias: Double
    /// Weekly cumulative holdout purchases, actual vs predicted.
    public var tracking: [TrackingPoint]
    /// P(alive) deciles, lowest first.
    public var deciles: [Decile]
    /// The calibration fit's log-likelihood.
    public var logLikelihood: Double
}

extension HoldoutReport {
    /// Evaluates a fitted model on a summary built with a holdout end.
    /// - Complexity: O(customers × holdout weeks) prediction calls, shared by identical histories.
    public init(model: FittedModel, summary: CalibrationSummary) {
        let unit = model.unitDays
        let n = summary.customers.count
        var predicted = [Double](repeating: 0, count: n)
        var alive = [Double](repeating: 0, count: n)
        let weeks = Int((Double(summary.holdoutLength) / 7).rounded(.up))
        var predictedByWeek = [Double](repeating: 0, count: weeks + 1)
        struct Key: Hashable { var x, tx, t: Double }
        var cache: [Key: (Double, [Double])] = [:]
        for i in 0..<n {
            let key = Key(x: summary.frequency[i], tx: summary.recency[i], t: summary.age[i])
            let value = cache[key] ?? {
                let curve = (0...weeks).map { w in
                    model.expectedPurchases(t: min(Double(w) * 7, Double(summary.holdoutLength)) / unit, x: key.x, tx: key.tx, T: key.t)
                }
                let computed = (model.probabilityAlive(x: key.x, tx: key.tx, T: key.t), curve)
                cache[key] = computed
                return computed
            }()
            alive[i] = value.0
            predicted[i] = value.1[weeks]
            for w in 0...weeks { predictedByWeek[w] += value.1[w] }
        }
        var actualByWeek = [Double](repeating: 0, count: weeks + 1)
        for offset in summary.holdoutDayOffsets {
            let week = min(weeks, (offset + 6) / 7)
            actualByWeek[week] += 1
        }
        for w in 1..<max(1, weeks + 1) { actualByWeek[w] += actualByWeek[w - 1] }
        var absolute = 0.0, squared = 0.0, signed = 0.0
        for i in 0..<n {
            let error = predicted[i] - summary.holdoutPurchases[i]
            absolute += abs(error)
            squared += error * error
            signed += error
        }
        let order = (0..<n).sorted { (alive[$0], $0) < (alive[$1], $1) }
        var deciles: [Decile] = []
        for d in 0..<10 {
            let slice = order[(d * n / 10)..<((d + 1) * n / 10)]
            guard !slice.isEmpty else { continue }
            let count = Double(slice.count)
            deciles.append(Decile(customers: slice.count,
                                  predictedAlive: slice.reduce(0) { $0 + alive[$1] } / count,
                                  observedPurchase: Double(slice.filter { summary.holdoutPurchases[$0] > 0 }.count) / count,
                                  predictedPurchases: slice.reduce(0) { $0 + predicted[$1] } / count,
                                  actualPurchases: slice.reduce(0) { $0 + summary.holdoutPurchases[$1] } / count))
        }
        self.init(model: model.purchase.model, customers: n, holdoutDays: summary.holdoutLength,
                  actualTotal: summary.holdoutPurchases.reduce(0, +), predictedTotal: predicted.reduce(0, +),
                  mae: n == 0 ? 0 : absolute / Double(n), rmse: n == 0 ? 0 : (squared / Double(n)).squareRoot(),
                  bias: n == 0 ? 0 : signed / Double(n),
                  tracking: (0...weeks).map { TrackingPoint(week: $0, actual: actualByWeek[$0], predicted: predictedByWeek[$0]) },
                  deciles: deciles, logLikelihood: model.purchase.logLikelihood)
    }
}
