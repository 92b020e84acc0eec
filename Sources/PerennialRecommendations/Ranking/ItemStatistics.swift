import Foundation

/// What the whole store did with each item: buyers, recent buyers and how often a buyer comes back for it.
public struct ItemStatistics: Sendable, Hashable {
    /// Distinct customers who bought each item.
    public let buyers: [Int]
    /// Distinct customers whose last purchase of the item falls in the recent window.
    public let recentBuyers: [Int]
    /// Log-odds that a buyer of the item bought it in more than one order, shrunk towards the store's rate
    /// with the weight of 5 buyers.
    public let repeatLogit: [Double]
    /// Items by recent buyers, most first (ties by overall buyers, then index): the cold-start list.
    public let popularRecently: [Int]

    /// Counts over `data`, the recent window being the last `recentDays` before its as-of instant.
    public init(_ data: InteractionData, recentDays: Int) {
        let n = data.items.count
        var buyers = [Int](repeating: 0, count: n), recent = [Int](repeating: 0, count: n), repeats = [Int](repeating: 0, count: n)
        let since = data.asOf - Int64(recentDays) * 86_400
        for e in 0..<data.orders.entryCount {
            let i = Int(data.orders.columns[e])
            buyers[i] += 1
            if data.orders.values[e] > 1 { repeats[i] += 1 }
            if data.lastBought[e] >= since { recent[i] += 1 }
        }
        let storeRate = Double(repeats.reduce(0, +)) / Double(max(1, buyers.reduce(0, +)))
        self.buyers = buyers
        self.recentBuyers = recent
        self.repeatLogit = (0..<n).map { i in
            let rate = (Double(repeats[i]) + 5 * storeRate) / (Double(buyers[i]) + 5)
            return log(max(rate, 1e-6) / max(1 - rate, 1e-6))
        }
        self.popularRecently = (0..<n).sorted { (recent[$0], buyers[$0], -$0) > (recent[$1], buyers[$1], -$1) }
    }

    /// Creates statistics from stored parts.
    public init(buyers: [Int], recentBuyers: [Int], repeatLogit: [Double], popularRecently: [Int]) {
        self.buyers = buyers
        self.recentBuyers = recentBuyers
        self.repeatLogit = repeatLogit
        self.popularRecently = popularRecently
    }

    /// The item-level features of the blend: repeat log-odds, log(1 + buyers), log(1 + recent buyers).
    func features(_ item: Int) -> [Double] {
        [repeatLogit[item], log(1 + Double(buyers[item])), log(1 + Double(recentBuyers[item]))]
    }
}
