/// Business rules and diversity applied to a ranked list before it is shown.
public struct RecommendationRules: Sendable, Hashable {
    /// Skus never to recommend (discontinued, age-restricted, …).
    public var excluded: Set<String> = []
    /// Skus out of stock now.
    public var outOfStock: Set<String> = []
    /// Skus nobody buys twice (a sofa): left out once the customer bought them.
    public var nonReplenishable: Set<String> = []
    /// Each sku's category, where known.
    public var categories: [String: String] = [:]
    /// At most this many items of one category per list; `nil` for half the list (rounded up). Not applied
    /// when everything the customer bought is in one category.
    public var maxPerCategory: Int? = nil
    /// Maximal marginal relevance (Carbonell & Goldstein 1998): each next item maximises
    /// `λ × relevance − (1 − λ) × max co-purchase cosine to the items already chosen`; `nil` turns it off.
    public var mmrLambda: Double? = nil
    /// Each sku's margin as a fraction of price, used only with a positive `marginBoost`.
    public var margins: [String: Double] = [:]
    /// Scores are multiplied by `1 + marginBoost × margin`. Zero (the default) means no margin boosting;
    /// any other value is reported with every list (``Reranker/disclosure(_:)``).
    public var marginBoost: Double = 0

    /// No rules beyond the default category cap.
    public init() {}
}

/// Applies ``RecommendationRules`` to a ranked list.
public enum Reranker {
    /// The first `k` items of `ranked` that pass the rules, reordered for diversity.
    /// - Parameters:
    ///   - similarity: co-purchase cosines for MMR.
    ///   - bought: the customer's skus (for non-replenishable items and the one-category exception).
    public static func apply(_ ranked: [Recommendation], rules: RecommendationRules, k: Int, similarity: Recommender? = nil,
                             bought: Set<String> = []) -> [Recommendation] {
        var pool = ranked.filter { r in
            !rules.excluded.contains(r.sku) && !rules.outOfStock.contains(r.sku)
                && !(rules.nonReplenishable.contains(r.sku) && bought.contains(r.sku))
        }
        if rules.marginBoost != 0 {
            for i in pool.indices { pool[i].score *= 1 + rules.marginBoost * (rules.margins[pool[i].sku] ?? 0) }
            pool.sort { $0.score > $1.score }
        }
        let boughtCategories = Set(bought.compactMap { rules.categories[$0] })
        let cap = boughtCategories.count == 1 ? Int.max : (rules.maxPerCategory ?? (k + 1) / 2)
        var chosen: [Recommendation] = [], perCategory = [String: Int](), deferred: [Recommendation] = []
        while chosen.count < k, !pool.isEmpty {
            var pick = 0
            if let lambda = rules.mmrLambda, let model = similarity, !chosen.isEmpty {
                let top = max(pool.map(\.score).max() ?? 1, 1e-12)
                var best = -Double.infinity
                for (index, candidate) in pool.enumerated() {
                    let redundancy = chosen.map { Double(model.cosine($0.sku, candidate.sku)) }.max() ?? 0
                    let value = lambda * candidate.score / top - (1 - lambda) * redundancy
                    if value > best { best = value; pick = index }
                }
            }
            let candidate = pool.remove(at: pick)
            if let category = rules.categories[candidate.sku] {
                if perCategory[category, default: 0] >= cap { deferred.append(candidate); continue }
                perCategory[category, default: 0] += 1
            }
            chosen.append(candidate)
        }
        // A list never comes back short only because of the cap: capped items fill what is left.
        for candidate in deferred where chosen.count < k { chosen.append(candidate) }
        return chosen
    }

    /// The line every list carries when margins change the ranking; `nil` when they do not.
    public static func disclosure(_ rules: RecommendationRules) -> String? {
        rules.marginBoost == 0 ? nil : "ranking boosted by product margin (boost \(rules.marginBoost))"
    }
}
