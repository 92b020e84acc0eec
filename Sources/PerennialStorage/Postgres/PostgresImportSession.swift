import Foundation
import PerennialCore
import PostgresNIO

/// Writes one import's lines into PostgreSQL, one transaction per batch and one statement per table.
///
/// Lines are keyed by ``LineNumbering`` exactly as in SQLite, so a re-import finds every line stored and
/// changes nothing. Each batch inserts its lines (leaving stored ones), then upserts each order's header
/// with the total of the lines it stored (added to a header stored before), then the new customers and
/// products, naming products stored without a description.
final class PostgresImportSession: OrderImportSession {
    private let store: PostgresOrderStore
    private let importID: Int64
    private var numbering = LineNumbering()
    private var seenCustomers: Set<String> = []
    private var seenProducts: Set<String> = []
    private var namedProducts: Set<String> = []
    private var counts = ImportCounts()

    private init(store: PostgresOrderStore, importID: Int64) {
        self.store = store
        self.importID = importID
    }

    static func start(store: PostgresOrderStore, source: String, format: String) async throws -> PostgresImportSession {
        let now = Int64(Date().timeIntervalSince1970)
        let rows = try await store.query("""
            INSERT INTO imports (source, format, started_at) VALUES (\(source), \(format), \(now)) RETURNING import_id
            """, doing: "write")
        for try await id in rows.decode(Int64.self) { return PostgresImportSession(store: store, importID: id) }
        throw StorageError(message: "PostgreSQL at \(store.location) did not return the new import's id.")
    }

    /// An order header: the order's first line in a batch.
    private struct Header {
        var line: OrderLineRecord
        var amount: Int64 = 0
    }

    func write(_ batch: [OrderLineRecord]) async throws {
        guard !batch.isEmpty else { return }
        var lines: [EventBatchPlan.LineRow] = []
        lines.reserveCapacity(batch.count)
        var headers: [Header] = []
        var headerIndex: [String: Int] = [:]
        var customers: [(id: String, country: String, firstSeenAt: Int64)] = []
        var products: [(sku: String, description: String, category: String, isProduct: Int64)] = []
        var names: [(sku: String, description: String)] = []
        for record in batch {
            let number = numbering.next(record.orderID).number
            // Every order with lines in the batch gets its header upserted, also when its run began in
            // the batch before.
            if headerIndex[record.orderID] == nil {
                headerIndex[record.orderID] = headers.count
                headers.append(Header(line: record))
            }
            lines.append(EventBatchPlan.LineRow(orderID: record.orderID, number: Int64(number), line: OrderLine(
                sku: record.sku, description: record.description, quantity: record.quantity,
                unitPriceMillis: record.unitPriceMillis, amountMinor: record.amountMinor)))
            if let customer = record.customerID, seenCustomers.insert(customer).inserted {
                customers.append((customer, record.country ?? "", record.placedAt))
            }
            guard !record.sku.isEmpty else { continue }
            if seenProducts.insert(record.sku).inserted {
                products.append((record.sku, record.description, record.category ?? "", record.isProduct ? 1 : 0))
                if !record.description.isEmpty { namedProducts.insert(record.sku) }
            } else if !record.description.isEmpty, namedProducts.insert(record.sku).inserted {
                // The first line with a description names a product stored without one.
                names.append((record.sku, record.description))
            }
        }
        let logger = store.logger
        let importID = importID
        let (inserted, newOrders, newCustomers, newProducts) = try await store.transaction(doing: "import into") { connection in
            let inserted = try await PostgresOrderStore.insertLines(lines, ignoreStored: true, on: connection, logger: logger)
            var amounts: [String: Int64] = [:]
            for line in inserted { amounts[line.orderID] = (amounts[line.orderID] ?? 0).clampedAdding(line.amountMinor) }
            let newOrders = try await Self.upsertOrders(headers, amounts: amounts, importID: importID, on: connection, logger: logger)
            let newCustomers = try await Self.count(connection.query("""
                INSERT INTO customers (customer_id, country, first_seen_at)
                SELECT id, NULLIF(country, ''), seen FROM UNNEST(\(customers.map(\.id))::text[], \(customers.map(\.country))::text[],
                    \(customers.map(\.firstSeenAt))::int8[]) AS c(id, country, seen)
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger))
            let newProducts = try await Self.count(connection.query("""
                INSERT INTO products (sku, description, category, is_product)
                SELECT sku, NULLIF(description, ''), NULLIF(category, ''), is_product
                FROM UNNEST(\(products.map(\.sku))::text[], \(products.map(\.description))::text[], \(products.map(\.category))::text[],
                            \(products.map(\.isProduct))::int8[]) AS p(sku, description, category, is_product)
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger))
            if !names.isEmpty {
                try await connection.query("""
                    UPDATE products SET description = n.description
                    FROM UNNEST(\(names.map(\.sku))::text[], \(names.map(\.description))::text[]) AS n(sku, description)
                    WHERE products.sku = n.sku AND products.description IS NULL
                    """, logger: logger)
            }
            return (inserted.count, newOrders, newCustomers, newProducts)
        }
        counts.linesInserted += inserted
        counts.linesUnchanged += batch.count - inserted
        counts.ordersInserted += newOrders
        counts.customersInserted += newCustomers
        counts.productsInserted += newProducts
    }

    /// Inserts new headers with their stored lines' total, and adds that total to headers stored before;
    /// returns how many were new.
    private static func upsertOrders(_ headers: [Header], amounts: [String: Int64], importID: Int64,
                                     on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let lines = headers.map(\.line)
        return try await connection.query("""
            INSERT INTO orders (order_id, customer_id, placed_at, kind, currency, channel, country, import_id, amount_minor)
            SELECT id, NULLIF(customer, ''), placed, kind, currency, NULLIF(channel, ''), NULLIF(country, ''), \(importID), amount
            FROM UNNEST(\(lines.map(\.orderID))::text[], \(lines.map { $0.customerID ?? "" })::text[], \(lines.map(\.placedAt))::int8[],
                        \(lines.map { Int64($0.kind.rawValue) })::int8[], \(lines.map(\.currency.code))::text[],
                        \(lines.map { $0.channel ?? "" })::text[], \(lines.map { $0.country ?? "" })::text[],
                        \(lines.map { amounts[$0.orderID] ?? 0 })::int8[])
                 AS o(id, customer, placed, kind, currency, channel, country, amount)
            ON CONFLICT (order_id) DO UPDATE SET amount_minor = LEAST(GREATEST(orders.amount_minor::numeric + EXCLUDED.amount_minor, -9223372036854775808), 9223372036854775807)::bigint
            WHERE EXCLUDED.amount_minor != 0
            RETURNING (xmax = 0)
            """, logger: logger).decode(Bool.self).reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    private static func count(_ rows: PostgresRowSequence) async throws -> Int {
        try await rows.reduce(0) { count, _ in count + 1 }
    }

    func finish() async throws -> ImportCounts {
        let now = Int64(Date().timeIntervalSince1970)
        try await store.query("""
            UPDATE imports SET finished_at = \(now), orders_inserted = \(Int64(counts.ordersInserted)),
                lines_inserted = \(Int64(counts.linesInserted)), lines_unchanged = \(Int64(counts.linesUnchanged))
            WHERE import_id = \(importID)
            """, doing: "write")
        return counts
    }
}
