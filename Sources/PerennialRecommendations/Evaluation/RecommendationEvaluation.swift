import Foundation

/// The fixed evaluation protocol of `perennial recommend evaluate`, so results compare with peers
/// (`Benchmarks/recommend/peer_implicit.py` applies the same rules):
///
/// purchase lines with a customer id, positive quantity and price, product skus only; train = orders before
/// the split instant, test = from it; evaluated customers = those in both; relevant = the distinct items a
/// customer bought in test; cell weight = number of distinct orders containing the item. Two tasks:
/// **discover** (items the customer bought in train never recommended) and **next-basket** (no exclusion).
public struct RecommendationEvaluation: Sendable, Hashable, Codable {
    /// Customers evaluated (in both periods).
    public var evaluatedCustomers: Int
    /// Customers and items in train.
    public var trainCustomers: Int, catalogItems: Int
    /// Customer-item cells in train.
    public var trainCells: Int
    /// Discovery quality.
    public var discover: RankingMetrics
    /// Next-basket quality.
    public var nextBasket: RankingMetrics
    /// Share of recommended slots holding long-tail items, per task.
    public var discoverLongTailShare: Double, nextBasketLongTailShare: Double

    enum CodingKeys: String, CodingKey {
        case evaluatedCustomers = "evaluated_customers", trainCustomers = "train_customers", catalogItems = "catalog_items"
        case trainCells = "train_cells", discover, nextBasket = "next_basket"
        case discoverLongTailShare = "discover_long_tail_share", nextBasketLongTailShare = "next_basket_long_tail_share"
    }

    /// Each evaluated customer's relevant items (item indexes of the train catalog; items new in test get
    /// indexes past the catalog so they count in recall's denominator but can never be hit).
    public static func relevantItems(purchases: [Purchase], split: Int64, data: InteractionData) -> [Int: Set<Int>] {
        var relevant = [Int: Set<Int>](), unseen = [String: Int]()
        for p in purchases where p.at >= split && p.isCountable {
            guard let c = data.customerIndex[p.customer] else { continue }
            let item: Int
            if let known = data.itemIndex[p.sku] {
                item = known
            } else if let new = unseen[p.sku] {
                item = new
            } else {
                item = data.items.count + unseen.count
                unseen[p.sku] = item
            }
            relevant[c, default: []].insert(item)
        }
        return relevant
    }

    /// Scores a trained recommender on the items customers bought from `split` on.
    /// - Complexity: O(evaluated customers × items × factors).
    public static func run(_ model: Recommender, purchases: [Purchase], split: Int64, k: Int = 10) -> RecommendationEvaluation {
        let data = model.data
        let relevant = relevantItems(purchases: purchases, split: split, data: data)
        let customers = relevant.keys.sorted()
        let head = ExposureAudit.headItems(data.orders.columnCounts())
        var results: [RecommendationTask: (RankingMetrics, Double)] = [:]
        for task in RecommendationTask.allCases {
            var metrics = RankingMetricsAccumulator(k: k)
            var scratch = [Float](repeating: 0, count: data.items.count)
            var slots = 0, tail = 0
            for c in customers {
                let ranked = model.rankedItems(customer: c, k: k, task: task, scratch: &scratch).map(\.item)
                metrics.add(ranked: ranked, relevant: relevant[c]!)
                slots += ranked.count
                tail += ranked.filter { !head.contains($0) }.count
            }
            results[task] = (metrics.result(catalogSize: data.items.count), slots == 0 ? 0 : Double(tail) / Double(slots))
        }
        return RecommendationEvaluation(
            evaluatedCustomers: customers.count, trainCustomers: data.customers.count, catalogItems: data.items.count,
            trainCells: data.orders.entryCount, discover: results[.discover]!.0, nextBasket: results[.nextBasket]!.0,
            discoverLongTailShare: results[.discover]!.1, nextBasketLongTailShare: results[.nextBasket]!.1)
    }
}
