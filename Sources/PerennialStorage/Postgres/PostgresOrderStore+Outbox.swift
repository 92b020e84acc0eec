import PostgresNIO

extension PostgresOrderStore: OutboxStore {
    /// Adds messages (table `outbox`) in one statement; ids already there are left as they are.
    public func enqueue(_ messages: [OutboxMessage]) async throws -> Int {
        guard !messages.isEmpty else { return 0 }
        let rows = try await query("""
            INSERT INTO outbox (message_id, campaign_id, customer_id, channel, payload, status, attempts, next_attempt_at, created_at)
            SELECT * FROM UNNEST(\(messages.map(\.id))::text[], \(messages.map(\.campaignID))::text[], \(messages.map(\.customerID))::text[],
                                 \(messages.map(\.channel))::text[], \(messages.map(\.payload))::text[], \(messages.map(\.status.rawValue))::text[],
                                 \(messages.map { Int64($0.attempts) })::int8[], \(messages.map(\.nextAttemptAt))::int8[], \(messages.map(\.createdAt))::int8[])
            ON CONFLICT (message_id) DO NOTHING RETURNING message_id
            """, doing: "write")
        var added = 0
        for try await _ in rows { added += 1 }
        return added
    }

    public func dueMessages(now: Int64, limit: Int) async throws -> [OutboxMessage] {
        try await messages("WHERE status = 'pending' AND next_attempt_at <= \(now) ORDER BY next_attempt_at, created_at, message_id LIMIT \(Int64(limit))")
    }

    public func markDelivered(id: String, attempts: Int, at instant: Int64) async throws {
        _ = try await query("""
            UPDATE outbox SET status = 'delivered', attempts = \(Int64(attempts)), delivered_at = \(instant), last_error = NULL WHERE message_id = \(id)
            """, doing: "write")
    }

    public func markFailed(id: String, attempts: Int, nextAttemptAt: Int64, error: String, dead: Bool) async throws {
        _ = try await query("""
            UPDATE outbox SET status = \(dead ? "dead" : "pending"), attempts = \(Int64(attempts)), next_attempt_at = \(nextAttemptAt), last_error = \(error)
            WHERE message_id = \(id) AND status = 'pending'
            """, doing: "write")
    }

    public func outbox(status: OutboxStatus?, limit: Int) async throws -> [OutboxMessage] {
        if let status { return try await messages("WHERE status = \(status.rawValue) ORDER BY created_at, message_id LIMIT \(Int64(limit))") }
        return try await messages("ORDER BY created_at, message_id LIMIT \(Int64(limit))")
    }

    public func retryDead(id: String, now: Int64) async throws -> Bool {
        let rows = try await query("""
            UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = \(now) WHERE message_id = \(id) AND status = 'dead' RETURNING message_id
            """, doing: "write")
        for try await _ in rows { return true }
        return false
    }

    public func outboxCounts() async throws -> [OutboxStatus: Int] {
        var counts: [OutboxStatus: Int] = [:]
        for try await (status, count) in try await query("SELECT status, COUNT(*) FROM outbox GROUP BY status").decode((String, Int64).self) {
            if let status = OutboxStatus(rawValue: status) { counts[status] = Int(count) }
        }
        return counts
    }

    private func messages(_ condition: PostgresQuery) async throws -> [OutboxMessage] {
        var query: PostgresQuery = """
            SELECT message_id, campaign_id, customer_id, channel, payload, status, attempts, next_attempt_at, last_error, created_at, delivered_at FROM outbox 
            """
        query.sql += condition.sql
        query.binds = condition.binds
        var messages: [OutboxMessage] = []
        let rows = try await self.query(query)
        for try await (id, campaign, customer, channel, payload, status, attempts, next, error, created, delivered)
            in rows.decode((String, String, String, String, String, String, Int64, Int64, String?, Int64, Int64?).self) {
            messages.append(OutboxMessage(id: id, campaignID: campaign, customerID: customer, channel: channel, payload: payload, createdAt: created,
                                          status: OutboxStatus(rawValue: status) ?? .pending, attempts: Int(attempts), nextAttemptAt: next,
                                          lastError: error, deliveredAt: delivered))
        }
        return messages
    }
}
