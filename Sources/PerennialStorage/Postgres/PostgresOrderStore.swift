import Foundation
import Logging
import PerennialCore
import PerennialModels
import PostgresNIO

/// The production store: a PostgreSQL database, migrated on connect, with the same tables and the
/// same behaviour as ``SQLiteOrderStore`` (one suite of store tests runs against both).
///
/// ```swift
/// let store = try await PostgresOrderStore.connect(url: "postgres://perennial@127.0.0.1/perennial")
/// let table = try await store.loadTransactions()
/// ```
///
/// Several `perennial serve` nodes may share one database: event batches take a transaction-scoped
/// advisory lock, so their decisions (duplicates, aliases, cancellations) see each other's commits.
public final class PostgresOrderStore: OrderStore, Sendable {
    let client: PostgresClient
    let logger: Logger
    /// The database's URL without its password.
    public let location: String
    private let runner: Task<Void, Never>

    /// The advisory lock key that serialises event batches across nodes ("prnl").
    static let eventLock: Int64 = 0x7072_6E6C

    private init(location: PostgresLocation, logger: Logger) {
        client = PostgresClient(configuration: location.configuration, backgroundLogger: logger)
        self.logger = logger
        self.location = location.redacted
        runner = Task { [client] in await client.run() }
    }

    deinit { runner.cancel() }

    /// Connects to `postgres://user:password@host:port/database` and migrates the schema.
    ///
    /// - Throws: ``StorageError`` naming the server when it cannot be reached within `timeout`, refuses
    ///   the login, or holds a schema newer than this perennial.
    public static func connect(url: String, timeout: Duration = .seconds(30),
                               logger: Logger = Logger(label: "perennial.postgres")) async throws -> PostgresOrderStore {
        try await connect(url: url, timeout: timeout, migratingThrough: Migration.newest, logger: logger)
    }

    /// Connects and migrates up to `version` (tests make stores of an older schema).
    static func connect(url: String, timeout: Duration, migratingThrough version: Int, logger: Logger) async throws -> PostgresOrderStore {
        // The driver's own chatter (connections opened and closed) stays below warnings; its warnings
        // and errors (a lost connection, a refused login) reach the log.
        var driverLogger = logger
        driverLogger.logLevel = max(logger.logLevel, .warning)
        let store = PostgresOrderStore(location: try PostgresLocation(url: url), logger: driverLogger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.migrate(through: version) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw StorageError(message: "no answer from PostgreSQL at \(store.location) within \(timeout). Check that the server runs and the URL's host and port.")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            store.close()
            throw store.storageError(error, doing: "connect to")
        }
        return store
    }

    /// Closes the connections.
    public func close() { runner.cancel() }

