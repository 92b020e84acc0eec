/// How regularly a customer buys: the gaps between their consecutive purchase days.
public struct PurchaseCadence: Sendable, Equatable, Codable {
    /// How many gaps (purchase days − 1).
    public var gaps: Int
    /// Their mean, in days.
    public var meanGap: Double
    /// Their coefficient of variation (population standard deviation / mean): 0 for a clockwork buyer,
    /// about 1 for purchases at random (a Poisson process).
    public var variation: Double

    /// The cadence of a list of gaps in days (`nil` when empty).
    public init?(gaps: [Int]) {
        guard !gaps.isEmpty else { return nil }
        let mean = Double(gaps.reduce(0, +)) / Double(gaps.count)
        let variance = gaps.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(gaps.count)
        self.gaps = gaps.count
        meanGap = mean
        variation = mean > 0 ? variance.squareRoot() / mean : 0
    }
}

/// Ways to flag a customer as lost at the end of a calibration period, and how they fare on the holdout.
public enum ChurnRule: Sendable, Equatable, Codable {
    /// Lost after more than `days` days without a purchase (the seed's 90-day rule).
    case fixedSilence(days: Int)
    /// The fixed window, adapted to each customer's own rhythm and the model:
    /// - a **regular** buyer (at least two gaps between purchase days, coefficient of variation at most
    ///   `maxVariation`) is lost only when silent for longer than max(`windowDays`, `multiple` × their mean
    ///   gap): a customer who buys every December is not lost in March;
    /// - anyone whose P(alive) is below `aliveFloor` is lost once silent for more than `floorDays`;
    /// - everyone else is lost after `windowDays`, as with the fixed rule.
    ///
    /// Irregular buyers keep the fixed window because one long gap in a random sequence says nothing about
    /// the next (for purchases at random, the coefficient of variation is about 1).
    case cadenceAware(multiple: Double, maxVariation: Double, windowDays: Int, floorDays: Int, aliveFloor: Double)
    /// Lost when silent for more than `days` days and the model gives P(alive) below `threshold`: the
    /// fixed window, confirmed by the model.
    case modelConfirmed(days: Int, threshold: Double)

    /// The cadence-aware rule with its defaults: 2 × the mean gap for buyers whose gaps vary by at most
    /// 25%, a 90-day window, and P(alive) below 0.3 after 60 days.
    public static func cadenceAware(windowDays: Int = 90) -> ChurnRule {
        .cadenceAware(multiple: 2, maxVariation: 0.25, windowDays: windowDays, floorDays: 60, aliveFloor: 0.3)
    }

    /// A short name for reports.
    public var name: String {
        switch self {
        case .fixedSilence(let days): "silent > \(days) days"
        case let .modelConfirmed(days, threshold):
            "silent > \(days) days and P(alive) < \(Self.format(threshold))"
        case let .cadenceAware(multiple, maxVariation, windowDays, floorDays, aliveFloor):
            "silent > \(windowDays)d, or > \(Self.format(multiple))× own gap if regular (CV ≤ \(Self.format(maxVariation))); or P(alive) < \(Self.format(aliveFloor)) after \(floorDays)d"
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Whether the rule flags a customer.
    public func flags(daysSilent: Int, cadence: PurchaseCadence?, probabilityAlive: Double) -> Bool {
        switch self {
        case .fixedSilence(let days):
            return daysSilent > days
        case let .modelConfirmed(days, threshold):
            return daysSilent > days && probabilityAlive < threshold
        case let .cadenceAware(multiple, maxVariation, windowDays, floorDays, aliveFloor):
            if probabilityAlive < aliveFloor && daysSilent > floorDays { return true }
            if let cadence, cadence.gaps >= 2, cadence.variation <= maxVariation {
                return Double(daysSilent) > max(Double(windowDays), multiple * cadence.meanGap)
            }
            return daysSilent > windowDays
        }
    }
}

/// How a churn rule's flags compare with what customers did in the holdout: a flagged customer who
/// bought in the holdout is a false churn flag; recall is the share of the customers who did not buy that
/// the rule flagged.
public struct ChurnRuleReport: Sendable, Codable, Equatable {
    /// The rule's name.
    public var rule: String
    /// Customers flagged as lost.
    public var flagged: Int
    /// Flagged customers who did not buy in the holdout.
    public var truePositives: Int
    /// Flagged customers who bought in the holdout anyway.
    public var falseFlags: Int
    /// Customers who did not buy in the holdout.
    public var lost: Int
    /// truePositives / lost.
    public var recall: Double
    /// truePositives / flagged.
    public var precision: Double

    enum CodingKeys: String, CodingKey {
        case rule, flagged, truePositives = "true_positives", falseFlags = "false_flags", lost, recall, precision
    }

    /// Scores a rule on a summary with a holdout, using the model's P(alive) at the calibration end.
    public init(rule: ChurnRule, model: FittedModel, summary: CalibrationSummary) {
        var flagged = 0, truePositives = 0, lost = 0
        for i in 0..<summary.customers.count {
            let bought = summary.holdoutPurchases[i] > 0
            if !bought { lost += 1 }
            let alive = model.probabilityAlive(x: summary.frequency[i], tx: summary.recency[i], T: summary.age[i])
            if rule.flags(daysSilent: summary.daysSilent[i], cadence: summary.cadence[i], probabilityAlive: alive) {
                flagged += 1
                if !bought { truePositives += 1 }
            }
        }
        self.rule = rule.name
        self.flagged = flagged
        self.truePositives = truePositives
        falseFlags = flagged - truePositives
        self.lost = lost
        recall = lost == 0 ? 0 : Double(truePositives) / Double(lost)
        precision = flagged == 0 ? 0 : Double(truePositives) / Double(flagged)
    }
}
