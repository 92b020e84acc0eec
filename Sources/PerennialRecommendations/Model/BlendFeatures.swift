import Foundation

/// The features of the next-basket blend for one customer's candidates: items they bought (with their
/// cadence) and the best items they did not (from the factor model and recent popularity).
///
/// Features, in order: 1; bought; log(1 + orders with the item); log(1 + days since last bought);
/// ``BuyAgain`` score; log(share of the customer's orders with the item); factor score if bought; factor
/// score if not; the item's repeat log-odds; log(1 + buyers); log(1 + recent buyers).
struct BlendFeatures {
    static let names = ["constant", "bought", "log_orders", "log_days_since_last", "cadence", "log_order_share",
                        "factor_score_bought", "factor_score_new", "item_repeat_logit", "log_buyers", "log_recent_buyers"]
    static let width = names.count

    /// Candidates as rows of a flat feature matrix.
    struct Rows {
        var items: [Int] = []
        var features: [Double] = []
        var count: Int { items.count }
        func row(_ r: Int) -> ArraySlice<Double> { features[(r * BlendFeatures.width)..<((r + 1) * BlendFeatures.width)] }
    }

    let data: InteractionData
    let factors: FactorModel
    let horizonDays: Double
    let candidates: Int
    let popular: [Int]
    /// The item features, flat: repeat log-odds, log(1 + buyers), log(1 + recent buyers) per item.
    let itemFeatures: [Double]

    init(data: InteractionData, factors: FactorModel, statistics: ItemStatistics, horizonDays: Double, candidates: Int) {
        self.data = data
        self.factors = factors
        self.horizonDays = horizonDays
        self.candidates = candidates
        self.popular = Array(statistics.popularRecently.prefix(candidates / 2))
        var flat = [Double]()
        flat.reserveCapacity(3 * data.items.count)
        for i in 0..<data.items.count { flat += statistics.features(i) }
        self.itemFeatures = flat
    }

    /// Appends the candidates of customer `c` to `rows`; `scores` (one entry per item) is scratch space.
    func candidates(of c: Int, scores: inout [Float], into rows: inout Rows) {
        factors.scores(customer: c, into: &scores)
        let day = 86_400.0, asOf = data.asOf
        let orderCount = Double(data.customerOrderCount[c])
        let span = Double(data.customerLast[c] - data.customerFirst[c]) / day
        let customerInterval = orderCount > 1 ? span / (orderCount - 1) : max(Double(asOf - data.customerFirst[c]) / day, 30)
        func append(_ item: Int, _ values: [Double]) {
            rows.items.append(item)
            rows.features += values
            rows.features += itemFeatures[(3 * item)..<(3 * item + 3)]
        }
        let row = data.orders.row(c)
        for e in row {
            let i = Int(data.orders.columns[e])
            let n = Double(data.orders.values[e])
            let sinceLast = Double(asOf - data.lastBought[e]) / day
            let cadence = BuyAgain.cadence(orders: Int(n), daysSinceFirst: Double(asOf - data.firstBought[e]) / day,
                                           daysSinceLast: sinceLast, customerIntervalDays: customerInterval)
            append(i, [1, 1, log(1 + n), log(1 + sinceLast), BuyAgain.score(cadence, horizonDays: horizonDays),
                       log(n / max(orderCount, 1)), Double(scores[i]), 0])
        }
        // Mark bought items out of the discovery candidates, then restore the scores' owner's view.
        var factorScores = [(Int, Float)]()
        for e in row { let i = Int(data.orders.columns[e]); factorScores.append((i, scores[i])); scores[i] = -.infinity }
        var top = TopK(k: candidates)
        for i in 0..<scores.count where scores[i] > -.infinity { top.offer(i, scores[i]) }
        var chosen = top.items
        for i in popular where scores[i] > -.infinity && !chosen.contains(i) { chosen.append(i) }
        chosen.sort()
        for i in chosen { append(i, [1, 0, 0, 0, 0, 0, 0, Double(scores[i])]) }
        for (i, s) in factorScores { scores[i] = s }
    }
}
