extension Migration {
    /// Migration 8: campaigns (with their pause state), the campaign cursor, dashboard thresholds, alert
    /// states, the dashboard session secret and dashboard sessions move out of the schema-less
    /// `settings` table into tables of their own, so each is changed by one transactional statement
    /// instead of a read-modify-write of a JSON value. Today's settings rows are moved and removed.
    static let stateTables = Migration(version: 8, name: "campaigns, cursor, thresholds, alert states and sessions in tables") { dialect in
        let integer = dialect.integer
        return """
            CREATE TABLE campaigns (
                campaign_id TEXT PRIMARY KEY,
                position \(integer) NOT NULL,
                definition TEXT NOT NULL,
                active \(integer) NOT NULL DEFAULT 1,
                applied_at \(integer) NOT NULL,
                changed_at \(integer) NOT NULL
            );
            CREATE TABLE campaign_cursor (id \(integer) PRIMARY KEY CHECK (id = 1), through \(integer) NOT NULL);
            CREATE TABLE dashboard_thresholds (id \(integer) PRIMARY KEY CHECK (id = 1), rules TEXT NOT NULL, saved_at \(integer) NOT NULL);
            CREATE TABLE alert_states (rule_key TEXT PRIMARY KEY, state TEXT NOT NULL, changed_at \(integer) NOT NULL);
            CREATE TABLE session_secret (id \(integer) PRIMARY KEY CHECK (id = 1), secret TEXT NOT NULL, created_at \(integer) NOT NULL);
            CREATE TABLE dashboard_sessions (
                token_hash TEXT PRIMARY KEY,
                key_id TEXT NOT NULL,
                created_at \(integer) NOT NULL,
                expires_at \(integer) NOT NULL
            );
            CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);
            \(moveCampaigns(dialect));
            \(moveAlertStates(dialect));
            INSERT INTO dashboard_thresholds (id, rules, saved_at) SELECT 1, value, 0 FROM settings WHERE key = 'dashboard_thresholds';
            INSERT INTO campaign_cursor (id, through) SELECT 1, CAST(value AS \(integer)) FROM settings WHERE key = 'campaign_cursor';
            INSERT INTO session_secret (id, secret, created_at) SELECT 1, value, 0 FROM settings WHERE key = 'session_secret';
            DELETE FROM settings WHERE key IN ('campaigns', 'campaign_cursor', 'dashboard_thresholds', 'alert_states', 'session_secret')
            """
    }

    /// The `campaigns` setting (a JSON list of definitions, in the order applied) as rows.
    private static func moveCampaigns(_ dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite:
            return """
                INSERT INTO campaigns (campaign_id, position, definition, active, applied_at, changed_at)
                SELECT json_extract(e.value, '$.id'), CAST(e.key AS INTEGER), e.value,
                       CASE WHEN json_extract(e.value, '$.active') = 0 THEN 0 ELSE 1 END, 0, 0
                FROM settings s, json_each(CASE WHEN json_valid(s.value) AND json_type(s.value) = 'array' THEN s.value ELSE '[]' END) e
                WHERE s.key = 'campaigns' AND json_type(e.value, '$.id') = 'text'
                ON CONFLICT (campaign_id) DO NOTHING
                """
        case .postgres:
            return """
                INSERT INTO campaigns (campaign_id, position, definition, active, applied_at, changed_at)
                SELECT e.value->>'id', e.ordinality - 1, e.value::text, CASE WHEN e.value->'active' = 'false'::jsonb THEN 0 ELSE 1 END, 0, 0
                FROM settings s, jsonb_array_elements(CASE WHEN s.key <> 'campaigns' THEN '[]'::jsonb
                                                           WHEN jsonb_typeof(s.value::jsonb) = 'array' THEN s.value::jsonb
                                                           ELSE '[]'::jsonb END) WITH ORDINALITY AS e(value, ordinality)
                WHERE s.key = 'campaigns' AND jsonb_typeof(e.value->'id') = 'string'
                ON CONFLICT (campaign_id) DO NOTHING
                """
        }
    }

    /// The `alert_states` setting (a JSON object of rule key to state) as rows.
    private static func moveAlertStates(_ dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite:
            return """
                INSERT INTO alert_states (rule_key, state, changed_at)
                SELECT e.key, e.value, 0
                FROM settings s, json_each(CASE WHEN json_valid(s.value) AND json_type(s.value) = 'object' THEN s.value ELSE '{}' END) e
                WHERE s.key = 'alert_states' AND e.type = 'text'
                ON CONFLICT (rule_key) DO NOTHING
                """
        case .postgres:
            return """
                INSERT INTO alert_states (rule_key, state, changed_at)
                SELECT e.key, e.value, 0
                FROM settings s, jsonb_each_text(CASE WHEN s.key <> 'alert_states' THEN '{}'::jsonb
                                                      WHEN jsonb_typeof(s.value::jsonb) = 'object' THEN s.value::jsonb
                                                      ELSE '{}'::jsonb END) e
                WHERE s.key = 'alert_states'
                ON CONFLICT (rule_key) DO NOTHING
                """
        }
    }
}
