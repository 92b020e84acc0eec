extension SQLiteOrderStore: SQLDatabase {
    public var dialect: SQLDialect { .sqlite }

    /// Runs a query on a read connection, off the cooperative pool.
    public func rows(_ query: SQLQuery) async throws -> [SQLRow] {
        try await readers.read { try $0.rows(query) }
    }

    /// Runs statements in one transaction on the store's one writer.
    @discardableResult
    public func transaction(_ statements: [SQLQuery]) async throws -> [[SQLRow]] {
        try await writer.perform { database in try statements.map { try database.rows($0) } }
    }
}
