/// The two SQL dialects Perennial writes: where they differ, one function here decides, so every
/// query is otherwise written once.
///
/// Both accept `$N` placeholders, `ON CONFLICT … DO UPDATE SET x = excluded.x`, `ON CONFLICT DO NOTHING`
/// and `RETURNING`, which is all the shared queries use beyond standard SQL.
public enum SQLDialect: String, Sendable, CaseIterable {
    case sqlite, postgres

    /// The larger of two expressions: `MAX(a, b)` in SQLite, `GREATEST(a, b)` in PostgreSQL.
    public func greatest(_ a: String, _ b: String) -> String {
        self == .sqlite ? "MAX(\(a), \(b))" : "GREATEST(\(a), \(b))"
    }

    /// The type of a 64-bit integer column: SQLite's `INTEGER`, PostgreSQL's `BIGINT`.
    public var integer: String { self == .sqlite ? "INTEGER" : "BIGINT" }

    /// An integer key that numbers rows in insertion order.
    public var serialKey: String { self == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY" }
}
