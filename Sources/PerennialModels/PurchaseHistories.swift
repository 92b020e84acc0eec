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
    /// SipHash) finds the repeats. The first ``probeRows`` rows are always collapsed; when fewer than
    /// one in ten of them repeats (continuous-time data, where almost nothing does), the rest are kept
    /// as they are, since a table over millions of unique rows would cost more than it saves. Either
    /// way the likelihoods, which only sum per-row terms, are the same.
    /// - Complexity: O(n) expected.
    public init(frequency: [Double], recency: [Double], age: [Double], weight: [Double]? = nil) {
        precondition(frequency.count == recency.count && recency.count == age.count, "columns of different lengths")
        let n = frequency.count
        var capacity = 16
        while capacity < 2 * Swift.min(n, Self.probeRows) { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        var f: [Double] = [], r: [Double] = [], a: [Double] = [], w: [Double] = []
        f.reserveCapacity(n); r.reserveCapacity(n); a.reserveCapacity(n); w.reserveCapacity(n)
        var collapsedTo = n
        for i in 0..<n {
            if i == Self.probeRows {
                if f.count > Self.probeRows - Self.probeRows / 10 {
                    collapsedTo = i
                    break
                }
                // Repeats are common: grow the table to the whole input and carry on.
                var grown = capacity
                while grown < 2 * n { grown <<= 1 }
                if grown > capacity {
                    capacity = grown
                    slots = Self.rehash(f, r, a, capacity: capacity)
                }
            }
            let mask = capacity - 1
            let x = frequency[i], tx = recency[i], t = age[i]
            var slot = Self.slot(x, tx, t, mask: mask)
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
        if collapsedTo < n {
            f.append(contentsOf: frequency[collapsedTo...])
            r.append(contentsOf: recency[collapsedTo...])
            a.append(contentsOf: age[collapsedTo...])
            if let weight { w.append(contentsOf: weight[collapsedTo...]) } else { w.append(contentsOf: repeatElement(1.0, count: n - collapsedTo)) }
        }
        self.frequency = f
        self.recency = r
        self.age = a
        self.weight = w
    }

    /// How many leading rows are always collapsed, and decide whether the rest are.
    public static let probeRows = 65_536

    /// The table slot of a row (a multiply–xorshift hash of the three values' bit patterns).
    @inline(__always)
    static func slot(_ x: Double, _ tx: Double, _ t: Double, mask: Int) -> Int {
        var h = x.bitPattern &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ tx.bitPattern) &* 0xC2B2_AE3D_27D4_EB4F
        h = (h ^ t.bitPattern) &* 0x1656_67B1_9E37_79F9
        return Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
    }

    /// A table of the given capacity holding rows 0..<f.count.
    static func rehash(_ f: [Double], _ r: [Double], _ a: [Double], capacity: Int) -> [Int32] {
        var slots = [Int32](repeating: -1, count: capacity)
        for row in 0..<f.count {
            var slot = slot(f[row], r[row], a[row], mask: capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(row)
        }
        return slots
    }

    /// ΣT / Σx, clamped to [0.01, 10⁴] (1 without purchases): the scale α at which r = 1 gives the
    /// customers' mean purchase rate, a starting point for the fits.
    public var timePerPurchase: Double {
        var purchases = 0.0, time = 0.0
        for i in 0..<count {
            purchases += weight[i] * frequency[i]
            time += weight[i] * age[i]
        }
        return purchases > 0 && time > 0 ? Swift.min(Swift.max(time / purchases, 0.01), 1e4) : 1
    }

    /// For inputs of more than 200,000 rows, the estimates of a fit on a systematic sample of about
    /// 50,000 of them (`nil` for smaller inputs, or when that fit does not converge). Started there,
    /// Newton's method needs two or three passes over the whole input instead of eight or nine.
    func warmStart(_ fit: (PurchaseHistories) -> FitResult) -> [Double]? {
        guard count > 200_000 else { return nil }
        let result = fit(sample(every: count / 50_000))
        return result.converged ? result.parameters : nil
    }

    /// Every k-th row, its weight multiplied by k: a systematic sample whose fit starts a fit of the
    /// whole close to its optimum.
    func sample(every k: Int) -> PurchaseHistories {
        var copy = self
        let rows = Swift.stride(from: 0, to: count, by: k)
        copy.frequency = rows.map { frequency[$0] }
        copy.recency = rows.map { recency[$0] }
        copy.age = rows.map { age[$0] }
        copy.weight = rows.map { weight[$0] * Double(k) }
        return copy
    }
}
