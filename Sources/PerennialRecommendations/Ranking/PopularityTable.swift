/// Cold start: what was popular recently, overall and within groups of customers (a lifecycle stage, an
/// acquisition channel, a country, a category a newcomer browsed), for customers with no history.
public struct PopularityTable: Sendable {
    /// Item skus by index.
    public let items: [String]
    /// Items most bought recently in the whole store, best first, with their recent buyers.
    public let overall: [(item: Int, buyers: Int)]
    /// The same within each group.
    public let groups: [String: [(item: Int, buyers: Int)]]
    /// Groups with fewer recent buyers than this fall back to the whole store.
    public let minimumBuyers: Int

    /// The whole store's recent popularity only.
    public init(overall statistics: ItemStatistics, items: [String]) {
        self.items = items
        self.overall = statistics.popularRecently.map { ($0, statistics.recentBuyers[$0]) }.filter { $0.buyers > 0 }
        self.groups = [:]
        self.minimumBuyers = 20
    }

    /// Counts recent buyers per item overall and in each group: `groupsOf` gives each customer id's groups
    /// (for example `["stage:new", "channel:app"]`).
    /// - Complexity: O(entries × groups per customer).
    public init(_ data: InteractionData, recentDays: Int, groupsOf: [String: [String]], minimumBuyers: Int = 20) {
        let since = data.asOf - Int64(recentDays) * 86_400
        var overall = [Int](repeating: 0, count: data.items.count)
        var byGroup = [String: [Int: Int]]()
        for c in 0..<data.customers.count {
            let groups = groupsOf[data.customers[c]] ?? []
            for e in data.orders.row(c) where data.lastBought[e] >= since {
                let i = Int(data.orders.columns[e])
                overall[i] += 1
                for g in groups { byGroup[g, default: [:]][i, default: 0] += 1 }
            }
        }
        func ranked(_ counts: [Int: Int]) -> [(item: Int, buyers: Int)] {
            counts.map { (item: $0.key, buyers: $0.value) }.sorted { ($0.buyers, -$0.item) > ($1.buyers, -$1.item) }
        }
        self.items = data.items
        self.overall = ranked(Dictionary(uniqueKeysWithValues: overall.enumerated().filter { $0.element > 0 }.map { ($0.offset, $0.element) }))
        self.groups = byGroup.mapValues(ranked)
        self.minimumBuyers = minimumBuyers
    }

    /// The most popular items of `group` (the whole store when the group is unknown or too small), scored
    /// by their share of the top item's buyers.
    public func ranked(group: String?, limit: Int) -> [Recommendation] {
        var list = overall, named: String? = nil
        if let group, let inGroup = groups[group], inGroup.reduce(0, { $0 + $1.buyers }) >= minimumBuyers {
            list = inGroup
            named = group
        }
        let top = Double(max(list.first?.buyers ?? 1, 1))
        return list.prefix(limit).map {
            Recommendation(sku: items[$0.item], score: Double($0.buyers) / top, label: .discover, reason: .popular(group: named))
        }
    }
}
