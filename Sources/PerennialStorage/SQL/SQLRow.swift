/// One row of a result, read by column name and type.
///
/// ```swift
/// let role = try row.decode("role", as: String.self)
/// let revokedAt = try row.decode("revoked_at", as: Int64?.self)
/// ```
public struct SQLRow: Sendable {
    /// The result's column names, shared by its rows.
    public let columns: SQLColumns
    /// The values, in column order.
    public let values: [SQLValue]

    /// A row of values under its columns.
    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of a column as a type; throws naming the column when it is absent or of another type.
    public func decode<T: SQLDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let index = columns.index[column] else {
            throw StorageError(message: "the query has no column \(column) (columns: \(columns.names.joined(separator: ", "))); this is a bug in perennial")
        }
        return try T(sqlValue: values[index], column: column)
    }
}

/// A result's column names with their positions.
public final class SQLColumns: Sendable {
    /// The names, in order.
    public let names: [String]
    /// Each name's position.
    let index: [String: Int]

    /// Columns named in order.
    public init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        self.index = index
    }
}

/// A type a column's value decodes to.
public protocol SQLDecodable {
    /// Decodes a value; throws naming the column when the value does not fit.
    init(sqlValue: SQLValue, column: String) throws
}

extension SQLValue {
    func mismatch(_ column: String, _ expected: String) -> StorageError {
        let found: String
        switch self {
        case .null: found = "NULL"
        case .integer: found = "an integer"
        case .real: found = "a real number"
        case .text: found = "text"
        }
        return StorageError(message: "column \(column) holds \(found) where \(expected) was expected; the database may have been changed by hand")
    }
}

extension Int64: SQLDecodable {
    public init(sqlValue: SQLValue, column: String) throws {
        switch sqlValue {
        case let .integer(value): self = value
        case let .real(value) where value.rounded() == value && abs(value) < 9.2e18: self = Int64(value)
        case let .text(text) where Int64(text) != nil: self = Int64(text)!
        default: throw sqlValue.mismatch(column, "an integer")
        }
    }
}

extension Int: SQLDecodable {
    public init(sqlValue: SQLValue, column: String) throws { self = Int(try Int64(sqlValue: sqlValue, column: column)) }
}

extension Bool: SQLDecodable {
    public init(sqlValue: SQLValue, column: String) throws { self = try Int64(sqlValue: sqlValue, column: column) != 0 }
}

extension Double: SQLDecodable {
    public init(sqlValue: SQLValue, column: String) throws {
        switch sqlValue {
        case let .real(value): self = value
        case let .integer(value): self = Double(value)
        default: throw sqlValue.mismatch(column, "a number")
        }
    }
}

extension String: SQLDecodable {
    public init(sqlValue: SQLValue, column: String) throws {
        switch sqlValue {
        case let .text(text): self = text
        case let .integer(value): self = String(value)
        default: throw sqlValue.mismatch(column, "text")
        }
    }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public init(sqlValue: SQLValue, column: String) throws {
        if case .null = sqlValue { self = nil } else { self = try Wrapped(sqlValue: sqlValue, column: column) }
    }
}
