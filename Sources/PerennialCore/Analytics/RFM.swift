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

/// A store's RFM quintile boundaries, frozen at one analysis: the sorted recency, order and revenue
/// values of every scored customer. A live update scores one changed customer against them exactly as
/// ``QuintileScorer`` would have scored that value in the analysis (`1 + floor(5 × w / n)`, `w` the
/// values strictly worse), so the rest of the store need not be recomputed.
public struct RFMBoundaries: Sendable {
    private let recency: [Int]
    private let orders: [Int]
    private let revenue: [Int64]

    /// The boundaries of an analysis' profiles (customers with a summary).
    public init(profiles: [CustomerProfile]) {
        let summaries = profiles.compactMap(\.summary)
        recency = summaries.map(\.recencyDays).sorted()
        orders = summaries.map(\.orders).sorted()
        revenue = summaries.map(\.revenueMinor).sorted()
    }

    /// The number of customers the boundaries were drawn from.
    public var count: Int { recency.count }

    /// The scores of a summary; 5-5-5 when there are no boundaries yet (a first customer is the best).
    /// - Complexity: O(log n).
    public func score(_ summary: CustomerSummary) -> RFMScore {
        let n = recency.count
        guard n > 0 else { return RFMScore(r: 5, f: 5, m: 5) }
        // A value better than every boundary value (w = n) still scores 5.
        func quintile(_ worse: Int) -> Int { min(5, 1 + (5 * worse) / n) }
        return RFMScore(r: quintile(n - Self.firstIndex(in: recency) { $0 > summary.recencyDays }),
                        f: quintile(Self.firstIndex(in: orders) { $0 >= summary.orders }),
                        m: quintile(Self.firstIndex(in: revenue) { $0 >= summary.revenueMinor }))
    }

    /// The first index of a sorted array whose element satisfies a predicate that is false, then true.
    private static func firstIndex<T>(in values: [T], where predicate: (T) -> Bool) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if predicate(values[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
