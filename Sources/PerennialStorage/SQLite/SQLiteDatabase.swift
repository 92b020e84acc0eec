import VaporCSQLite

/// A connection to a SQLite file through the SQLite that sqlite-nio vendors (so no system library is
/// needed), with prepared statements for the bulk paths.
///
/// The connection is opened in serialized mode (`SQLITE_OPEN_FULLMUTEX`): SQLite itself serialises
/// calls, which is what makes sharing it across tasks sound.
final class SQLiteDatabase: @unchecked Sendable {
    let path: String
    private(set) var handle: OpaquePointer?
    /// Statements of ``SQLQuery`` texts, prepared once per connection (a connection is used by one
    /// thread at a time: the writer's, or a reader's while it holds it).
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens or creates a database file.
    init(path: String) throws {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "unknown error"
            sqlite_nio_sqlite3_close(handle)
            throw StorageError(code: status, message: "cannot open the database '\(path)': \(message). Check the path (--db or PERENNIAL_DATABASE) and its permissions.")
        }
        sqlite_nio_sqlite3_busy_timeout(handle, Self.busyMilliseconds)
    }

    /// How long one statement waits for another connection's lock before SQLite gives up (the writer
    /// retries `BEGIN IMMEDIATE` beyond it).
    static let busyMilliseconds: Int32 = 5_000

    /// Whether no transaction is open on the connection.
    var isAutocommit: Bool { sqlite_nio_sqlite3_get_autocommit(handle) != 0 }

    deinit { sqlite_nio_sqlite3_close_v2(handle) }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "error \(status)"
            sqlite_nio_sqlite3_free(error)
            throw StorageError(code: status, message: "database error: \(message)")
        }
    }

    /// Prepares a statement.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status) }
        return SQLiteStatement(statement, database: self)
    }

    /// Runs a ``SQLQuery`` (its `$N` placeholders bound by name) and returns its rows; the statement is
    /// prepared once per connection and reset after use, so it never holds a read snapshot open.
    func rows(_ query: SQLQuery) throws -> [SQLRow] {
        let statement = try cached(query.sql)
        defer { statement.reset() }
        for (i, value) in query.binds.enumerated() { try statement.bind(named: "$\(i + 1)", value) }
        var rows: [SQLRow] = []
        var columns: SQLColumns?
        while try statement.step() {
            let names = columns ?? SQLColumns(statement.columnNames)
            columns = names
            rows.append(SQLRow(columns: names, values: statement.values))
        }
        return rows
    }

    /// The statement of a text, prepared on first use and kept with the connection; reset it after use.
    func cached(_ sql: String) throws -> SQLiteStatement {
        if let statement = cache[sql] { return statement }
        let statement = try prepare(sql)
        cache[sql] = statement
        return statement
    }

    /// The rowid of the last row inserted on this connection.
    var lastInsertedRow: Int64 { sqlite_nio_sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite_nio_sqlite3_changes(handle)) }

    func error(_ status: Int32) -> StorageError {
        StorageError(code: status, message: "database error: \(String(cString: sqlite_nio_sqlite3_errmsg(handle)))")
    }
}

/// A prepared statement: bind, step, read columns, reset.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let database: SQLiteDatabase

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite_nio_sqlite3_finalize(statement) }

    func bind(_ index: Int32, _ value: Int64) { sqlite_nio_sqlite3_bind_int64(statement, index, value) }

    /// Binds the integer, or NULL for `nil`.
    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else {
            sqlite_nio_sqlite3_bind_null(statement, index)
            return
        }
        bind(index, value)
    }

    func bind(_ index: Int32, _ value: Double) { sqlite_nio_sqlite3_bind_double(statement, index, value) }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite_nio_sqlite3_bind_null(statement, index)
            return
        }
        var text = value
        text.withUTF8 { bytes in
            _ = sqlite_nio_sqlite3_bind_text64(statement, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                                               UInt64(bytes.count), SQLITE_TRANSIENT_SWIFT, UInt8(SQLITE_UTF8))
        }
    }

    /// Binds a value to a named parameter (`$1`); a name the text does not use is an error.
    func bind(named name: String, _ value: SQLValue) throws {
        let index = sqlite_nio_sqlite3_bind_parameter_index(statement, name)
        guard index > 0 else { throw StorageError(message: "the statement has no parameter \(name); this is a bug in perennial") }
        switch value {
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        case let .integer(value): bind(index, value)
        case let .real(value): bind(index, value)
        case let .text(value): bind(index, value)
        }
    }

    /// The result's column names.
    var columnNames: [String] {
        (0..<sqlite_nio_sqlite3_column_count(statement)).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
    }

    /// The current row's values, by their stored types.
    var values: [SQLValue] {
        (0..<sqlite_nio_sqlite3_column_count(statement)).map { column in
            switch sqlite_nio_sqlite3_column_type(statement, column) {
            case SQLITE_NULL: return .null
            case SQLITE_INTEGER: return .integer(int64(column))
            case SQLITE_FLOAT: return .real(double(column))
            default: return .text(string(column) ?? "")
            }
        }
    }

    /// Steps once: `true` when a row is ready.
    @discardableResult
    func step() throws -> Bool {
        let status = sqlite_nio_sqlite3_step(statement)
        if status == SQLITE_ROW { return true }
        if status == SQLITE_DONE { return false }
        throw database.error(status)
    }

    /// Resets for new bindings.
    func reset() {
        sqlite_nio_sqlite3_reset(statement)
        sqlite_nio_sqlite3_clear_bindings(statement)
    }

    func int64(_ column: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(statement, column) }

    func double(_ column: Int32) -> Double { sqlite_nio_sqlite3_column_double(statement, column) }

    func isNull(_ column: Int32) -> Bool { sqlite_nio_sqlite3_column_type(statement, column) == SQLITE_NULL }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }
}

/// `SQLITE_TRANSIENT` (the C macro is not imported): SQLite copies the bound bytes.
let SQLITE_TRANSIENT_SWIFT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
