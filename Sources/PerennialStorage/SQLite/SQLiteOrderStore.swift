import Foundation
import PerennialCore
import PerennialModels

/// The embedded store: one SQLite file (`perennial.db` by default), migrated on open.
///
/// ```swift
/// let store = try SQLiteOrderStore(path: "perennial.db")
/// let table = try await store.loadTransactions()
/// ```
///
/// Two connections serve every task: one writes, owned by the store's one writer (``SQLiteWriter``:
/// every write of the process, on its own thread, one transaction at a time), one reads; SQLite
/// serialises the calls on each. Another process writing the same file is waited for.
public final class SQLiteOrderStore: OrderStore, @unchecked Sendable {
    /// The one writer: every write goes through it.
    let writer: SQLiteWriter
    /// A second connection for reads, so that live updates and API reads run beside a commit (WAL
    /// lets readers and the writer proceed at once); it sees every committed write.
    let reader: SQLiteDatabase
    /// Read connections off the cooperative pool, for ``SQLDatabase`` queries.
    let readers: SQLiteReaders
    /// The file's path.
    let path: String
    /// Opens (creating if needed) and migrates a database file.
    ///
    /// - Parameter durable: commit with `synchronous = FULL`, so a committed transaction survives a
    ///   power loss as well as a crash (the server's setting); otherwise `NORMAL`, which survives a crash
    ///   of the process (batch imports).
    public convenience init(path: String, durable: Bool = false) throws {
        try self.init(path: path, durable: durable, migratingThrough: Migration.newest)
    }

    /// Opens a file and migrates it up to `version` (tests make stores of an older schema).
    init(path: String, durable: Bool, migratingThrough version: Int) throws {
        self.path = path
        let database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = \(durable ? "FULL" : "NORMAL"); PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON; PRAGMA journal_size_limit = 67108864;")
        writer = SQLiteWriter(database: database)
        reader = try SQLiteDatabase(path: path)
        readers = SQLiteReaders(path: path)
        try reader.execute("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA query_only = ON;")
        try migrate(through: version)
    }

    /// The schema version the file is at.
    public func schemaVersion() throws -> Int {
        let statement = try reader.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        _ = try statement.step()
        return Int(statement.int64(0))
    }

