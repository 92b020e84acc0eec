/// A value bound to a statement or read from a row.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// One SQL text for both databases, with its bound values: interpolated values become `$1`, `$2`, …
/// placeholders (PostgreSQL's own; SQLite reads them as named parameters), never text in the SQL.
///
/// ```swift
/// let query: SQLQuery = "SELECT role FROM api_keys WHERE key_id = \(id) AND revoked_at IS NULL"
/// // query.sql == "SELECT role FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL"
/// ```
///
/// Where the dialects differ, ``SQLDialect`` decides, and its text is interpolated with
/// `\(raw: dialect.greatest("a", "b"))`.
public struct SQLQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The text with `$N` placeholders.
    public private(set) var sql: String
    /// The values of `$1`, `$2`, … in order.
    public private(set) var binds: [SQLValue]

    /// A query from its text and values.
    public init(sql: String, binds: [SQLValue] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        sql = value
        binds = []
    }

    public init(stringInterpolation: Interpolation) {
        sql = stringInterpolation.sql
        binds = stringInterpolation.binds
    }

    /// The SQL text only: bound values may be personal data and are never printed.
    public var description: String { sql }

    /// Appends another query's text and values, renumbering its placeholders.
    public mutating func append(_ other: SQLQuery) {
        var interpolation = Interpolation(literalCapacity: 0, interpolationCount: 0)
        interpolation.sql = sql
        interpolation.binds = binds
        interpolation.appendInterpolation(other)
        sql = interpolation.sql
        binds = interpolation.binds
    }

    public struct Interpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [SQLValue] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) { sql += literal }

        /// A bound value.
        public mutating func appendInterpolation(_ value: SQLValue) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        public mutating func appendInterpolation(_ value: String) { appendInterpolation(SQLValue.text(value)) }
        public mutating func appendInterpolation(_ value: String?) { appendInterpolation(value.map(SQLValue.text) ?? .null) }
        public mutating func appendInterpolation(_ value: Int64) { appendInterpolation(SQLValue.integer(value)) }
        public mutating func appendInterpolation(_ value: Int64?) { appendInterpolation(value.map(SQLValue.integer) ?? .null) }
        public mutating func appendInterpolation(_ value: Int) { appendInterpolation(SQLValue.integer(Int64(value))) }
        public mutating func appendInterpolation(_ value: Double) { appendInterpolation(SQLValue.real(value)) }
        public mutating func appendInterpolation(_ value: Double?) { appendInterpolation(value.map(SQLValue.real) ?? .null) }
        public mutating func appendInterpolation(_ value: Bool) { appendInterpolation(SQLValue.integer(value ? 1 : 0)) }

        /// Another query, its placeholders renumbered after this one's.
        public mutating func appendInterpolation(_ query: SQLQuery) {
            let offset = binds.count
            binds += query.binds
            guard offset > 0, !query.binds.isEmpty else {
                sql += query.sql
                return
            }
            // Renumber $N (a '$' followed by digits) in the appended text.
            var out = ""
            var chars = query.sql.unicodeScalars.makeIterator()
            var pending: Unicode.Scalar? = chars.next()
            while let c = pending {
                pending = chars.next()
                guard c == "$", let first = pending, ("0"..."9").contains(first) else {
                    out.unicodeScalars.append(c)
                    continue
                }
                var digits = ""
                while let d = pending, ("0"..."9").contains(d) {
                    digits.unicodeScalars.append(d)
                    pending = chars.next()
                }
                out += "$\(Int(digits)! + offset)"
            }
            sql += out
        }

        /// Text written into the SQL as it is: identifiers and dialect fragments only, never values.
        public mutating func appendInterpolation(raw text: String) { sql += text }
    }
}
