import PerennialCore

extension SQLiteOrderStore: EventStore {
    /// Stores a batch of events in one transaction (see ``EventStore/record(_:receivedAt:)``).
    public func record(_ events: [CustomerEvent], receivedAt: Int64) async throws -> EventWriteReport {
        try withEventWriter { try $0.record(events, receivedAt: receivedAt) }
    }

    /// A customer's latest events, newest first.
    public func recentEvents(ofCustomer id: String, limit: Int) async throws -> [StoredEvent] {
        let statement = try database.prepare("""
            SELECT event_id, type, occurred_at, body FROM events WHERE customer_id = ? ORDER BY occurred_at DESC, rowid DESC LIMIT ?
            """)
        statement.bind(1, id)
        statement.bind(2, Int64(limit))
        var events: [StoredEvent] = []
        while try statement.step() {
            events.append(StoredEvent(id: statement.string(0) ?? "", type: statement.string(1) ?? "", customerID: id,
                                      occurredAt: statement.int64(2), fieldsJSON: statement.string(3) ?? "{}"))
        }
        return events
    }

    /// A customer's orders reduced to instant, kind and amount, oldest first.
    public func orderFacts(ofCustomer id: String) async throws -> [OrderFact] {
        let statement = try database.prepare("SELECT placed_at, kind, amount_minor FROM orders WHERE customer_id = ? ORDER BY placed_at, order_id")
        statement.bind(1, id)
        var facts: [OrderFact] = []
        while try statement.step() {
            facts.append(OrderFact(placedAt: statement.int64(0), kind: OrderKind(rawValue: UInt8(statement.int64(1))) ?? .purchase,
                                   amountMinor: statement.int64(2)))
        }
        return facts
    }

    /// A customer's tags, sorted.
    public func tags(ofCustomer id: String) async throws -> [String] {
        let statement = try database.prepare("SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag")
        statement.bind(1, id)
        var tags: [String] = []
        while try statement.step() { tags.append(statement.string(0) ?? "") }
        return tags
    }

    /// The number of stored events.
    func eventCount() throws -> Int {
        let statement = try database.prepare("SELECT COUNT(*) FROM events")
        _ = try statement.step()
        return Int(statement.int64(0))
    }
}
