import Foundation
import PerennialCore

/// Writes one import's lines with prepared statements, committing every 100,000 lines.
///
/// Lines are keyed by ``LineNumbering``, so re-importing the same file finds every line already stored
/// and changes nothing. An order's header is written when its run of lines ends, carrying the total of
/// the lines this import stored; an order seen before has that total added to its own.
final class SQLiteImportSession: OrderImportSession {
    private let database: SQLiteDatabase
    private let importID: Int64
    private let insertOrder, addToOrder, insertLine, insertCustomer, insertProduct, nameProduct: SQLiteStatement
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
    private var uncommitted = 0
    private var inTransaction = false

    init(database: SQLiteDatabase, source: String, format: String) throws {
        self.database = database
        let record = try database.prepare("INSERT INTO imports (source, format, started_at) VALUES (?, ?, ?)")
        record.bind(1, source)
        record.bind(2, format)
        record.bind(3, Int64(Date().timeIntervalSince1970))
        try record.step()
        let id = try database.prepare("SELECT last_insert_rowid()")
        _ = try id.step()
        importID = id.int64(0)
        insertOrder = try database.prepare("""
            INSERT OR IGNORE INTO orders (order_id, customer_id, placed_at, kind, currency, channel, country, import_id, amount_minor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        addToOrder = try database.prepare("UPDATE orders SET amount_minor = amount_minor + ? WHERE order_id = ?")
        insertLine = try database.prepare("""
            INSERT OR IGNORE INTO order_lines (order_id, line_no, sku, description, quantity, unit_price_millis, amount_minor)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        insertCustomer = try database.prepare("INSERT OR IGNORE INTO customers (customer_id, country, first_seen_at) VALUES (?, ?, ?)")
        insertProduct = try database.prepare("INSERT OR IGNORE INTO products (sku, description, category, is_product) VALUES (?, ?, ?, ?)")
        nameProduct = try database.prepare("UPDATE products SET description = ? WHERE sku = ? AND description IS NULL")
    }

    func write(_ lines: [OrderLineRecord]) async throws {
        if !inTransaction {
            try database.execute("BEGIN IMMEDIATE")
            inTransaction = true
        }
        do {
            for line in lines { try write(line) }
        } catch {
            try? database.execute("ROLLBACK")
            inTransaction = false
            throw error
        }
        uncommitted += lines.count
        if uncommitted >= 100_000 { try commit() }
    }

    private func write(_ line: OrderLineRecord) throws {
        let (number, startsRun) = numbering.next(line.orderID)
        if startsRun {
            // A new run of lines: write the previous order's header first.
            try flushPending()
            pending = line
        }
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
            pendingAmount += line.amountMinor
        } else {
            counts.linesUnchanged += 1
        }
        if let customer = line.customerID, customer != lastCustomer, seenCustomers.insert(customer).inserted {
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
            nameProduct.reset()
            nameProduct.bind(1, line.description)
            nameProduct.bind(2, line.sku)
            try nameProduct.step()
        }
    }

    /// Writes the pending order's header with the amount of its newly stored lines, or adds that amount
    /// to the header already stored. The header stays pending, so later lines of the same run add to it.
    private func flushPending() throws {
        guard let header = pending else { return }
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
            addToOrder.reset()
            addToOrder.bind(1, pendingAmount)
            addToOrder.bind(2, header.orderID)
            try addToOrder.step()
        }
        pendingAmount = 0
    }

    private func commit() throws {
        guard inTransaction else { return }
        try flushPending()
        try database.execute("COMMIT")
        inTransaction = false
        uncommitted = 0
    }

    func finish() async throws -> ImportCounts {
        if !inTransaction { try database.execute("BEGIN IMMEDIATE"); inTransaction = true }
        let record = try database.prepare("""
            UPDATE imports SET finished_at = ?, orders_inserted = ?, lines_inserted = ?, lines_unchanged = ? WHERE import_id = ?
            """)
        record.bind(1, Int64(Date().timeIntervalSince1970))
        record.bind(2, Int64(counts.ordersInserted))
        record.bind(3, Int64(counts.linesInserted))
        record.bind(4, Int64(counts.linesUnchanged))
        record.bind(5, importID)
        try record.step()
        try commit()
        return counts
    }
}
