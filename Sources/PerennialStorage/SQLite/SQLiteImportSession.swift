import Foundation
import PerennialCore

/// Writes one import's lines with prepared statements, each batch in a transaction of its own on the
/// store's one writer (``SQLiteWriter``), so a server's event batches on the same file interleave with
/// an import instead of waiting for all of it.
///
/// Lines are keyed by ``LineNumbering``, so re-importing the same file finds every line already stored
/// and changes nothing. An order's header is written when its run of lines ends (or its batch is
/// committed), carrying the total of the lines this import stored; an order seen before has that total
/// added to its own.
final class SQLiteImportSession: OrderImportSession, @unchecked Sendable {
    private let writer: SQLiteWriter
    private let importID: Int64
    /// Prepared on the writer's thread by the first batch, and used only there.
    private var statements: Statements?
    private var numbering = LineNumbering()
    // The previous line's customer and sku: consecutive lines of an order repeat them.
    private var lastCustomer: String?
    private var lastSku = ""
    /// The header of the order whose lines are arriving, and the amount of its lines stored so far.
    private var pending: OrderLineRecord?
    private var pendingAmount: Int64 = 0
    private var seenCustomers: Set<String> = []
    private var seenProducts: Set<String> = []
    /// Products stored without a description, to be named by the first line that has one.
    private var unnamedProducts: Set<String> = []
    private var counts = ImportCounts()

    private struct Statements {
        let insertOrder, addToOrder, insertLine, insertCustomer, insertProduct, nameProduct: SQLiteStatement

        init(_ database: SQLiteDatabase) throws {
            insertOrder = try database.prepare("""
                INSERT OR IGNORE INTO orders (order_id, customer_id, placed_at, kind, currency, channel, country, import_id, amount_minor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            addToOrder = try database.prepare("UPDATE orders SET amount_minor = MAX(MIN(amount_minor + ?, 9223372036854775807), -9223372036854775808) WHERE order_id = ?")
            insertLine = try database.prepare("""
                INSERT OR IGNORE INTO order_lines (order_id, line_no, sku, description, quantity, unit_price_millis, amount_minor)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            insertCustomer = try database.prepare("INSERT OR IGNORE INTO customers (customer_id, country, first_seen_at) VALUES (?, ?, ?)")
            insertProduct = try database.prepare("INSERT OR IGNORE INTO products (sku, description, category, is_product) VALUES (?, ?, ?, ?)")
            nameProduct = try database.prepare("UPDATE products SET description = ? WHERE sku = ? AND description IS NULL")
        }
    }

    private init(writer: SQLiteWriter, importID: Int64) {
        self.writer = writer
        self.importID = importID
    }

    /// Records the import's start and returns its session.
    static func start(writer: SQLiteWriter, source: String, format: String) async throws -> SQLiteImportSession {
        let id = try await writer.perform { database in
            let record = try database.prepare("INSERT INTO imports (source, format, started_at) VALUES (?, ?, ?)")
            record.bind(1, source)
            record.bind(2, format)
            record.bind(3, Int64(Date().timeIntervalSince1970))
            try record.step()
            return database.lastInsertedRow
        }
        return SQLiteImportSession(writer: writer, importID: id)
    }

    func write(_ lines: [OrderLineRecord]) async throws {
        try await writer.perform { database in
            let statements = try self.statements ?? Statements(database)
            self.statements = statements
            for line in lines { try self.write(line, statements, database) }
            try self.flushPending(statements, database)
        }
    }

    private func write(_ line: OrderLineRecord, _ statements: Statements, _ database: SQLiteDatabase) throws {
        let (number, startsRun) = numbering.next(line.orderID)
        if startsRun {
            // A new run of lines: write the previous order's header first.
            try flushPending(statements, database)
            pending = line
        }
        let insertLine = statements.insertLine
        insertLine.reset()
        insertLine.bind(1, line.orderID)
        insertLine.bind(2, Int64(number))
        insertLine.bind(3, line.sku)
        insertLine.bind(4, line.description.isEmpty ? nil : line.description)
        insertLine.bind(5, line.quantity)
        insertLine.bind(6, line.unitPriceMillis)
        insertLine.bind(7, line.amountMinor)
        try insertLine.step()
        if database.changes > 0 {
            counts.linesInserted += 1
            pendingAmount = pendingAmount.clampedAdding(line.amountMinor)
        } else {
            counts.linesUnchanged += 1
        }
        if let customer = line.customerID, customer != lastCustomer, seenCustomers.insert(customer).inserted {
            let insertCustomer = statements.insertCustomer
            insertCustomer.reset()
            insertCustomer.bind(1, customer)
            insertCustomer.bind(2, line.country)
            insertCustomer.bind(3, line.placedAt)
            try insertCustomer.step()
            counts.customersInserted += database.changes
        }
        lastCustomer = line.customerID
        guard !line.sku.isEmpty, line.sku != lastSku || !line.description.isEmpty && unnamedProducts.contains(line.sku) else { return }
        lastSku = line.sku
        if seenProducts.insert(line.sku).inserted {
            let insertProduct = statements.insertProduct
            insertProduct.reset()
            insertProduct.bind(1, line.sku)
            insertProduct.bind(2, line.description.isEmpty ? nil : line.description)
            insertProduct.bind(3, line.category)
            insertProduct.bind(4, Int64(line.isProduct ? 1 : 0))
            try insertProduct.step()
            counts.productsInserted += database.changes
            if database.changes == 0 || line.description.isEmpty { unnamedProducts.insert(line.sku) }
        }
        // The first line with a description names a product stored without one.
        if !line.description.isEmpty, unnamedProducts.remove(line.sku) != nil {
            let nameProduct = statements.nameProduct
            nameProduct.reset()
            nameProduct.bind(1, line.description)
            nameProduct.bind(2, line.sku)
            try nameProduct.step()
        }
    }

    /// Writes the pending order's header with the amount of its newly stored lines, or adds that amount
    /// to the header already stored. The header stays pending, so later lines of the same run add to it.
    private func flushPending(_ statements: Statements, _ database: SQLiteDatabase) throws {
        guard let header = pending else { return }
        let insertOrder = statements.insertOrder
        insertOrder.reset()
        insertOrder.bind(1, header.orderID)
        insertOrder.bind(2, header.customerID)
        insertOrder.bind(3, header.placedAt)
        insertOrder.bind(4, Int64(header.kind.rawValue))
        insertOrder.bind(5, header.currency.code)
        insertOrder.bind(6, header.channel)
        insertOrder.bind(7, header.country)
        insertOrder.bind(8, importID)
        insertOrder.bind(9, pendingAmount)
        try insertOrder.step()
        if database.changes > 0 {
            counts.ordersInserted += 1
        } else if pendingAmount != 0 {
            let addToOrder = statements.addToOrder
            addToOrder.reset()
            addToOrder.bind(1, pendingAmount)
            addToOrder.bind(2, header.orderID)
            try addToOrder.step()
        }
        pendingAmount = 0
    }

    func finish() async throws -> ImportCounts {
        let counts = counts, importID = importID
        try await writer.perform { database in
            let record = try database.prepare("""
                UPDATE imports SET finished_at = ?, orders_inserted = ?, lines_inserted = ?, lines_unchanged = ? WHERE import_id = ?
                """)
            record.bind(1, Int64(Date().timeIntervalSince1970))
            record.bind(2, Int64(counts.ordersInserted))
            record.bind(3, Int64(counts.linesInserted))
            record.bind(4, Int64(counts.linesUnchanged))
            record.bind(5, importID)
            try record.step()
        }
        return counts
    }
}
