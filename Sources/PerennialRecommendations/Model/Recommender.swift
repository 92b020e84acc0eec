import Foundation

/// A trained recommender: the factor model, co-purchase neighbours, item statistics and the learnt
/// next-basket blend, over the interactions it was trained on.
///
/// ```swift
/// let model = Recommender.train(purchases: lines)
/// let list = model.recommend(customer: "17850", k: 10)   // rebuy and discover items, with reasons
/// ```
public struct Recommender: Sendable {
    /// The settings it was trained with.
    public let configuration: RecommenderConfiguration
    /// The interactions it was trained on (the buy-again features read them).
    public let data: InteractionData
    /// Customer and item factors.
    public let factors: FactorModel
    /// Each item's co-purchase neighbours.
    public let similarity: ItemSimilarity
    /// Buyers, recent buyers and repeat rates of each item.
    public let statistics: ItemStatistics
    /// The next-basket blend over ``BlendFeatures``.
    public let blend: LogisticRegression
    /// Rows the blend learnt from (0 when the history was too short and the default blend is used).
    public let blendRows: Int

    /// The blend used when the history is too short to learn one: coefficients learnt on Online Retail
    /// (2011-06-01 to 2011-09-01 labels), rounded.
    public static let defaultBlend = LogisticRegression(coefficients: [-3.6, 1.0, 1.6, -0.15, -0.1, 0, 0.9, 2.0, 0.3, -0.2, 0.45])

    /// The names of the blend's features, in coefficient order.
    public static var blendFeatureNames: [String] { BlendFeatures.names }

    /// Creates a recommender from trained parts.
    public init(configuration: RecommenderConfiguration, data: InteractionData, factors: FactorModel, similarity: ItemSimilarity,
                statistics: ItemStatistics, blend: LogisticRegression, blendRows: Int) {
        self.configuration = configuration
        self.data = data
        self.factors = factors
        self.similarity = similarity
        self.statistics = statistics
        self.blend = blend
        self.blendRows = blendRows
    }

    /// Trains on purchases placed before `cutoff` (all when `nil`).
    ///
    /// The blend learns from the history itself: the same models trained on everything before the last
    /// `horizonDays`, with the items each returning customer bought in those days as labels.
    /// - Complexity: dominated by two factor fits, O(iterations × entries × factors × CG steps).
    public static func train(purchases: [Purchase], before cutoff: Int64? = nil, configuration: RecommenderConfiguration = .init()) -> Recommender {
        let data = InteractionData(purchases: purchases, before: cutoff)
        let horizon = Int64(configuration.horizonDays) * 86_400
        // The blend (on the earlier history) and the models (on all of it) are independent: fit them side by
        // side, so one's serial parts overlap the other's parallel ones.
        let results = TrainingSlots()
        Parallel.forEach(2, threads: 2) { part in
            if part == 0 {
                results.blend = learnBlend(purchases: purchases, from: data.asOf - horizon, to: data.asOf, configuration: configuration)
            } else {
                results.model = train(data, configuration: configuration)
            }
        }
        let model = results.model!, (blend, rows) = results.blend!
        return Recommender(configuration: configuration, data: data, factors: model.factors, similarity: model.similarity,
                           statistics: model.statistics, blend: blend, blendRows: rows)
    }

    /// Where the two halves of training leave their results (each slot written by one thread only).
    private final class TrainingSlots: @unchecked Sendable {
        var blend: (LogisticRegression, Int)?
        var model: Recommender?
    }

    /// Trains the models on indexed interactions with a given blend.
    public static func train(_ data: InteractionData, blend: LogisticRegression = defaultBlend, blendRows: Int = 0,
                             configuration: RecommenderConfiguration = .init()) -> Recommender {
        let factors = ImplicitALS.fit(data.orders, configuration: configuration.als)
        let similarity = ItemSimilarity(data.orders, neighboursPerItem: configuration.neighboursPerItem,
                                        shrink: configuration.shrink, threads: configuration.als.threads)
        return Recommender(configuration: configuration, data: data, factors: factors, similarity: similarity,
                           statistics: ItemStatistics(data, recentDays: configuration.recentDays), blend: blend, blendRows: blendRows)
    }

    /// Learns the blend: features as of `from`, labels = items bought in [from, to) by customers who came back.
    static func learnBlend(purchases: [Purchase], from: Int64, to: Int64, configuration c: RecommenderConfiguration) -> (LogisticRegression, Int) {
        let inner = InteractionData(purchases: purchases, before: from)
        var later = [Int: Set<Int>]()
        for p in purchases where p.at >= from && p.at < to && p.isCountable {
            if let customer = inner.customerIndex[p.customer], let item = inner.itemIndex[p.sku] { later[customer, default: []].insert(item) }
        }
        guard later.count >= 50, inner.items.count >= 20 else { return (defaultBlend, 0) }
        let factors = ImplicitALS.fit(inner.orders, configuration: c.als)
        let features = BlendFeatures(data: inner, factors: factors, statistics: ItemStatistics(inner, recentDays: c.recentDays),
                                     horizonDays: Double(c.horizonDays), candidates: c.candidates)
        var rows = BlendFeatures.Rows(), labels: [Double] = []
        var scratch = [Float](repeating: 0, count: inner.items.count)
        for customer in later.keys.sorted() {
            let bought = later[customer]!
            let first = rows.count
            features.candidates(of: customer, scores: &scratch, into: &rows)
            for r in first..<rows.count { labels.append(bought.contains(rows.items[r]) ? 1 : 0) }
        }
        let positives = labels.reduce(0, +)
        guard positives >= 20, positives < Double(labels.count) else { return (defaultBlend, 0) }
        return (LogisticRegression.fit(flat: rows.features, width: BlendFeatures.width, labels: labels), rows.count)
    }

