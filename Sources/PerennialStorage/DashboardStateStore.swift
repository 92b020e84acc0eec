/// The dashboard's own state: its red/amber/green rules (table `dashboard_thresholds`), the alert state
/// each rule was last in (`alert_states`), the secret that signs its forms and cookies
/// (`session_secret`) and its sign-in sessions (`dashboard_sessions`).
public protocol DashboardStateStore: Sendable {
    /// The rules saved through the API (a JSON list), when any were.
    func savedThresholds() async throws -> String?
    /// Replaces the saved rules.
    func saveThresholds(_ rules: String, at instant: Int64) async throws
    /// Each rule's last state, by rule key.
    func alertStates() async throws -> [String: String]
    /// Replaces the stored states with `states` in one transaction (rules no longer present are removed).
    func saveAlertStates(_ states: [String: String], at instant: Int64) async throws
    /// The store's session secret: the stored one, or `candidate` when none is stored yet (two nodes
    /// starting together agree on the first one stored).
    func sessionSecret(proposing candidate: String, at instant: Int64) async throws -> String
    /// Records a sign-in session by the hash of its token (and clears sessions that have expired).
    func saveSession(tokenHash: String, keyID: String, createdAt: Int64, expiresAt: Int64) async throws
    /// The key a session signed in with, when the session exists and has not expired at `now`.
    func sessionKey(tokenHash: String, now: Int64) async throws -> String?
    /// Ends a session (sign-out), and every session that expired before `now`.
    func endSession(tokenHash: String, now: Int64) async throws
}

extension SQLDatabase {
    public func savedThresholds() async throws -> String? {
        try await firstRow("SELECT rules FROM dashboard_thresholds WHERE id = 1")?.decode("rules")
    }

    public func saveThresholds(_ rules: String, at instant: Int64) async throws {
        try await write("""
            INSERT INTO dashboard_thresholds (id, rules, saved_at) VALUES (1, \(rules), \(instant))
            ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, saved_at = excluded.saved_at
            """)
    }

    public func alertStates() async throws -> [String: String] {
        var states: [String: String] = [:]
        for row in try await rows("SELECT rule_key, state FROM alert_states") { states[try row.decode("rule_key")] = try row.decode("state") }
        return states
    }

    public func saveAlertStates(_ states: [String: String], at instant: Int64) async throws {
        var statements: [SQLQuery] = []
        var kept: SQLQuery = "DELETE FROM alert_states"
        if !states.isEmpty {
            kept.append(" WHERE rule_key NOT IN (")
            for (i, key) in states.keys.sorted().enumerated() { kept.append(i == 0 ? "\(key)" : ", \(key)") }
            kept.append(")")
        }
        statements.append(kept)
        for (key, state) in states.sorted(by: { $0.key < $1.key }) {
            statements.append("""
                INSERT INTO alert_states (rule_key, state, changed_at) VALUES (\(key), \(state), \(instant))
                ON CONFLICT (rule_key) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at WHERE alert_states.state <> excluded.state
                """)
        }
        try await transaction(statements)
    }

    public func sessionSecret(proposing candidate: String, at instant: Int64) async throws -> String {
        let rows = try await transaction([
            "INSERT INTO session_secret (id, secret, created_at) VALUES (1, \(candidate), \(instant)) ON CONFLICT (id) DO NOTHING",
            "SELECT secret FROM session_secret WHERE id = 1",
        ])
        guard let row = rows[1].first else { throw StorageError(message: "the session secret could not be stored") }
        return try row.decode("secret")
    }

    public func saveSession(tokenHash: String, keyID: String, createdAt: Int64, expiresAt: Int64) async throws {
        try await transaction([
            "DELETE FROM dashboard_sessions WHERE expires_at <= \(createdAt)",
            "INSERT INTO dashboard_sessions (token_hash, key_id, created_at, expires_at) VALUES (\(tokenHash), \(keyID), \(createdAt), \(expiresAt))",
        ])
    }

    public func sessionKey(tokenHash: String, now: Int64) async throws -> String? {
        try await firstRow("SELECT key_id FROM dashboard_sessions WHERE token_hash = \(tokenHash) AND expires_at > \(now)")?.decode("key_id")
    }

    public func endSession(tokenHash: String, now: Int64) async throws {
        try await transaction([
            "DELETE FROM dashboard_sessions WHERE token_hash = \(tokenHash)",
            "DELETE FROM dashboard_sessions WHERE expires_at <= \(now)",
        ])
    }
}
