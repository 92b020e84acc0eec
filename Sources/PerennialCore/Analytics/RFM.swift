/// A customer's recency, frequency and monetary scores, each 1 (worst) to 5 (best).
public struct RFMScore: Sendable, Hashable, Codable {
    /// Recency score: 5 for the most recent buyers.
    public var r: Int
    /// Frequency score: 5 for the most orders.
    public var f: Int
    /// Monetary score: 5 for the most revenue.
    public var m: Int

    /// Creates a score.
    public init(r: Int, f: Int, m: Int) {
        self.r = r
        self.f = f
        self.m = m
    }

    /// `ceil((F + M) / 2)`, the column of the segment grid.
    public var fm: Int { (f + m + 1) / 2 }

    /// The named segment of this score (docs/ANALYTICS.md, "RFM segments").
    public var segment: RFMSegment { RFMSegment.grid[5 - r][fm - 1] }
}

/// The eleven named RFM segments.
public enum RFMSegment: String, Sendable, CaseIterable, Codable {
    case champions
    case loyal
    case potentialLoyalist = "potential_loyalist"
    case new
    case promising
    case needAttention = "need_attention"
    case aboutToSleep = "about_to_sleep"
    case atRisk = "at_risk"
    case cantLose = "cant_lose"
    case hibernating
    case lost

    /// The segment's display name.
    public var name: String {
        switch self {
        case .champions: "Champions"
        case .loyal: "Loyal"
        case .potentialLoyalist: "Potential loyalist"
        case .new: "New"
        case .promising: "Promising"
        case .needAttention: "Need attention"
        case .aboutToSleep: "About to sleep"
        case .atRisk: "At risk"
        case .cantLose: "Can't lose"
        case .hibernating: "Hibernating"
        case .lost: "Lost"
        }
    }

    /// Rows R = 5 … 1, columns FM = 1 … 5.
    static let grid: [[RFMSegment]] = [
        [.new, .potentialLoyalist, .potentialLoyalist, .champions, .champions],
        [.promising, .potentialLoyalist, .potentialLoyalist, .loyal, .loyal],
        [.aboutToSleep, .aboutToSleep, .needAttention, .loyal, .loyal],
        [.hibernating, .hibernating, .atRisk, .atRisk, .cantLose],
        [.lost, .hibernating, .atRisk, .atRisk, .cantLose],
    ]
}

/// Quintile scoring with the tie rule of docs/ANALYTICS.md.
public enum QuintileScorer {
    /// Scores values 1–5 where larger is better: `1 + floor(5 × w / n)`, `w` being the number of values
    /// strictly smaller. Equal values get equal scores, whatever their order.
    ///
    /// ```swift
    /// QuintileScorer.scores([10, 20, 20, 30, 40]) // [1, 2, 2, 4, 5]
    /// ```
    /// - Complexity: O(n log n).
    public static func scores<Value: Comparable>(_ values: [Value]) -> [UInt8] {
        scores(values, isWorse: <)
    }

    /// Scores values where smaller is better (recency): `w` counts the values strictly larger.
    public static func scoresSmallerIsBetter<Value: Comparable>(_ values: [Value]) -> [UInt8] {
        scores(values, isWorse: >)
    }

    /// Scores values given a strict "is worse than" order.
    public static func scores<Value>(_ values: [Value], isWorse: (Value, Value) -> Bool) -> [UInt8] {
        let n = values.count
        guard n > 0 else { return [] }
        let order = values.indices.sorted { isWorse(values[$0], values[$1]) }
        var result = [UInt8](repeating: 0, count: n)
        var groupStart = 0
        for position in 0..<n {
            if position > 0 && isWorse(values[order[position - 1]], values[order[position]]) { groupStart = position }
            result[order[position]] = UInt8(1 + (5 * groupStart) / n)
        }
        return result
    }
}