    private func migrate(through version: Int) throws {
        try writer.performNow { database in
            try database.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)")
        }
        let current = try schemaVersion()
        if current > Migration.newest {
            throw StorageError(message: "the database '\(path)' has schema version \(current), newer than this perennial (\(Migration.newest)). Upgrade perennial.")
        }
        for migration in Migration.all where migration.version > current && migration.version <= version {
            try writer.performNow { database in
                // Another process may have applied it since the version was read.
                let applied = try database.prepare("SELECT 1 FROM schema_migrations WHERE version = ?")
                applied.bind(1, Int64(migration.version))
                guard try !applied.step() else { return }
                try database.execute(migration.sql(.sqlite))
                let record = try database.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
                record.bind(1, Int64(migration.version))
                record.bind(2, migration.name)
                record.bind(3, Int64(Date().timeIntervalSince1970))
                try record.step()
            }
        }
    }

    /// Starts an import (see ``OrderStore/beginImport(source:format:)``).
    public func beginImport(source: String, format: String) async throws -> any OrderImportSession {
        try await SQLiteImportSession.start(writer: writer, source: source, format: format)
    }

    /// Loads every order and known customer (see ``OrderStore/loadTransactions()``).
    public func loadTransactions() async throws -> TransactionTable? {
        let currencyCode = try await setting("currency")
        let stats = try await statistics()
        guard stats.orders > 0 || stats.customers > 0 else { return nil }
        var builder = TransactionTableBuilder(currency: Currency(currencyCode ?? "USD"))
        let customers = try reader.prepare("SELECT customer_id FROM customers ORDER BY rowid")
        while try customers.step() { builder.customer(customers.string(0) ?? "") }
        let orders = try reader.prepare("SELECT customer_id, placed_at, kind, amount_minor FROM orders")
        while try orders.step() {
            builder.appendOrder(customerID: orders.string(0), placedAt: orders.int64(1),
                                kind: OrderKind(rawValue: UInt8(orders.int64(2))) ?? .purchase, amountMinor: orders.int64(3))
        }
        return builder.build()
    }

    /// Each customer's acquisition channel. SQLite returns the bare `channel` of the row that holds
    /// `MIN(placed_at)`; `order_id` breaks ties the way PostgreSQL's `DISTINCT ON` does below.
    public func acquisitionChannels() async throws -> [String: String] {
        let statement = try reader.prepare("""
            SELECT customer_id, channel, MIN(printf('%020d|%s', placed_at, order_id)) FROM orders
            WHERE kind = 0 AND customer_id IS NOT NULL GROUP BY customer_id
            """)
        var channels: [String: String] = [:]
        while try statement.step() {
            if let id = statement.string(0), let channel = statement.string(1), !channel.isEmpty { channels[id] = channel }
        }
        return channels
    }

    /// One customer's orders with lines, oldest first.
    public func orders(ofCustomer id: String) async throws -> [Order] {
        let statement = try reader.prepare("""
            SELECT order_id, placed_at, kind, currency, channel, country FROM orders
            WHERE customer_id = ? ORDER BY placed_at, order_id
            """)
        statement.bind(1, id)
        let lines = try reader.prepare("""
            SELECT l.sku, COALESCE(l.description, ''), l.quantity, l.unit_price_millis, l.amount_minor, COALESCE(p.is_product, 1)
            FROM order_lines l LEFT JOIN products p ON p.sku = l.sku WHERE l.order_id = ? ORDER BY l.line_no
            """)
        var result: [Order] = []
        while try statement.step() {
            var order = Order(id: statement.string(0) ?? "", customerID: id, placedAt: statement.int64(1),
                              kind: OrderKind(rawValue: UInt8(statement.int64(2))) ?? .purchase,
                              currency: Currency(statement.string(3) ?? "USD"),
                              channel: statement.string(4).map(Channel.init(rawValue:)), country: statement.string(5))
            lines.reset()
            lines.bind(1, order.id)
            while try lines.step() {
                order.lines.append(OrderLine(sku: lines.string(0) ?? "", description: lines.string(1) ?? "", quantity: lines.int64(2),
                                             unitPriceMillis: lines.int64(3), amountMinor: lines.int64(4), isProduct: lines.int64(5) != 0))
            }
            result.append(order)
        }
        return result
    }

    /// The number of orders whose stored total differs from the sum of their lines (0 in a healthy file).
    func ordersWithWrongTotals() throws -> Int {
        let statement = try reader.prepare("""
            SELECT COUNT(*) FROM orders o
            WHERE o.amount_minor != (SELECT COALESCE(SUM(l.amount_minor), 0) FROM order_lines l WHERE l.order_id = o.order_id)
            """)
        _ = try statement.step()
        return Int(statement.int64(0))
    }

    /// Whether a customer id is known.
    public func customerExists(_ id: String) async throws -> Bool {
        let statement = try reader.prepare("SELECT 1 FROM customers WHERE customer_id = ?")
        statement.bind(1, id)
        return try statement.step()
    }

    /// Counts of what the file holds.
    public func statistics() async throws -> StoreStatistics {
        let statement = try reader.prepare("""
            SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_lines),
                   (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM imports)
            """)
        _ = try statement.step()
        var stats = StoreStatistics()
        stats.customers = Int(statement.int64(0))
        stats.orders = Int(statement.int64(1))
        stats.lines = Int(statement.int64(2))
        stats.products = Int(statement.int64(3))
        stats.imports = Int(statement.int64(4))
        return stats
    }

    /// A store setting, when set.
    public func setting(_ key: String) async throws -> String? {
        let statement = try reader.prepare("SELECT value FROM settings WHERE key = ?")
        statement.bind(1, key)
        return try statement.step() ? statement.string(0) : nil
    }

    /// Keeps a fitted model (table `model_fits`, as JSON) and its holdout report.
    public func saveModel(_ model: FittedModel, fittedAt: Int64, holdout: HoldoutReport?) async throws {
        let json = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        let holdoutJSON = try holdout.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await writer.perform { database in
            let statement = try database.prepare("""
                INSERT INTO model_fits (model, fitted_at, calibration_end, log_likelihood, customers, fit_json, holdout_json)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            statement.bind(1, model.purchase.model)
            statement.bind(2, fittedAt)
            statement.bind(3, model.calibrationEnd)
            statement.bind(4, model.purchase.logLikelihood)
            statement.bind(5, model.purchase.observations)
            statement.bind(6, json)
            statement.bind(7, holdoutJSON)
            try statement.step()
        }
    }

    /// The most recently saved model with its holdout report.
    public func latestModelRecord() async throws -> ModelRecord? {
        let statement = try reader.prepare("SELECT fit_json, fitted_at, holdout_json FROM model_fits ORDER BY fit_id DESC LIMIT 1")
        guard try statement.step(), let json = statement.string(0) else { return nil }
        do {
            let model = try JSONDecoder().decode(FittedModel.self, from: Data(json.utf8))
            let holdout = try statement.string(2).map { try JSONDecoder().decode(HoldoutReport.self, from: Data($0.utf8)) }
            return ModelRecord(model: model, fittedAt: statement.int64(1), holdout: holdout)
        } catch {
            throw StorageError(message: "the stored model fit cannot be read (\(error)); fit again with perennial fit.")
        }
    }

    /// Sets a store setting.
    public func setSetting(_ key: String, _ value: String) async throws {
        try await writer.perform { database in
            let statement = try database.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            statement.bind(1, key)
            statement.bind(2, value)
            try statement.step()
        }
    }
}
