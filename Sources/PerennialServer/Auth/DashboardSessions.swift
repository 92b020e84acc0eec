import Crypto
import Foundation
import PerennialStorage

/// Dashboard sign-in sessions and the anti-forgery tokens of the dashboard's forms.
///
/// A session is a random token in an HttpOnly cookie; the store keeps only its SHA-256 with the key it
/// signed in with and its expiry (table `dashboard_sessions`), so every `serve` node on one database
/// accepts it, signing out ends it everywhere, and the cookie never holds the key. Each page view also
/// checks that the key still exists and is not revoked, so revoking a key signs its sessions out.
///
/// Forms carry a token that only this store's servers can make: an HMAC-SHA256, under a secret kept in
/// the store (table `session_secret`), of the form's purpose and what it belongs to — the sign-out
/// form to its session, the sign-in form to a random value in a cookie of its own. A page on another
/// site can neither read those cookies nor make the token, so it cannot sign a browser in or out.
public struct DashboardSessions: Sendable {
    /// The session cookie's name.
    public static let cookieName = "perennial_session"
    /// The cookie the sign-in form's token is bound to.
    public static let formCookieName = "perennial_form"
    /// How long a session lasts, in seconds (12 hours).
    public static let lifetime: Int64 = 12 * 3600
    private let secret: [UInt8]
    private let store: any DashboardStateStore

    /// Sessions kept in `store`, with forms signed under `secret`.
    public init(secret: String, store: any DashboardStateStore) {
        self.secret = Array(secret.utf8)
        self.store = store
    }

    /// The sessions of a store: reads the secret from it, creating it on first use (two nodes starting
    /// together agree on the first one stored).
    public static func load(from store: any DashboardStateStore) async throws -> DashboardSessions {
        let secret = try await store.sessionSecret(proposing: APIKeys.randomToken(bytes: 32), at: Int64(Date().timeIntervalSince1970))
        return DashboardSessions(secret: secret, store: store)
    }

    /// Starts a session for a key and returns the cookie's token.
    public func start(keyID: String, now: Int64) async throws -> String {
        let token = APIKeys.randomToken(bytes: 32)
        try await store.saveSession(tokenHash: Self.hash(token), keyID: keyID, createdAt: now, expiresAt: now + Self.lifetime)
        return token
    }

    /// The key id of a session that exists and has not expired; `nil` otherwise.
    public func keyID(of token: String, now: Int64) async throws -> String? {
        guard (1...128).contains(token.utf8.count) else { return nil }
        return try await store.sessionKey(tokenHash: Self.hash(token), now: now)
    }

    /// Ends a session (and clears expired ones).
    public func end(_ token: String, now: Int64) async throws {
        try await store.endSession(tokenHash: Self.hash(token), now: now)
    }

    /// The anti-forgery token of a form for `purpose` (`signin`, `signout`) bound to `binding`.
    public func formToken(_ purpose: String, boundTo binding: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(purpose)\u{0}\(binding)".utf8), using: SymmetricKey(data: secret))
        return Self.base64URL(Data(mac))
    }

    /// Whether a form's token is the one ``formToken(_:boundTo:)`` makes (compared in constant time).
    public func isValid(formToken: String?, purpose: String, boundTo binding: String?) -> Bool {
        guard let formToken, let binding, !binding.isEmpty else { return false }
        return APIKeys.constantTimeEqual(formToken, self.formToken(purpose, boundTo: binding))
    }

    /// The SHA-256 of a token, in hex: what the store keeps.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
