import Foundation
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL, parsed into a client configuration.
///
/// `sslmode` follows libpq: `disable`, `prefer` (the default: TLS when the server offers it),
/// `require` (TLS, certificate not checked) and `verify-full` (TLS with the certificate checked).
struct PostgresLocation {
    var configuration: PostgresClient.Configuration
    /// The URL without its password, for messages and logs.
    var redacted: String

    /// Whether a `--db` value names a PostgreSQL server rather than a SQLite file.
    static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    init(url text: String) throws {
        let example = "postgres://user:password@127.0.0.1:5432/perennial"
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw StorageError(message: "'\(Self.redact(text))' is not a PostgreSQL URL; write it as \(example).")
        }
        guard let user = url.user, !user.isEmpty else {
            throw StorageError(message: "the PostgreSQL URL names no user; write it as \(example).")
        }
        let host = url.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        let port = url.port ?? 5432
        var database = String(url.path.drop { $0 == "/" })
        if database.isEmpty { database = user }
        let mode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        var tls = TLSConfiguration.makeClientConfiguration()
        let choice: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": choice = .disable
        case "prefer", "require":
            tls.certificateVerification = .none
            choice = mode == "prefer" ? .prefer(tls) : .require(tls)
        case "verify-full": choice = .require(tls)
        default:
            throw StorageError(message: "sslmode '\(mode)' is not supported; use disable, prefer, require or verify-full.")
        }
        configuration = PostgresClient.Configuration(host: host, port: port, username: user.removingPercentEncoding ?? user,
                                                     password: url.password?.removingPercentEncoding, database: database, tls: choice)
        configuration.options.maximumConnections = 8
        redacted = Self.redact(text)
    }

    /// The URL with any password replaced by `***`.
    static func redact(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? text
    }
}
