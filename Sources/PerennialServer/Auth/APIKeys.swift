import Crypto
import Foundation
import PerennialStorage

/// What a key may do.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Everything.
    case admin
    /// Read profiles and store figures; no writes.
    case analyst
    /// Post events; nothing else.
    case ingest
}

/// API keys: `prn_<id>_<secret>`, printed once at creation; the store keeps only the SHA-256 of the
/// whole key, so a stolen database does not give working keys.
public enum APIKeys {
    /// A new key for a role: the key to hand over (shown once) and the record to store.
    public static func generate(role: Role, label: String?, now: Int64) -> (key: String, record: StoredAPIKey) {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let key = "prn_\(id)_\(randomToken(bytes: 24))"
        return (key, StoredAPIKey(id: id, role: role.rawValue, label: label, hash: hash(key), createdAt: now))
    }

    /// The id part of a well-formed key, `nil` otherwise.
    public static func id(of key: String) -> String? {
        let parts = key.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "prn", parts[1].count == 8, parts[2].count == 32 else { return nil }
        return String(parts[1])
    }

    /// SHA-256 of a key, lower-case hex.
    public static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether two hex digests are equal, in time independent of where they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// Random bytes from the system's secure generator, base64url without padding.
    static func randomToken(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Checks `Authorization: Bearer` keys against the store, remembering each verified key (in memory
/// only) for a few seconds so the hot path is one dictionary lookup; a revoked key stops working
/// within ``cacheSeconds``.
public final class Authenticator: @unchecked Sendable {
    let store: any APIKeyStore
    /// How long a verified key is trusted without asking the store again.
    public let cacheSeconds: Double
    private let lock = NSLock()
    private var verified: [String: (role: Role, id: String, until: Double)] = [:]

    /// An authenticator over a key store.
    public init(store: any APIKeyStore, cacheSeconds: Double = 10) {
        self.store = store
        self.cacheSeconds = cacheSeconds
    }

    /// The role and key id of a presented key; `nil` when it is unknown, malformed or revoked.
    public func authenticate(_ key: String) async throws -> (role: Role, id: String)? {
        let now = Date().timeIntervalSince1970
        let cached = lock.withLock { verified[key] }
        if let cached, cached.until > now { return (cached.role, cached.id) }
        let digest = APIKeys.hash(key)
        guard let id = APIKeys.id(of: key), let record = try await store.key(id: id), record.revokedAt == nil,
              APIKeys.constantTimeEqual(record.hash, digest), let role = Role(rawValue: record.role) else {
            lock.withLock { verified[key] = nil }
            return nil
        }
        lock.withLock {
            if verified.count > 10_000 { verified = [:] }
            verified[key] = (role, id, now + cacheSeconds)
        }
        return (role, id)
    }
}
