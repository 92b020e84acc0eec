import PostgresNIO

extension PostgresOrderStore: DecisionStore {
    /// Adds decisions (table `campaign_decisions`) in one statement (absent values travel as -1 and empty
    /// text, the arrays having no nulls); ids already there are left as they are.
    public func recordDecisions(_ records: [DecisionRecord]) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        let rows = try await query("""
            INSERT INTO campaign_decisions (decision_id, campaign_id, customer_id, step, decided_at, outcome, reason, action, channel, recorded_at)
            SELECT id, campaign, customer, NULLIF(step, -1), decided, outcome, NULLIF(reason, ''), NULLIF(action, ''), NULLIF(channel, ''), recorded
            FROM UNNEST(\(records.map(\.id))::text[], \(records.map(\.campaignID))::text[], \(records.map(\.customerID))::text[],
                        \(records.map { Int64($0.step ?? -1) })::int8[], \(records.map(\.decidedAt))::int8[], \(records.map(\.outcome))::text[],
                        \(records.map { $0.reason ?? "" })::text[], \(records.map { $0.action ?? "" })::text[], \(records.map { $0.channel ?? "" })::text[],
                        \(records.map(\.recordedAt))::int8[]) AS d(id, campaign, customer, step, decided, outcome, reason, action, channel, recorded)
            ON CONFLICT (decision_id) DO NOTHING RETURNING decision_id
            """, doing: "write")
        var added = 0
        for try await _ in rows { added += 1 }
        return added
    }

    public func decisions(_ query: DecisionQuery) async throws -> [DecisionRecord] {
        let rows = try await self.query("""
            SELECT decision_id, campaign_id, customer_id, step, decided_at, outcome, reason, action, channel, recorded_at FROM campaign_decisions
            WHERE (\(query.campaignID)::text IS NULL OR campaign_id = \(query.campaignID))
              AND (\(query.customerID)::text IS NULL OR customer_id = \(query.customerID))
              AND (\(query.outcome)::text IS NULL OR outcome = \(query.outcome))
            ORDER BY decided_at DESC, decision_id DESC LIMIT \(Int64(query.limit))
            """)
        var records: [DecisionRecord] = []
        for try await (id, campaign, customer, step, decided, outcome, reason, action, channel, recorded)
            in rows.decode((String, String, String, Int64?, Int64, String, String?, String?, String?, Int64).self) {
            records.append(DecisionRecord(id: id, campaignID: campaign, customerID: customer, step: step.map(Int.init), decidedAt: decided,
                                          outcome: outcome, reason: reason, action: action, channel: channel, recordedAt: recorded))
        }
        return records
    }
}
