/// How recommendations spread over the catalog: whether they are a filter bubble.
public struct ExposureFigures: Sendable, Hashable, Codable {
    /// Lists audited.
    public var lists: Int
    /// Distinct items recommended over the catalog size.
    public var coverage: Double
    /// Gini coefficient of how often each catalog item is shown (0: all equally; 1: one item only).
    public var gini: Double
    /// Share of recommended slots holding long-tail items: those outside the most-bought items that make
    /// 80% of purchases.
    public var longTailShare: Double
    /// Mean buyers of a recommended item over mean buyers of a bought item (per purchase); above 1, the
    /// lists lean to popular items.
    public var popularityBias: Double
    /// Mean share of a list taken by its most frequent category (lists with known categories only; `nil`
    /// when no item has a category).
    public var categoryConcentration: Double?

    enum CodingKeys: String, CodingKey {
        case lists, coverage, gini, popularityBias = "popularity_bias", longTailShare = "long_tail_share"
        case categoryConcentration = "category_concentration"
    }
}

/// The exposure audit: ``ExposureFigures`` over every list and by customer segment.
public struct ExposureAudit: Sendable, Hashable, Codable {
    /// Over all lists.
    public var overall: ExposureFigures
    /// By segment (for example lifecycle stage), sorted by name.
    public var segments: [String: ExposureFigures]

    /// Audits `lists` (customer id → skus shown) against the catalog's purchases in `data`.
    /// - Parameters:
    ///   - categories: sku → category, where known.
    ///   - segmentOf: customer id → segment.
    /// - Complexity: O(slots + items log items).
    public static func run(lists: [String: [String]], data: InteractionData, categories: [String: String] = [:],
                           segmentOf: [String: String] = [:]) -> ExposureAudit {
        let buyers = data.orders.columnCounts()
        let head = headItems(buyers)
        var bySegment = [String: [String: [String]]]()
        for (customer, list) in lists { bySegment[segmentOf[customer] ?? "unknown", default: [:]][customer] = list }
        let context = Context(data: data, buyers: buyers, head: head, categories: categories)
        return ExposureAudit(overall: context.figures(lists), segments: bySegment.mapValues(context.figures))
    }

    /// The most-bought items that together make 80% of purchases (customer-item pairs).
    static func headItems(_ buyers: [Int]) -> Set<Int> {
        let total = buyers.reduce(0, +)
        var head = Set<Int>(), running = 0
        for i in buyers.indices.sorted(by: { (buyers[$0], -$0) > (buyers[$1], -$1) }) {
            if Double(running) >= 0.8 * Double(total) { break }
            head.insert(i)
            running += buyers[i]
        }
        return head
    }

    struct Context {
        let data: InteractionData
        let buyers: [Int]
        let head: Set<Int>
        let categories: [String: String]

        func figures(_ lists: [String: [String]]) -> ExposureFigures {
            var shown = [Int](repeating: 0, count: data.items.count)
            var slots = 0, tail = 0, popularity = 0.0
            var concentration = 0.0, categorised = 0
            for list in lists.values {
                var counts = [String: Int]()
                for sku in list {
                    slots += 1
                    if let i = data.itemIndex[sku] {
                        shown[i] += 1
                        popularity += Double(buyers[i])
                        if !head.contains(i) { tail += 1 }
                    } else {
                        tail += 1
                    }
                    if let category = categories[sku] { counts[category, default: 0] += 1 }
                }
                let known = counts.values.reduce(0, +)
                if known > 0 { concentration += Double(counts.values.max()!) / Double(known); categorised += 1 }
            }
            // Mean buyers of the item behind each purchase (customer-item pair): Σ buyers² / Σ buyers.
            let pairs = buyers.reduce(0, +)
            let boughtMean = pairs == 0 ? 0 : buyers.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(pairs)
            let recommendedMean = slots == 0 ? 0 : popularity / Double(slots)
            return ExposureFigures(
                lists: lists.count,
                coverage: data.items.isEmpty ? 0 : Double(shown.filter { $0 > 0 }.count) / Double(data.items.count),
                gini: gini(shown), longTailShare: slots == 0 ? 0 : Double(tail) / Double(slots),
                popularityBias: boughtMean == 0 ? 0 : recommendedMean / boughtMean,
                categoryConcentration: categorised == 0 ? nil : concentration / Double(categorised))
        }
    }

    /// The Gini coefficient of non-negative counts: `Σᵢ (2i − n − 1) xᵢ / (n Σ x)` over ascending `x`, i = 1…n.
    public static func gini(_ counts: [Int]) -> Double {
        let sorted = counts.sorted(), n = Double(counts.count)
        let total = Double(sorted.reduce(0, +))
        guard total > 0 else { return 0 }
        var sum = 0.0
        for (index, x) in sorted.enumerated() { sum += (2 * Double(index + 1) - n - 1) * Double(x) }
        return sum / (n * total)
    }
}
