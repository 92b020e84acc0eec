/// Customers' repeat-purchase histories in model time: frequency x (repeat purchases), recency t_x (time
/// of the last purchase, from the first) and age T (time from the first purchase to the end of
/// observation), with identical (x, t_x, T) collapsed into one weighted row.
///
/// Likelihoods only sum per-customer terms, so collapsing changes no estimate and makes fits over
/// millions of customers cost what the distinct histories cost.
public struct PurchaseHistories: Sendable, Equatable {
    /// Repeat purchases.
    public var frequency: [Double]
    /// Time of the last purchase after the first (0 without repeat purchases).
    public var recency: [Double]
    /// Time from the first purchase to the end of observation.
    public var age: [Double]
    /// How many customers share the row.
    public var weight: [Double]

    /// The number of distinct rows.
    public var count: Int { frequency.count }
    /// The number of customers.
    public var totalWeight: Double { weight.reduce(0, +) }

    /// Histories from per-customer values, collapsing identical rows.
    /// - Complexity: O(n) expected (one hash per customer).
    public init(frequency: [Double], recency: [Double], age: [Double], weight: [Double]? = nil) {
        precondition(frequency.count == recency.count && recency.count == age.count, "columns of different lengths")
        var index: [Key: Int] = [:]
        index.reserveCapacity(frequency.count)
        var f: [Double] = [], r: [Double] = [], a: [Double] = [], w: [Double] = []
        for i in 0..<frequency.count {
            let key = Key(x: frequency[i], tx: recency[i], t: age[i])
            let add = weight?[i] ?? 1
            if let row = index[key] {
                w[row] += add
            } else {
                index[key] = f.count
                f.append(frequency[i]); r.append(recency[i]); a.append(age[i]); w.append(add)
            }
        }
        self.frequency = f
        self.recency = r
        self.age = a
        self.weight = w
    }

    private struct Key: Hashable {
        var x: Double, tx: Double, t: Double

        func hash(into hasher: inout Hasher) {
            // One word into the hasher instead of three (equality still compares all three fields).
            hasher.combine(x.bitPattern &* 0x9E37_79B9_7F4A_7C15 ^ tx.bitPattern &* 0xC2B2_AE3D_27D4_EB4F ^ t.bitPattern)
        }
    }
}
