/// Customers × items with what each customer did with each item: the shared input of every model here.
///
/// Customers and items are indexed in ascending id order, so the same purchases always give the same
/// indexes whatever their order. A cell's weight is the number of distinct orders that contained the item.
public struct InteractionData: Sendable {
    /// Customer ids by index.
    public let customers: [String]
    /// Item skus by index.
    public let items: [String]
    /// Index of each customer id.
    public let customerIndex: [String: Int]
    /// Index of each sku.
    public let itemIndex: [String: Int]
    /// Distinct orders containing each item, per customer (customers × items).
    public let orders: SparseMatrix
    /// When the customer first bought the item, aligned with `orders`' entries.
    public let firstBought: [Int64]
    /// When the customer last bought the item, aligned with `orders`' entries.
    public let lastBought: [Int64]
    /// Each customer's number of distinct orders.
    public let customerOrderCount: [Int]
    /// Each customer's first order instant.
    public let customerFirst: [Int64]
    /// Each customer's last order instant.
    public let customerLast: [Int64]
    /// The instant the data describes: the end of its window (the latest purchase, or the cutoff given).
    public let asOf: Int64

    /// Indexes purchases placed before `cutoff` (all of them when `nil`); lines that are not countable
    /// (``Purchase/isCountable``) are left out.
    /// - Complexity: O(n log n) for n purchases.
    public init(purchases: [Purchase], before cutoff: Int64? = nil) {
        let kept = purchases.filter { $0.isCountable && (cutoff == nil || $0.at < cutoff!) }
        let customers = Array(Set(kept.map(\.customer))).sorted()
        let items = Array(Set(kept.map(\.sku))).sorted()
        var customerIndex = [String: Int](minimumCapacity: customers.count)
        for (i, c) in customers.enumerated() { customerIndex[c] = i }
        var itemIndex = [String: Int](minimumCapacity: items.count)
        for (i, s) in items.enumerated() { itemIndex[s] = i }
        var orderIndex = [String: Int](minimumCapacity: kept.count / 8)

        // One key per line: customer, item, order, instant; sorted, then runs of the same cell are read.
        var keys: [(customer: Int32, item: Int32, order: Int32, at: Int64)] = []
        keys.reserveCapacity(kept.count)
        for p in kept {
            let order: Int
            if let known = orderIndex[p.order] { order = known } else { order = orderIndex.count; orderIndex[p.order] = order }
            keys.append((Int32(customerIndex[p.customer]!), Int32(itemIndex[p.sku]!), Int32(order), p.at))
        }
        keys.sort { ($0.customer, $0.item, $0.order) < ($1.customer, $1.item, $1.order) }

        var rowStart = [Int](repeating: 0, count: customers.count + 1)
        var columns: [Int32] = [], values: [Float] = [], first: [Int64] = [], last: [Int64] = []
        var k = 0
        while k < keys.count {
            let c = keys[k].customer, i = keys[k].item
            var count: Float = 0, lo = Int64.max, hi = Int64.min, previousOrder: Int32 = -1
            while k < keys.count && keys[k].customer == c && keys[k].item == i {
                if keys[k].order != previousOrder { count += 1; previousOrder = keys[k].order }
                lo = min(lo, keys[k].at)
                hi = max(hi, keys[k].at)
                k += 1
            }
            columns.append(i); values.append(count); first.append(lo); last.append(hi)
            rowStart[Int(c) + 1] += 1
        }
        for r in 0..<customers.count { rowStart[r + 1] += rowStart[r] }

        // Each customer's distinct orders.
        var orderCount = [Int](repeating: 0, count: customers.count)
        var customerFirst = [Int64](repeating: .max, count: customers.count)
        var customerLast = [Int64](repeating: .min, count: customers.count)
        var seen = [Bool](repeating: false, count: orderIndex.count)
        for key in keys {
            let c = Int(key.customer)
            customerFirst[c] = min(customerFirst[c], key.at)
            customerLast[c] = max(customerLast[c], key.at)
            if !seen[Int(key.order)] { seen[Int(key.order)] = true; orderCount[c] += 1 }
        }

        self.customers = customers
        self.items = items
        self.customerIndex = customerIndex
        self.itemIndex = itemIndex
        self.orders = SparseMatrix(rows: customers.count, columnCount: items.count, rowStart: rowStart, columns: columns, values: values)
        self.firstBought = first
        self.lastBought = last
        self.customerOrderCount = orderCount
        self.customerFirst = customerFirst
        self.customerLast = customerLast
        self.asOf = cutoff ?? (kept.map(\.at).max() ?? 0)
    }

    /// Creates data from stored parts (the indexes are rebuilt).
    public init(customers: [String], items: [String], orders: SparseMatrix, firstBought: [Int64], lastBought: [Int64],
                customerOrderCount: [Int], customerFirst: [Int64], customerLast: [Int64], asOf: Int64) {
        self.customers = customers
        self.items = items
        self.customerIndex = Dictionary(uniqueKeysWithValues: customers.enumerated().map { ($1, $0) })
        self.itemIndex = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1, $0) })
        self.orders = orders
        self.firstBought = firstBought
        self.lastBought = lastBought
        self.customerOrderCount = customerOrderCount
        self.customerFirst = customerFirst
        self.customerLast = customerLast
        self.asOf = asOf
    }

    /// The items a customer bought, as indexes (ascending).
    public func itemsBought(by customer: Int) -> ArraySlice<Int32> { orders.columns[orders.row(customer)] }
}
