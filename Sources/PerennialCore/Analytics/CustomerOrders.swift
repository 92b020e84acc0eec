/// Each customer's orders before as-of, grouped and in time order: the shape every per-customer
/// computation reads.
struct CustomerOrders: Sendable {
    /// `orders[offsets[c] ..< offsets[c + 1]]` are customer `c`'s orders, sorted by instant.
    let offsets: [Int]
    let orders: [Int32]
    /// Whether a customer was known at as-of: an order before it, or no order at all (a customer record).
    let known: [Bool]

    /// Groups a table's customer orders placed before `asOf`.
    /// - Complexity: O(n) counting sort by customer, plus a sort of any customer whose orders arrived
    ///   out of time order.
    init(table: TransactionTable, asOf: Int64) {
        let customers = table.customerCount
        var counts = [Int](repeating: 0, count: customers + 1)
        var anyOrder = [Bool](repeating: false, count: customers)
        for index in 0..<table.orderCount {
            let customer = Int(table.orderCustomer[index])
            guard customer >= 0 else { continue }
            anyOrder[customer] = true
            if table.orderTime[index] < asOf { counts[customer + 1] += 1 }
        }
        for c in 0..<customers { counts[c + 1] += counts[c] }
        var cursor = counts
        var grouped = [Int32](repeating: 0, count: counts[customers])
        for index in 0..<table.orderCount {
            let customer = Int(table.orderCustomer[index])
            guard customer >= 0, table.orderTime[index] < asOf else { continue }
            grouped[cursor[customer]] = Int32(index)
            cursor[customer] += 1
        }
        let times = table.orderTime
        for c in 0..<customers where counts[c + 1] - counts[c] > 1 {
            let range = counts[c]..<counts[c + 1]
            var sorted = true
            for i in range.dropFirst() where times[Int(grouped[i - 1])] > times[Int(grouped[i])] {
                sorted = false
                break
            }
            if !sorted {
                grouped[range].sort { (times[Int($0)], $0) < (times[Int($1)], $1) }
            }
        }
        offsets = counts
        orders = grouped
        known = (0..<customers).map { counts[$0 + 1] > counts[$0] || !anyOrder[$0] }
    }

    /// Customer `c`'s orders.
    subscript(customer: Int) -> ArraySlice<Int32> { orders[offsets[customer]..<offsets[customer + 1]] }
}
