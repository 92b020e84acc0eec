/// Ways to flag a customer as lost at the end of a calibration period, and how they fare on the holdout.
public enum ChurnRule: Sendable, Equatable, Codable {
    /// Lost after more than `days` days without a purchase (the seed's 90-day rule).
    case fixedSilence(days: Int)
    /// Lost when silent for longer than the customer's own window, max(`floorDays`, `multiple` × their
    /// median gap between purchase days) — or `fallbackDays` for customers with fewer than three purchase
    /// days, whose cadence one gap cannot tell — or when the model's P(alive) is below `aliveFloor` and
    /// they have been silent for more than `floorDays`. A yearly buyer silent for 120 days is not lost; a
    /// weekly buyer silent for two months is.
    case cadenceAware(multiple: Double, floorDays: Int, fallbackDays: Int, aliveFloor: Double)
    /// Lost when silent for more than `days` days and the model gives P(alive) below `threshold`: the
    /// fixed window, confirmed by the model.
    case modelConfirmed(days: Int, threshold: Double)

    /// A short name for reports.
    public var name: String {
        switch self {
        case .fixedSilence(let days): "silent > \(days) days"
        case let .modelConfirmed(days, threshold):
            "silent > \(days) days and P(alive) < \(Self.format(threshold))"
        case let .cadenceAware(multiple, floorDays, fallbackDays, aliveFloor):
            "silent > max(\(floorDays)d, \(Self.format(multiple))× own gap) (\(fallbackDays)d under 3 purchase days), or P(alive) < \(Self.format(aliveFloor))"
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Whether the rule flags a customer.
    public func flags(daysSilent: Int, repeatPurchases: Double, medianGap: Double?, probabilityAlive: Double) -> Bool {
        switch self {
        case .fixedSilence(let days):
            return daysSilent > days
        case let .modelConfirmed(days, threshold):
            return daysSilent > days && probabilityAlive < threshold
        case let .cadenceAware(multiple, floorDays, fallbackDays, aliveFloor):
            if probabilityAlive < aliveFloor && daysSilent > floorDays { return true }
            guard repeatPurchases >= 2, let gap = medianGap else { return daysSilent > fallbackDays }
            return Double(daysSilent) > max(Double(floorDays), multiple * gap)
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
            if rule.flags(daysSilent: summary.daysSilent[i], repeatPurchases: summary.frequency[i], medianGap: summary.medianGapDays[i], probabilityAlive: alive) {
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
