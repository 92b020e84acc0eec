import PerennialCore

extension SQLiteOrderStore: EventStore {
    /// Stores a batch of events in one transaction, shared with the batches that arrive at the same
    /// time (see ``EventStore/record(_:receivedAt:)`` and ``SQLiteWriter``).
    public func record(_ events: [CustomerEvent], receivedAt: Int64) async throws -> EventWriteReport {
        try await writer.record(events, receivedAt: receivedAt)
    }

    /// A customer's latest events, newest first.
    public func recentEvents(ofCustomer id: String, limit: Int) async throws -> [StoredEvent] {
        let statement = try reader.prepare("""
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

    /// Several customers' orders reduced to instant, kind and amount, oldest first, by customer.
    ///
    /// It runs on a read connection of its own (``SQLiteReaders``): on the shared reader it could join the
    /// older snapshot of a long scan under way and miss the orders it was asked to read.
    public func orderFacts(ofCustomers ids: [String]) async throws -> [String: [OrderFact]] {
        try await readers.read { reader in
            // `= +?`: with a plain `= ?` beside the ORDER BY, SQLite's planner looks at the bound value and
            // re-prepares the statement on every bind (measured: one re-prepare per customer).
            let statement = try reader.cached("SELECT placed_at, kind, amount_minor FROM orders WHERE customer_id = +? ORDER BY placed_at, order_id")
            var facts: [String: [OrderFact]] = [:]
            for id in ids {
                statement.reset()
                statement.bind(1, id)
                while try statement.step() {
                    facts[id, default: []].append(OrderFact(placedAt: statement.int64(0), kind: OrderKind(rawValue: UInt8(statement.int64(1))) ?? .purchase,
                                                            amountMinor: statement.int64(2)))
                }
            }
            // A statement left mid-read would hold the read snapshot open.
            statement.reset()
            return facts
        }
    }

    /// A customer's tags, sorted.
    public func tags(ofCustomer id: String) async throws -> [String] {
        let statement = try reader.prepare("SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag")
        statement.bind(1, id)
        var tags: [String] = []
        while try statement.step() { tags.append(statement.string(0) ?? "") }
        return tags
    }

    /// The number of stored events.
    func eventCount() throws -> Int {
        let statement = try reader.prepare("SELECT COUNT(*) FROM events")
        _ = try statement.step()
        return Int(statement.int64(0))
    }

    /// Adds tags (table `customer_tags`) on the commit thread.
    public func addTags(_ tags: [CustomerTag], at instant: Int64) async throws -> Int {
        guard !tags.isEmpty else { return 0 }
        return try await writer.perform { database in
            let statement = try database.prepare("INSERT OR IGNORE INTO customer_tags (customer_id, tag, added_at) VALUES (?, ?, ?)")
            var added = 0
            for tag in tags {
                statement.reset()
                statement.bind(1, tag.customerID)
                statement.bind(2, tag.tag)
                statement.bind(3, instant)
                try statement.step()
                added += database.changes
            }
            return added
        }
    }
}
