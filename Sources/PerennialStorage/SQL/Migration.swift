/// One step of the schema, applied in order and recorded in `schema_migrations`, with its text for
/// each dialect. The list is the schema's one history for both databases.
///
/// A migration is never edited once released; changes are new migrations. Migrations 1–7 predate the
/// shared texts and keep a text per database (``SQLiteSchema``, ``PostgresSchema``); from 8 on, one
/// text serves both, with ``SQLDialect`` deciding where they differ. Timestamps are UTC seconds since
/// 1970; money is integer minor units (`amount_minor`) or thousandths of a major unit
/// (`unit_price_millis`). PostgreSQL runs a text's statements one by one (split at `;`), so no
/// literal in a migration holds a semicolon.
struct Migration: Sendable {
    let version: Int
    let name: String
    let sql: @Sendable (SQLDialect) -> String

    /// Every migration, oldest first.
    static let all: [Migration] = zip(SQLiteSchema.all, PostgresSchema.all).map { sqlite, postgres in
        precondition(sqlite.version == postgres.version && sqlite.name == postgres.name)
        return Migration(version: sqlite.version, name: sqlite.name) { $0 == .sqlite ? sqlite.sql : postgres.sql }
    } + [Migration.stateTables]

    /// The newest version.
    static var newest: Int { all.last?.version ?? 0 }
}
