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
