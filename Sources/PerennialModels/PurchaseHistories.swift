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
    ///
    /// An open-addressing table keyed by the three values' bit patterns (a multiply–xorshift hash, not
    /// SipHash) finds the repeats: collapsing costs a few nanoseconds per customer even when, as with
    /// continuous-time data, nothing repeats.
    /// - Complexity: O(n) expected.
    public init(frequency: [Double], recency: [Double], age: [Double], weight: [Double]? = nil) {
        precondition(frequency.count == recency.count && recency.count == age.count, "columns of different lengths")
        let n = frequency.count
        var capacity = 16
        while capacity < 2 * n { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var f: [Double] = [], r: [Double] = [], a: [Double] = [], w: [Double] = []
        f.reserveCapacity(n); r.reserveCapacity(n); a.reserveCapacity(n); w.reserveCapacity(n)
        for i in 0..<n {
            let x = frequency[i], tx = recency[i], t = age[i]
            var h = x.bitPattern &* 0x9E37_79B9_7F4A_7C15
            h = (h ^ tx.bitPattern) &* 0xC2B2_AE3D_27D4_EB4F
            h = (h ^ t.bitPattern) &* 0x1656_67B1_9E37_79F9
            var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
            let add = weight?[i] ?? 1
            while true {
                let row = Int(slots[slot])
                if row < 0 {
                    slots[slot] = Int32(f.count)
                    f.append(x); r.append(tx); a.append(t); w.append(add)
                    break
                }
                if f[row] == x && r[row] == tx && a[row] == t {
                    w[row] += add
                    break
                }
                slot = (slot + 1) & mask
            }
        }
        self.frequency = f
        self.recency = r
        self.age = a
        self.weight = w
    }
}
