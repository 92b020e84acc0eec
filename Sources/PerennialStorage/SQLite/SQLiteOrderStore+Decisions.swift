extension SQLiteOrderStore: DecisionStore {
    /// Adds decisions (table `campaign_decisions`); ids already there are left as they are.
    public func recordDecisions(_ records: [DecisionRecord]) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        return try await writer.perform { database in
            let statement = try database.prepare("""
                INSERT OR IGNORE INTO campaign_decisions (decision_id, campaign_id, customer_id, step, decided_at, outcome, reason, action, channel, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var added = 0
            for record in records {
                statement.reset()
                statement.bind(1, record.id)
                statement.bind(2, record.campaignID)
                statement.bind(3, record.customerID)
                statement.bind(4, record.step.map(Int64.init))
                statement.bind(5, record.decidedAt)
                statement.bind(6, record.outcome)
                statement.bind(7, record.reason)
                statement.bind(8, record.action)
                statement.bind(9, record.channel)
                statement.bind(10, record.recordedAt)
                try statement.step()
                added += database.changes
            }
            return added
        }
    }

    public func decisions(_ query: DecisionQuery) async throws -> [DecisionRecord] {
        let statement = try reader.prepare("""
            SELECT decision_id, campaign_id, customer_id, step, decided_at, outcome, reason, action, channel, recorded_at FROM campaign_decisions
            WHERE (?1 IS NULL OR campaign_id = ?1) AND (?2 IS NULL OR customer_id = ?2) AND (?3 IS NULL OR outcome = ?3)
            ORDER BY decided_at DESC, decision_id DESC LIMIT ?4
            """)
        statement.bind(1, query.campaignID)
        statement.bind(2, query.customerID)
        statement.bind(3, query.outcome)
        statement.bind(4, Int64(query.limit))
        var records: [DecisionRecord] = []
        while try statement.step() {
            records.append(DecisionRecord(id: statement.string(0) ?? "", campaignID: statement.string(1) ?? "", customerID: statement.string(2) ?? "",
                                          step: statement.isNull(3) ? nil : Int(statement.int64(3)), decidedAt: statement.int64(4),
                                          outcome: statement.string(5) ?? "", reason: statement.string(6), action: statement.string(7),
                                          channel: statement.string(8), recordedAt: statement.int64(9)))
        }
        return records
    }
}
