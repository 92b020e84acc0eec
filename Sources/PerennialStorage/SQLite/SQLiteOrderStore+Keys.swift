extension SQLiteOrderStore: APIKeyStore {
    /// Stores a key's hash (table `api_keys`).
    public func saveKey(_ key: StoredAPIKey) async throws {
        try await writer.perform { database in
            let statement = try database.prepare("INSERT INTO api_keys (key_id, role, label, key_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)")
            statement.bind(1, key.id)
            statement.bind(2, key.role)
            statement.bind(3, key.label)
            statement.bind(4, key.hash)
            statement.bind(5, key.createdAt)
            statement.bind(6, key.revokedAt)
            try statement.step()
        }
    }

    /// A key by id.
    ///
    /// On a read connection of its own, so a revocation committed a moment ago is seen even while a long
    /// scan holds the shared reader's snapshot.
    public func key(id: String) async throws -> StoredAPIKey? {
        try await readers.read { reader in
            let statement = try reader.prepare("SELECT key_id, role, label, key_hash, created_at, revoked_at FROM api_keys WHERE key_id = ?")
            statement.bind(1, id)
            return try statement.step() ? Self.key(statement) : nil
        }
    }

    /// Every key, oldest first.
    public func keys() async throws -> [StoredAPIKey] {
        let statement = try reader.prepare("SELECT key_id, role, label, key_hash, created_at, revoked_at FROM api_keys ORDER BY created_at, key_id")
        var keys: [StoredAPIKey] = []
        while try statement.step() { keys.append(Self.key(statement)) }
        return keys
    }

    /// Revokes a key.
    public func revokeKey(id: String, at instant: Int64) async throws -> Bool {
        try await writer.perform { database in
            let statement = try database.prepare("UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")
            statement.bind(1, instant)
            statement.bind(2, id)
            try statement.step()
            return database.changes > 0
        }
    }

    private static func key(_ statement: SQLiteStatement) -> StoredAPIKey {
        StoredAPIKey(id: statement.string(0) ?? "", role: statement.string(1) ?? "", label: statement.string(2), hash: statement.string(3) ?? "",
                     createdAt: statement.int64(4), revokedAt: statement.isNull(5) ? nil : statement.int64(5))
    }
}
