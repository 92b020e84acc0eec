import Crypto
import Foundation
import PerennialStorage

/// Dashboard sign-in sessions: a cookie `<key id>.<expiry>.<signature>`, signed with HMAC-SHA256
/// under a secret kept in the store's settings (so every `serve` node on one database accepts it).
/// The cookie never holds the key; each page view checks that the key still exists and is not
/// revoked, so revoking a key signs its sessions out.
public struct DashboardSessions: Sendable {
    /// The cookie's name.
    public static let cookieName = "perennial_session"
    /// How long a session lasts, in seconds (12 hours).
    public static let lifetime: Int64 = 12 * 3600
    private let secret: [UInt8]

    /// Sessions under a secret.
    public init(secret: String) { self.secret = Array(secret.utf8) }

    /// The sessions of a store: reads the secret from its settings, creating it on first use.
    public static func load(from store: any OrderStore) async throws -> DashboardSessions {
        if let secret = try await store.setting("session_secret") { return DashboardSessions(secret: secret) }
        try await store.setSetting("session_secret", APIKeys.randomToken(bytes: 32))
        // Two nodes starting together may both write: use whichever was stored last.
        return DashboardSessions(secret: try await store.setting("session_secret") ?? "")
    }

    /// The cookie value of a new session for a key.
    public func token(keyID: String, now: Int64) -> String {
        let payload = "\(keyID).\(now + Self.lifetime)"
        return payload + "." + signature(payload)
    }

    /// The key id of a valid, unexpired session token; `nil` otherwise.
    public func keyID(of token: String, now: Int64) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expiry = Int64(parts[1]), expiry > now else { return nil }
        let payload = "\(parts[0]).\(parts[1])"
        guard APIKeys.constantTimeEqual(signature(payload), String(parts[2])) else { return nil }
        return String(parts[0])
    }

    private func signature(_ payload: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: secret))
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
