import PerennialCore
import PostgresNIO

extension PostgresOrderStore: HistoryStore {
    /// Two queries: the product lines by order, then the orders.
    public func orderRecords() async throws -> [String: [OrderRecord]] {
        var skus: [String: [String]] = [:]
        let lines = try await query("""
            SELECT l.order_id, l.sku FROM order_lines l LEFT JOIN products p ON p.sku = l.sku WHERE COALESCE(p.is_product, 1) = 1
            ORDER BY l.order_id, l.line_no
            """)
        for try await (order, sku) in lines.decode((String, String).self) { skus[order, default: []].append(sku) }
        var records: [String: [OrderRecord]] = [:]
        let orders = try await query("""
            SELECT customer_id, order_id, placed_at, kind, amount_minor, coupon_code FROM orders WHERE customer_id IS NOT NULL
            ORDER BY customer_id, placed_at, order_id
            """)
        for try await (customer, id, placedAt, kind, amount, coupon) in orders.decode((String, String, Int64, Int64, Int64, String?).self) {
            records[customer, default: []].append(OrderRecord(id: id, placedAt: placedAt, kind: OrderKind(rawValue: UInt8(kind)) ?? .purchase,
                                                              amountMinor: amount, couponCode: coupon, skus: skus[id] ?? []))
        }
        return records
    }

    public func otherEvents() async throws -> [String: [StoredEvent]] {
        var events: [String: [StoredEvent]] = [:]
        let rows = try await query("SELECT event_id, type, customer_id, occurred_at, body FROM events WHERE type <> 'order' ORDER BY customer_id, occurred_at, seq")
        for try await (id, type, customer, occurredAt, body) in rows.decode((String, String, String, Int64, String).self) {
            events[customer, default: []].append(StoredEvent(id: id, type: type, customerID: customer, occurredAt: occurredAt, fieldsJSON: body))
        }
        return events
    }
}
