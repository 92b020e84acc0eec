import PostgresNIO

extension PostgresOrderStore: APIKeyStore {
    /// Stores a key's hash (table `api_keys`).
    public func saveKey(_ key: StoredAPIKey) async throws {
        try await query("""
            INSERT INTO api_keys (key_id, role, label, key_hash, created_at, revoked_at)
            VALUES (\(key.id), \(key.role), \(key.label), \(key.hash), \(key.createdAt), \(key.revokedAt))
            """, doing: "write")
    }

    /// A key by id.
    public func key(id: String) async throws -> StoredAPIKey? {
        try await keys(where: "WHERE key_id = \(id)").first
    }

    /// Every key, oldest first.
    public func keys() async throws -> [StoredAPIKey] {
        try await keys(where: "")
    }

    /// Revokes a key.
    public func revokeKey(id: String, at instant: Int64) async throws -> Bool {
        let rows = try await query("UPDATE api_keys SET revoked_at = \(instant) WHERE key_id = \(id) AND revoked_at IS NULL RETURNING key_id",
                                   doing: "write")
        for try await _ in rows { return true }
        return false
    }

    private func keys(where condition: PostgresQuery) async throws -> [StoredAPIKey] {
        var query: PostgresQuery = "SELECT key_id, role, label, key_hash, created_at, revoked_at FROM api_keys "
        query.sql += condition.sql
        query.binds = condition.binds
        query.sql += " ORDER BY created_at, key_id"
        var keys: [StoredAPIKey] = []
        for try await (id, role, label, hash, created, revoked) in try await self.query(query).decode((String, String, String?, String, Int64, Int64?).self) {
            keys.append(StoredAPIKey(id: id, role: role, label: label, hash: hash, createdAt: created, revokedAt: revoked))
        }
        return keys
    }
}
