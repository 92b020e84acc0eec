/// A store's order history as compact columns: one entry per order, customers interned to indices.
///
/// This is what whole-store analytics read. A table holds money in one currency; an order's amount is
/// the sum of its line amounts (negative for cancellations).
public struct TransactionTable: Sendable {
    /// The currency of every amount.
    public var currency: Currency
    /// Customer ids by customer index.
    public internal(set) var customerIDs: [String]
    /// Customer index of each order, `-1` for a guest order.
    public internal(set) var orderCustomer: [Int32]
    /// Each order's instant, seconds since 1970 UTC.
    public internal(set) var orderTime: [Int64]
    /// Each order's amount in minor units.
    public internal(set) var orderAmount: [Int64]
    /// Each order's kind.
    public internal(set) var orderKind: [OrderKind]

    /// The number of orders of every kind.
    public var orderCount: Int { orderTime.count }
    /// The number of known customers.
    public var customerCount: Int { customerIDs.count }

    /// An empty table.
    public init(currency: Currency) {
        self.currency = currency
        customerIDs = []
        orderCustomer = []
        orderTime = []
        orderAmount = []
        orderKind = []
    }
}

/// Builds a ``TransactionTable`` from order lines or whole orders, interning ids as it goes.
///
/// Lines of one order may arrive anywhere in the stream; they are merged by order id. The customer and
/// instant of an order are those of its first line.
///
/// - Complexity: O(1) amortized per line (two hash lookups, skipped when a line continues the previous
///   line's order).
public struct TransactionTableBuilder: Sendable {
    private var table: TransactionTable
    private var customerIndex: [String: Int32] = [:]
    private var orderIndex: [String: Int32] = [:]
    private var lastOrderID: String = ""
    private var lastOrder: Int32 = -1

    /// Starts an empty table in a currency.
    public init(currency: Currency) {
        table = TransactionTable(currency: currency)
    }

    /// The index of a customer id, adding it as a known customer when new.
    @discardableResult
    public mutating func customer(_ id: String) -> Int32 {
        if let index = customerIndex[id] { return index }
        let index = Int32(table.customerIDs.count)
        table.customerIDs.append(id)
        customerIndex[id] = index
        return index
    }

    /// Adds one order line; lines with an order id already seen add to that order's amount.
    public mutating func addLine(orderID: String, customerID: String?, placedAt: Int64, kind: OrderKind, amountMinor: Int64) {
        if lastOrder >= 0 && orderID == lastOrderID {
            table.orderAmount[Int(lastOrder)] = table.orderAmount[Int(lastOrder)].clampedAdding(amountMinor)
            return
        }
        if let existing = orderIndex[orderID] {
            table.orderAmount[Int(existing)] = table.orderAmount[Int(existing)].clampedAdding(amountMinor)
            lastOrder = existing
            lastOrderID = orderID
            return
        }
        let index = appendOrder(customerID: customerID, placedAt: placedAt, kind: kind, amountMinor: amountMinor)
        orderIndex[orderID] = index
        lastOrder = index
        lastOrderID = orderID
    }

    /// Appends a whole order (already aggregated, so not merged with others) and returns its index.
    @discardableResult
    public mutating func appendOrder(customerID: String?, placedAt: Int64, kind: OrderKind, amountMinor: Int64) -> Int32 {
        let index = Int32(table.orderTime.count)
        table.orderCustomer.append(customerID.map { customer($0) } ?? -1)
        table.orderTime.append(placedAt)
        table.orderAmount.append(amountMinor)
        table.orderKind.append(kind)
        return index
    }

    /// The table built so far.
    public func build() -> TransactionTable { table }
}
