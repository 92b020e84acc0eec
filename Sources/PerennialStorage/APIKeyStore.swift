/// Where API keys are kept: only a hash of each key, never the key itself.
public protocol APIKeyStore: Sendable {
    /// Stores a new key's id, role, label and hash.
    func saveKey(_ key: StoredAPIKey) async throws
    /// A key by id, revoked or not.
    func key(id: String) async throws -> StoredAPIKey?
    /// Every key, oldest first.
    func keys() async throws -> [StoredAPIKey]
    /// Marks a key revoked; returns whether a live key with that id existed.
    func revokeKey(id: String, at instant: Int64) async throws -> Bool
}

/// An API key as stored.
public struct StoredAPIKey: Sendable, Hashable, Codable {
    /// The public part of the key, printed in lists and logs.
    public var id: String
    /// `admin`, `analyst` or `ingest`.
    public var role: String
    /// A note on what the key is for.
    public var label: String?
    /// SHA-256 of the whole key, lower-case hex.
    public var hash: String
    /// When it was created, seconds since 1970 UTC.
    public var createdAt: Int64
    /// When it was revoked, if it was.
    public var revokedAt: Int64?

    public init(id: String, role: String, label: String?, hash: String, createdAt: Int64, revokedAt: Int64? = nil) {
        self.id = id
        self.role = role
        self.label = label
        self.hash = hash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// The key store, written once for both databases (table `api_keys`).
extension SQLDatabase {
    public func saveKey(_ key: StoredAPIKey) async throws {
        try await write("""
            INSERT INTO api_keys (key_id, role, label, key_hash, created_at, revoked_at)
            VALUES (\(key.id), \(key.role), \(key.label), \(key.hash), \(key.createdAt), \(key.revokedAt))
            """)
    }

    public func key(id: String) async throws -> StoredAPIKey? {
        try await firstRow("SELECT \(raw: StoredAPIKey.columns) FROM api_keys WHERE key_id = \(id)").map(StoredAPIKey.init(row:))
    }

    public func keys() async throws -> [StoredAPIKey] {
        try await rows("SELECT \(raw: StoredAPIKey.columns) FROM api_keys ORDER BY created_at, key_id").map(StoredAPIKey.init(row:))
    }

    public func revokeKey(id: String, at instant: Int64) async throws -> Bool {
        !(try await write("UPDATE api_keys SET revoked_at = \(instant) WHERE key_id = \(id) AND revoked_at IS NULL RETURNING key_id")).isEmpty
    }
}

extension StoredAPIKey {
    static let columns = "key_id, role, label, key_hash, created_at, revoked_at"

    /// A key from a row of ``columns``.
    init(row: SQLRow) throws {
        self.init(id: try row.decode("key_id"), role: try row.decode("role"), label: try row.decode("label"), hash: try row.decode("key_hash"),
                  createdAt: try row.decode("created_at"), revokedAt: try row.decode("revoked_at"))
    }
}