    var blendFeatures: BlendFeatures {
        BlendFeatures(data: data, factors: factors, statistics: statistics, horizonDays: Double(configuration.horizonDays),
                      candidates: configuration.candidates)
    }

    /// The top `k` items for customer index `c`, best first, without reasons or rules: what the
    /// evaluation harness and the audit read. `scratch` has one entry per item.
    public func rankedItems(customer c: Int, k: Int, task: RecommendationTask, scratch: inout [Float]) -> [(item: Int, score: Double)] {
        switch task {
        case .discover:
            factors.scores(customer: c, into: &scratch)
            for i in data.itemsBought(by: c) { scratch[Int(i)] = -.infinity }
            var top = TopK(k: k)
            for i in 0..<scratch.count where scratch[i] > -.infinity { top.offer(i, scratch[i]) }
            return top.entries.map { ($0.item, Double($0.score)) }
        case .nextBasket:
            var rows = BlendFeatures.Rows()
            blendFeatures.candidates(of: c, scores: &scratch, into: &rows)
            var scored = (0..<rows.count).map { (item: rows.items[$0], score: blend.probability(rows.row($0))) }
            scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
            if scored.count < k {
                let have = Set(scored.map(\.item))
                for i in statistics.popularRecently where !have.contains(i) {
                    scored.append((i, 0))
                    if scored.count >= k { break }
                }
            }
            return Array(scored.prefix(k))
        }
    }

    /// Recommends up to `k` items to a customer, with labels and reasons, after the business rules and
    /// diversity of `rules`. An unknown customer gets the cold-start list: items popular recently in
    /// `group` (``PopularityTable``) when given, else in the whole store.
    public func recommend(customer id: String, k: Int = 10, task: RecommendationTask = .nextBasket,
                          rules: RecommendationRules = .init(), coldStart: PopularityTable? = nil, group: String? = nil) -> [Recommendation] {
        let pool = max(k * 4, k + 20)
        guard let c = data.customerIndex[id] else {
            let table = coldStart ?? PopularityTable(overall: statistics, items: data.items)
            return Reranker.apply(table.ranked(group: group, limit: pool), rules: rules, k: k, similarity: self)
        }
        var scratch = [Float](repeating: 0, count: data.items.count)
        let ranked = rankedItems(customer: c, k: pool, task: task, scratch: &scratch)
        var cells = [Int: Int]()
        for e in data.orders.row(c) { cells[Int(data.orders.columns[e])] = e }
        let list = ranked.map { entry -> Recommendation in
            if let e = cells[entry.item] {
                return Recommendation(sku: data.items[entry.item], score: entry.score, label: .rebuy, reason: rebuyReason(customer: c, cell: e))
            }
            return Recommendation(sku: data.items[entry.item], score: entry.score, label: .discover, reason: discoverReason(customer: c, item: entry.item))
        }
        let bought = Set(data.itemsBought(by: c).map { data.items[Int($0)] })
        return Reranker.apply(list, rules: rules, k: k, similarity: self, bought: bought)
    }

    func rebuyReason(customer c: Int, cell e: Int) -> RecommendationReason {
        let day = 86_400.0
        let n = Int(data.orders.values[e])
        let last = Int(((Double(data.asOf - data.lastBought[e])) / day).rounded())
        let every = n >= 2 ? Int((Double(data.lastBought[e] - data.firstBought[e]) / day / Double(n - 1)).rounded()) : 0
        // Orders a few hours apart are not a habit: "about every 1 days" would misread them.
        guard every >= 2 else { return .boughtBefore(daysAgo: last) }
        return .cadence(everyDays: every, lastDaysAgo: last)
    }

    /// "Bought together with" the customer's item whose neighbour list holds this one most strongly;
    /// otherwise the factor model's "customers who buy like you".
    func discoverReason(customer c: Int, item: Int) -> RecommendationReason {
        var best: (sku: String, cosine: Float)? = nil
        for owned in data.itemsBought(by: c) {
            for n in similarity.neighbours[Int(owned)] where Int(n.item) == item {
                if best == nil || n.cosine > best!.cosine { best = (data.items[Int(owned)], n.cosine) }
            }
        }
        return best.map { .boughtTogether(with: $0.sku) } ?? .similarCustomers
    }

    /// The co-purchase cosine of two skus (0 when neither lists the other).
    public func cosine(_ a: String, _ b: String) -> Float {
        guard let i = data.itemIndex[a], let j = data.itemIndex[b] else { return 0 }
        if let n = similarity.neighbours[i].first(where: { Int($0.item) == j }) { return n.cosine }
        return similarity.neighbours[j].first(where: { Int($0.item) == i })?.cosine ?? 0
    }

    /// "Bought together": the neighbours of one sku, most similar first.
    public func boughtTogether(_ sku: String, k: Int = 10) -> [(sku: String, together: Int, cosine: Double, lift: Double)] {
        guard let i = data.itemIndex[sku] else { return [] }
        return similarity.neighbours[i].prefix(k).map { (data.items[Int($0.item)], Int($0.together), Double($0.cosine), Double($0.lift)) }
    }
}