    /// A ``StorageError`` with the server's own message (never the query's values).
    func storageError(_ error: any Error, doing action: String) -> StorageError {
        if let error = error as? StorageError { return error }
        var cause = error
        if let transaction = error as? PostgresTransactionError {
            cause = transaction.closureError ?? transaction.commitError ?? transaction.beginError ?? error
            if let error = cause as? StorageError { return error }
        }
        if let error = cause as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return StorageError(message: "PostgreSQL at \(location) could not \(action) the store: \(message)")
            }
            return StorageError(message: "cannot \(action) PostgreSQL at \(location) (\(error.code)). Check that the server runs, the URL's host, port, user and password, and sslmode.")
        }
        return StorageError(message: "cannot \(action) PostgreSQL at \(location): \(error)")
    }

    /// Runs a query, turning driver errors into ``StorageError``s.
    @discardableResult
    func query(_ query: PostgresQuery, doing action: String = "read") async throws -> PostgresRowSequence {
        do {
            return try await client.query(query, logger: logger)
        } catch {
            throw storageError(error, doing: action)
        }
    }

    /// Runs `body` in a transaction on one connection.
    func transaction<T: Sendable>(doing action: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw storageError(error, doing: action)
        }
    }

    /// The schema version the database is at.
    public func schemaVersion() async throws -> Int {
        let rows = try await query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        for try await version in rows.decode(Int64.self) { return Int(version) }
        return 0
    }

    private func migrate(through version: Int) async throws {
        let logger = logger
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.eventLock + 1))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """, logger: logger)
            var current: Int64 = 0
            for try await version in try await connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", logger: logger).decode(Int64.self) {
                current = version
            }
            if current > Migration.newest {
                throw StorageError(message: "the database at \(self.location) has schema version \(current), newer than this perennial (\(Migration.newest)). Upgrade perennial.")
            }
            for migration in Migration.all where migration.version > current && migration.version <= version {
                for statement in migration.sql(.postgres).split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                    try await connection.query(PostgresQuery(unsafeSQL: String(statement)), logger: logger)
                }
                let now = Int64(Date().timeIntervalSince1970)
                try await connection.query("""
                    INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(Int64(migration.version)), \(migration.name), \(now))
                    """, logger: logger)
            }
        }
    }

    /// Starts an import (see ``OrderStore/beginImport(source:format:)``).
    public func beginImport(source: String, format: String) async throws -> any OrderImportSession {
        try await PostgresImportSession.start(store: self, source: source, format: format)
    }

    /// Loads every order and known customer (see ``OrderStore/loadTransactions()``).
    public func loadTransactions() async throws -> TransactionTable? {
        let currencyCode = try await setting("currency")
        let stats = try await statistics()
        guard stats.orders > 0 || stats.customers > 0 else { return nil }
        var builder = TransactionTableBuilder(currency: Currency(currencyCode ?? "USD"))
        for try await id in try await query("SELECT customer_id FROM customers ORDER BY seq").decode(String.self) {
            builder.customer(id)
        }
        let orders = try await query("SELECT customer_id, placed_at, kind, amount_minor FROM orders ORDER BY seq")
        for try await (customer, placedAt, kind, amount) in orders.decode((String?, Int64, Int64, Int64).self) {
            builder.appendOrder(customerID: customer, placedAt: placedAt, kind: OrderKind(rawValue: UInt8(kind)) ?? .purchase, amountMinor: amount)
        }
        return builder.build()
    }

    /// Each customer's acquisition channel: the channel of the earliest purchase order (then the
    /// smallest order id).
    public func acquisitionChannels() async throws -> [String: String] {
        let rows = try await query("""
            SELECT DISTINCT ON (customer_id) customer_id, channel FROM orders
            WHERE kind = 0 AND customer_id IS NOT NULL ORDER BY customer_id, placed_at, order_id
            """)
        var channels: [String: String] = [:]
        for try await (id, channel) in rows.decode((String, String?).self) {
            if let channel, !channel.isEmpty { channels[id] = channel }
        }
        return channels
    }

    /// One customer's orders with lines, oldest first.
    public func orders(ofCustomer id: String) async throws -> [Order] {
        var orders: [Order] = []
        var index: [String: Int] = [:]
        let heads = try await query("""
            SELECT order_id, placed_at, kind, currency, channel, country FROM orders WHERE customer_id = \(id) ORDER BY placed_at, order_id
            """)
        for try await (orderID, placedAt, kind, currency, channel, country) in heads.decode((String, Int64, Int64, String, String?, String?).self) {
            index[orderID] = orders.count
            orders.append(Order(id: orderID, customerID: id, placedAt: placedAt, kind: OrderKind(rawValue: UInt8(kind)) ?? .purchase,
                                currency: Currency(currency), channel: channel.map(Channel.init(rawValue:)), country: country))
        }
        let lines = try await query("""
            SELECT l.order_id, l.sku, COALESCE(l.description, ''), l.quantity, l.unit_price_millis, l.amount_minor, COALESCE(p.is_product, 1)
            FROM order_lines l JOIN orders o ON o.order_id = l.order_id LEFT JOIN products p ON p.sku = l.sku
            WHERE o.customer_id = \(id) ORDER BY l.order_id, l.line_no
            """)
        for try await (orderID, sku, description, quantity, price, amount, isProduct) in lines.decode((String, String, String, Int64, Int64, Int64, Int64).self) {
            guard let at = index[orderID] else { continue }
            orders[at].lines.append(OrderLine(sku: sku, description: description, quantity: quantity, unitPriceMillis: price,
                                              amountMinor: amount, isProduct: isProduct != 0))
        }
        return orders
    }

    /// The number of orders whose stored total differs from the sum of their lines (0 in a healthy database).
    func ordersWithWrongTotals() async throws -> Int {
        let rows = try await query("""
            SELECT COUNT(*) FROM orders o
            WHERE o.amount_minor != (SELECT COALESCE(SUM(l.amount_minor), 0) FROM order_lines l WHERE l.order_id = o.order_id)
            """)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// The number of stored events.
    func eventCount() async throws -> Int {
        for try await count in try await query("SELECT COUNT(*) FROM events").decode(Int64.self) { return Int(count) }
        return 0
    }

    /// Whether a customer id is known.
    public func customerExists(_ id: String) async throws -> Bool {
        for try await _ in try await query("SELECT 1 FROM customers WHERE customer_id = \(id)") { return true }
        return false
    }

    /// Counts of what the database holds.
    public func statistics() async throws -> StoreStatistics {
        let rows = try await query("""
            SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_lines),
                   (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM imports)
            """)
        var stats = StoreStatistics()
        for try await (customers, orders, lines, products, imports) in rows.decode((Int64, Int64, Int64, Int64, Int64).self) {
            stats.customers = Int(customers)
            stats.orders = Int(orders)
            stats.lines = Int(lines)
            stats.products = Int(products)
            stats.imports = Int(imports)
        }
        return stats
    }

    /// A store setting, when set.
    public func setting(_ key: String) async throws -> String? {
        for try await value in try await query("SELECT value FROM settings WHERE key = \(key)").decode(String.self) { return value }
        return nil
    }

    /// Sets a store setting.
    public func setSetting(_ key: String, _ value: String) async throws {
        try await query("INSERT INTO settings (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                        doing: "write")
    }

    /// Keeps a fitted model (table `model_fits`, as JSON) and its holdout report.
    public func saveModel(_ model: FittedModel, fittedAt: Int64, holdout: HoldoutReport?) async throws {
        let json = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        let holdoutJSON = try holdout.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await query("""
            INSERT INTO model_fits (model, fitted_at, calibration_end, log_likelihood, customers, fit_json, holdout_json)
            VALUES (\(model.purchase.model), \(fittedAt), \(model.calibrationEnd), \(model.purchase.logLikelihood),
                    \(model.purchase.observations), \(json), \(holdoutJSON))
            """, doing: "write")
    }

    /// The most recently saved model with its holdout report.
    public func latestModelRecord() async throws -> ModelRecord? {
        let rows = try await query("SELECT fit_json, fitted_at, holdout_json FROM model_fits ORDER BY fit_id DESC LIMIT 1")
        for try await (json, fittedAt, holdoutJSON) in rows.decode((String, Int64, String?).self) {
            do {
                let model = try JSONDecoder().decode(FittedModel.self, from: Data(json.utf8))
                let holdout = try holdoutJSON.map { try JSONDecoder().decode(HoldoutReport.self, from: Data($0.utf8)) }
                return ModelRecord(model: model, fittedAt: fittedAt, holdout: holdout)
            } catch {
                throw StorageError(message: "the stored model fit cannot be read (\(error)); fit again with perennial fit.")
            }
        }
        return nil
    }
}
