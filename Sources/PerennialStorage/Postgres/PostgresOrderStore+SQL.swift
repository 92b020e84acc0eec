import PostgresNIO

extension PostgresOrderStore: SQLDatabase {
    public var dialect: SQLDialect { .postgres }

    public func rows(_ query: SQLQuery) async throws -> [SQLRow] {
        try await Self.collect(try await self.query(query.postgres))
    }

    /// Runs statements in one transaction on one connection.
    @discardableResult
    public func transaction(_ statements: [SQLQuery]) async throws -> [[SQLRow]] {
        let logger = logger
        return try await transaction(doing: "write") { connection in
            var results: [[SQLRow]] = []
            for statement in statements { results.append(try await Self.collect(try await connection.query(statement.postgres, logger: logger))) }
            return results
        }
    }

    /// Reads every row of a result as values of their columns' types.
    static func collect(_ sequence: PostgresRowSequence) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        var names: SQLColumns?
        for try await row in sequence {
            let columns = names ?? SQLColumns(row.map(\.columnName))
            names = columns
            var values: [SQLValue] = []
            values.reserveCapacity(columns.names.count)
            for cell in row {
                guard cell.bytes != nil else {
                    values.append(.null)
                    continue
                }
                switch cell.dataType {
                case .int2, .int4, .int8: values.append(.integer(try cell.decode(Int64.self)))
                case .float4, .float8: values.append(.real(try cell.decode(Double.self)))
                case .bool: values.append(.integer(try cell.decode(Bool.self) ? 1 : 0))
                default: values.append(.text(try cell.decode(String.self)))
                }
            }
            rows.append(SQLRow(columns: columns, values: values))
        }
        return rows
    }
}

extension SQLQuery {
    /// The query with its values bound as PostgreSQL parameters.
    var postgres: PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case let .integer(value): bindings.append(value)
            case let .real(value): bindings.append(value)
            case let .text(value): bindings.append(value)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
