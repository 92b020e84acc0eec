/// The k best-scored candidates, kept sorted as they arrive: best first, ties to the lower index.
public struct TopK: Sendable {
    /// How many to keep.
    public let k: Int
    /// The kept `(item, score)` pairs, best first.
    public private(set) var entries: [(item: Int, score: Float)] = []

    /// An empty selection of `k`.
    public init(k: Int) {
        self.k = k
        entries.reserveCapacity(k + 1)
    }

    /// Offers a candidate. - Complexity: O(k) when it enters, O(1) when it does not.
    public mutating func offer(_ item: Int, _ score: Float) {
        if entries.count == k {
            let worst = entries[k - 1]
            if score < worst.score || (score == worst.score && item > worst.item) { return }
        }
        var at = entries.count
        while at > 0 && (entries[at - 1].score < score || (entries[at - 1].score == score && entries[at - 1].item > item)) { at -= 1 }
        entries.insert((item, score), at: at)
        if entries.count > k { entries.removeLast() }
    }

    /// The kept items, best first.
    public var items: [Int] { entries.map(\.item) }
}
