import Foundation

/// Top-k ranking quality, averaged over customers (binary relevance).
public struct RankingMetrics: Sendable, Hashable, Codable {
    /// Hits in the top k over k.
    public var precision: Double
    /// Hits in the top k over the customer's relevant items.
    public var recall: Double
    /// Discounted cumulative gain of the top k over the best possible (Järvelin & Kekäläinen 2002), gain 1
    /// per hit, discount `1 / log2(rank + 1)`.
    public var ndcg: Double
    /// Share of customers with at least one hit.
    public var hitRate: Double
    /// Distinct items recommended to anyone over the catalog size.
    public var coverage: Double

    enum CodingKeys: String, CodingKey {
        case precision = "precision_at_10", recall = "recall_at_10", ndcg = "ndcg_at_10", hitRate = "hit_rate_at_10", coverage
    }
}

/// Sums per-customer ranking metrics; `result` averages them.
public struct RankingMetricsAccumulator: Sendable {
    /// The cut-off k.
    public let k: Int
    private var precision = 0.0, recall = 0.0, ndcg = 0.0, hits = 0.0
    private var count = 0
    private var shown = Set<Int>()
    private let discounts: [Double]

    /// Creates an empty accumulator for the top `k`.
    public init(k: Int = 10) {
        self.k = k
        discounts = (0..<k).map { 1 / log2(Double($0) + 2) }
    }

    /// Adds one customer: their ranked list (item indexes; only the first k are read) and the items they
    /// went on to buy. Customers with nothing relevant are skipped.
    public mutating func add(ranked: [Int], relevant: Set<Int>) {
        guard !relevant.isEmpty else { return }
        var found = 0, gain = 0.0
        for (rank, item) in ranked.prefix(k).enumerated() {
            shown.insert(item)
            if relevant.contains(item) { found += 1; gain += discounts[rank] }
        }
        let ideal = discounts.prefix(min(k, relevant.count)).reduce(0, +)
        precision += Double(found) / Double(k)
        recall += Double(found) / Double(relevant.count)
        ndcg += gain / ideal
        hits += found > 0 ? 1 : 0
        count += 1
    }

    /// Customers added.
    public var customers: Int { count }

    /// The averages; coverage over a catalog of `catalogSize` items.
    public func result(catalogSize: Int) -> RankingMetrics {
        let n = Double(max(count, 1))
        return RankingMetrics(precision: precision / n, recall: recall / n, ndcg: ndcg / n, hitRate: hits / n,
                              coverage: catalogSize == 0 ? 0 : Double(shown.count) / Double(catalogSize))
    }
}
