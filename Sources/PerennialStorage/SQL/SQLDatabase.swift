/// A database that runs ``SQLQuery`` texts: the SQLite file and the PostgreSQL server alike, so a
/// store method written once against it serves both.
///
/// Reads see committed data. A write is a list of statements run in one transaction: all of them
/// commit, or none do, and the call returns only after the commit. Each statement's rows come back
/// (a `RETURNING` clause tells which rows a statement changed, on both databases).
public protocol SQLDatabase: Sendable {
    /// Which dialect the database speaks, for the few places where the texts differ.
    var dialect: SQLDialect { get }
    /// Runs a query and returns its rows.
    func rows(_ query: SQLQuery) async throws -> [SQLRow]
    /// Runs statements in one transaction and returns each one's rows, in order.
    @discardableResult
    func transaction(_ statements: [SQLQuery]) async throws -> [[SQLRow]]
}

extension SQLDatabase {
    /// The first row of a query, when there is one.
    public func firstRow(_ query: SQLQuery) async throws -> SQLRow? {
        try await rows(query).first
    }

    /// Runs one statement in a transaction of its own and returns its rows.
    @discardableResult
    public func write(_ statement: SQLQuery) async throws -> [SQLRow] {
        try await transaction([statement])[0]
    }
}
