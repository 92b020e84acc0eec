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

    /// One candidate: the item, its cell in the data when bought, and its features.
    struct Candidate {
        var item: Int
        var cell: Int?
        var features: [Double]
    }

    let data: InteractionData
    let factors: FactorModel
    let statistics: ItemStatistics
    let horizonDays: Double
    let candidates: Int

    /// The candidates of customer `c`; `scores` is scratch space of one entry per item.
    func candidates(of c: Int, scores: inout [Float]) -> [Candidate] {
        factors.scores(customer: c, into: &scores)
        let day = 86_400.0, asOf = data.asOf
        let orderCount = Double(data.customerOrderCount[c])
        let span = Double(data.customerLast[c] - data.customerFirst[c]) / day
        let customerInterval = orderCount > 1 ? span / (orderCount - 1) : max(Double(asOf - data.customerFirst[c]) / day, 30)
        var out: [Candidate] = []
        let row = data.orders.row(c)
        out.reserveCapacity(row.count + 2 * candidates)
        for e in row {
            let i = Int(data.orders.columns[e])
            let n = Double(data.orders.values[e])
            let sinceLast = Double(asOf - data.lastBought[e]) / day
            let cadence = BuyAgain.cadence(orders: Int(n), daysSinceFirst: Double(asOf - data.firstBought[e]) / day,
                                           daysSinceLast: sinceLast, customerIntervalDays: customerInterval)
            out.append(Candidate(item: i, cell: e, features: [
                1, 1, log(1 + n), log(1 + sinceLast), BuyAgain.score(cadence, horizonDays: horizonDays),
                log(n / max(orderCount, 1)), Double(scores[i]), 0,
            ] + statistics.features(i)))
        }
        let bought = Set(data.orders.columns[row].map { Int($0) })
        var top = TopK(k: candidates)
        for i in 0..<scores.count where !bought.contains(i) { top.offer(i, scores[i]) }
        var chosen = Set(top.items)
        for i in statistics.popularRecently.prefix(candidates / 2) where !bought.contains(i) { chosen.insert(i) }
        for i in chosen.sorted() {
            out.append(Candidate(item: i, cell: nil, features: [1, 0, 0, 0, 0, 0, 0, Double(scores[i])] + statistics.features(i)))
        }
        return out
    }
}
