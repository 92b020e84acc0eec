/// Purchase histories with each row's frequency replaced by an index into the distinct frequencies,
/// so terms that depend on x alone are computed once per distinct x.
struct FrequencyGroups: Sendable {
    let values: [Double]
    let group: [Int32]
    let recency: [Double]
    let age: [Double]
    let weight: [Double]
    /// The total weight of each distinct frequency.
    let groupWeight: [Double]
    var count: Int { group.count }

    init(_ data: PurchaseHistories) {
        (values, group) = Self.groupIDs(data.frequency)
        var groupWeight = [Double](repeating: 0, count: values.count)
        for (k, w) in zip(group, data.weight) { groupWeight[Int(k)] += w }
        self.groupWeight = groupWeight
        recency = data.recency
        age = data.age
        weight = data.weight
    }

    /// The distinct frequencies, in order of first appearance, and each row's index into them.
    /// Frequencies are counts: small whole numbers index a table directly, anything else a dictionary.
    static func groupIDs(_ frequency: [Double]) -> (values: [Double], group: [Int32]) {
        var small = [Int32](repeating: -1, count: 4096)
        var index: [Double: Int32] = [:]
        var values: [Double] = []
        let group = frequency.map { x -> Int32 in
            if x >= 0 && x < 4096, x == x.rounded(.down) {
                let slot = Int(x)
                if small[slot] < 0 {
                    small[slot] = Int32(values.count)
                    values.append(x)
                }
                return small[slot]
            }
            if let k = index[x] { return k }
            let k = Int32(values.count)
            index[x] = k
            values.append(x)
            return k
        }
        return (values, group)
    }
}
