extension SQLiteOrderStore: OutboxStore {
    /// Adds messages (table `outbox`); ids already there are left as they are.
    public func enqueue(_ messages: [OutboxMessage]) async throws -> Int {
        try await writer.perform { database in
            let statement = try database.prepare("""
                INSERT OR IGNORE INTO outbox (message_id, campaign_id, customer_id, channel, payload, status, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var added = 0
            for message in messages {
                statement.reset()
                statement.bind(1, message.id)
                statement.bind(2, message.campaignID)
                statement.bind(3, message.customerID)
                statement.bind(4, message.channel)
                statement.bind(5, message.payload)
                statement.bind(6, message.status.rawValue)
                statement.bind(7, Int64(message.attempts))
                statement.bind(8, message.nextAttemptAt)
                statement.bind(9, message.createdAt)
                try statement.step()
                added += database.changes
            }
            return added
        }
    }

    public func dueMessages(now: Int64, limit: Int) async throws -> [OutboxMessage] {
        let statement = try reader.prepare("\(Self.outboxColumns) WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at, message_id LIMIT ?")
        statement.bind(1, now)
        statement.bind(2, Int64(limit))
        return try Self.messages(statement)
    }

    public func markDelivered(id: String, attempts: Int, at instant: Int64) async throws {
        try await writer.perform { database in
            let statement = try database.prepare("UPDATE outbox SET status = 'delivered', attempts = ?, delivered_at = ?, last_error = NULL WHERE message_id = ?")
            statement.bind(1, Int64(attempts))
            statement.bind(2, instant)
            statement.bind(3, id)
            try statement.step()
        }
    }

    public func markFailed(id: String, attempts: Int, nextAttemptAt: Int64, error: String, dead: Bool) async throws {
        try await writer.perform { database in
            let statement = try database.prepare("UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE message_id = ? AND status = 'pending'")
            statement.bind(1, dead ? "dead" : "pending")
            statement.bind(2, Int64(attempts))
            statement.bind(3, nextAttemptAt)
            statement.bind(4, error)
            statement.bind(5, id)
            try statement.step()
        }
    }

    public func outbox(status: OutboxStatus?, limit: Int) async throws -> [OutboxMessage] {
        let statement = try reader.prepare("\(Self.outboxColumns) WHERE ? IS NULL OR status = ? ORDER BY created_at, message_id LIMIT ?")
        statement.bind(1, status?.rawValue)
        statement.bind(2, status?.rawValue)
        statement.bind(3, Int64(limit))
        return try Self.messages(statement)
    }

    public func retryDead(id: String, now: Int64) async throws -> Bool {
        try await writer.perform { database in
            let statement = try database.prepare("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE message_id = ? AND status = 'dead'")
            statement.bind(1, now)
            statement.bind(2, id)
            try statement.step()
            return database.changes > 0
        }
    }

    public func outboxCounts() async throws -> [OutboxStatus: Int] {
        let statement = try reader.prepare("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        var counts: [OutboxStatus: Int] = [:]
        while try statement.step() {
            if let status = OutboxStatus(rawValue: statement.string(0) ?? "") { counts[status] = Int(statement.int64(1)) }
        }
        return counts
    }

    private static let outboxColumns = """
        SELECT message_id, campaign_id, customer_id, channel, payload, status, attempts, next_attempt_at, last_error, created_at, delivered_at FROM outbox
        """

    private static func messages(_ statement: SQLiteStatement) throws -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        while try statement.step() {
            messages.append(OutboxMessage(id: statement.string(0) ?? "", campaignID: statement.string(1) ?? "", customerID: statement.string(2) ?? "",
                                          channel: statement.string(3) ?? "", payload: statement.string(4) ?? "", createdAt: statement.int64(9),
                                          status: OutboxStatus(rawValue: statement.string(5) ?? "") ?? .pending, attempts: Int(statement.int64(6)),
                                          nextAttemptAt: statement.int64(7), lastError: statement.string(8),
                                          deliveredAt: statement.isNull(10) ? nil : statement.int64(10)))
        }
        return messages
    }
}
