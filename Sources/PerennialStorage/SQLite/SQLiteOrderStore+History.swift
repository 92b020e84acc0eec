import PerennialCore

extension SQLiteOrderStore: HistoryStore {
    /// Two scans: the orders, then the product lines (in primary-key order) matched by order id.
    public func orderRecords() async throws -> [String: [OrderRecord]] {
        let lines = try reader.prepare("""
            SELECT l.order_id, l.sku FROM order_lines l LEFT JOIN products p ON p.sku = l.sku WHERE COALESCE(p.is_product, 1) = 1
            """)
        var skus: [String: [String]] = [:]
        while try lines.step() { skus[lines.string(0) ?? "", default: []].append(lines.string(1) ?? "") }
        let orders = try reader.prepare("""
            SELECT customer_id, order_id, placed_at, kind, amount_minor, coupon_code FROM orders WHERE customer_id IS NOT NULL
            ORDER BY customer_id, placed_at, order_id
            """)
        var records: [String: [OrderRecord]] = [:]
        while try orders.step() {
            let id = orders.string(1) ?? ""
            records[orders.string(0) ?? "", default: []].append(
                OrderRecord(id: id, placedAt: orders.int64(2), kind: OrderKind(rawValue: UInt8(orders.int64(3))) ?? .purchase,
                            amountMinor: orders.int64(4), couponCode: orders.string(5), skus: skus[id] ?? []))
        }
        return records
    }

    public func otherEvents() async throws -> [String: [StoredEvent]] {
        let statement = try reader.prepare("""
            SELECT event_id, type, customer_id, occurred_at, body FROM events WHERE type <> 'order' ORDER BY customer_id, occurred_at, rowid
            """)
        var events: [String: [StoredEvent]] = [:]
        while try statement.step() {
            let customer = statement.string(2) ?? ""
            events[customer, default: []].append(StoredEvent(id: statement.string(0) ?? "", type: statement.string(1) ?? "", customerID: customer,
                                                             occurredAt: statement.int64(3), fieldsJSON: statement.string(4) ?? "{}"))
        }
        return events
    }
}
