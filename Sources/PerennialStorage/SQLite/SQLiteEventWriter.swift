import PerennialCore

/// Writes batches of events into a SQLite file with prepared statements kept between batches: reads
/// what a batch needs, lets ``EventBatchPlan`` decide, then writes its rows. Used only on the writer's
/// thread (``SQLiteWriter``), inside its transaction.
final class SQLiteEventWriter {
    private let database: SQLiteDatabase
    private let eventExists, linksOfValue, orderByID, linesOfOrder, readSetting: SQLiteStatement
    private let insertEvent, insertCustomer, insertOrder, insertLine, insertProduct, upsertConsent, upsertIdentity, writeSetting: SQLiteStatement

    init(database: SQLiteDatabase) throws {
        self.database = database
        eventExists = try database.prepare("SELECT 1 FROM events WHERE event_id = ?")
        linksOfValue = try database.prepare("SELECT kind, customer_id, linked_at FROM identities WHERE value = ? AND kind IN ('user_id', 'device_id')")
        orderByID = try database.prepare("SELECT customer_id, kind, currency FROM orders WHERE order_id = ?")
        linesOfOrder = try database.prepare("""
            SELECT sku, description, quantity, unit_price_millis, amount_minor FROM order_lines WHERE order_id = ? ORDER BY line_no
            """)
        readSetting = try database.prepare("SELECT value FROM settings WHERE key = 'currency'")
        insertEvent = try database.prepare("""
            INSERT INTO events (event_id, type, customer_id, occurred_at, received_at, body) VALUES (?, ?, ?, ?, ?, ?)
            """)
        insertCustomer = try database.prepare("INSERT OR IGNORE INTO customers (customer_id, country, first_seen_at) VALUES (?, NULL, ?)")
        insertOrder = try database.prepare("""
            INSERT INTO orders (order_id, customer_id, placed_at, kind, currency, amount_minor, channel, country, coupon_code, event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertLine = try database.prepare("""
            INSERT INTO order_lines (order_id, line_no, sku, description, quantity, unit_price_millis, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        insertProduct = try database.prepare("INSERT OR IGNORE INTO products (sku, description, category, is_product) VALUES (?, ?, NULL, 1)")
        upsertConsent = try database.prepare("""
            INSERT INTO consents (customer_id, channel, granted, changed_at, event_id) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (customer_id, channel) DO UPDATE SET granted = excluded.granted, changed_at = excluded.changed_at,
                event_id = excluded.event_id WHERE excluded.changed_at >= consents.changed_at
            """)
        upsertIdentity = try database.prepare("""
            INSERT INTO identities (value, kind, customer_id, linked_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (value, kind) DO UPDATE SET customer_id = excluded.customer_id, linked_at = excluded.linked_at
            WHERE excluded.linked_at >= identities.linked_at
            """)
        writeSetting = try database.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('currency', ?)")
    }

    /// Writes a batch inside the caller's transaction (see ``SQLiteWriter``).
    func record(_ events: [CustomerEvent], receivedAt: Int64) throws -> EventWriteReport {
        let plan = EventBatchPlan(events, receivedAt: receivedAt, facts: try facts(for: EventBatchKeys(events)))
        try write(plan)
        return plan.report
    }

    private func facts(for keys: EventBatchKeys) throws -> StoredEventFacts {
        var facts = StoredEventFacts()
        for id in keys.eventIDs {
            eventExists.reset()
            eventExists.bind(1, id)
            if try eventExists.step() { facts.knownEventIDs.insert(id) }
        }
        // A statement left on a row keeps its read snapshot open past the commit; the next BEGIN
        // IMMEDIATE after another process's write would then fail with SQLITE_BUSY_SNAPSHOT for good.
        defer { for statement in [eventExists, orderByID, readSetting] { statement.reset() } }
        for value in keys.aliases {
            linksOfValue.reset()
            linksOfValue.bind(1, value)
            while try linksOfValue.step() {
                facts.links[value, default: []].append(IdentityLink(kind: linksOfValue.string(0) ?? "", customerID: linksOfValue.string(1) ?? "",
                                                                    linkedAt: linksOfValue.int64(2)))
            }
        }
        for id in keys.orderIDs {
            orderByID.reset()
            orderByID.bind(1, id)
            if try orderByID.step() {
                facts.orders[id] = StoredOrderHead(customerID: orderByID.string(0), kind: OrderKind(rawValue: UInt8(orderByID.int64(1))) ?? .purchase,
                                                   currency: orderByID.string(2) ?? "")
            }
        }
        for id in keys.cancelledOrderIDs where facts.orders[id] != nil {
            linesOfOrder.reset()
            linesOfOrder.bind(1, id)
            var lines: [OrderLine] = []
            while try linesOfOrder.step() {
                lines.append(OrderLine(sku: linesOfOrder.string(0) ?? "", description: linesOfOrder.string(1) ?? "", quantity: linesOfOrder.int64(2),
                                       unitPriceMillis: linesOfOrder.int64(3), amountMinor: linesOfOrder.int64(4)))
            }
            facts.lines[id] = lines
        }
        readSetting.reset()
        facts.currency = try readSetting.step() ? readSetting.string(0) : nil
        return facts
    }

    private func write(_ plan: EventBatchPlan) throws {
        if let currency = plan.newCurrency {
            try run(writeSetting) { $0.bind(1, currency) }
        }
        for event in plan.events {
            try run(insertEvent) {
                $0.bind(1, event.id)
                $0.bind(2, event.type)
                $0.bind(3, event.customerID)
                $0.bind(4, event.occurredAt)
                $0.bind(5, event.receivedAt)
                $0.bind(6, event.body)
            }
        }
        for customer in plan.customers {
            try run(insertCustomer) {
                $0.bind(1, customer.id)
                $0.bind(2, customer.firstSeenAt)
            }
        }
        for order in plan.orders {
            try run(insertOrder) {
                $0.bind(1, order.id)
                $0.bind(2, order.customerID)
                $0.bind(3, order.placedAt)
                $0.bind(4, Int64(order.kind.rawValue))
                $0.bind(5, order.currency)
                $0.bind(6, order.amountMinor)
                $0.bind(7, order.channel)
                $0.bind(8, order.country)
                $0.bind(9, order.coupon)
                $0.bind(10, order.eventID)
            }
        }
        for row in plan.lines {
            try run(insertLine) {
                $0.bind(1, row.orderID)
                $0.bind(2, row.number)
                $0.bind(3, row.line.sku)
                $0.bind(4, row.line.description.isEmpty ? nil : row.line.description)
                $0.bind(5, row.line.quantity)
                $0.bind(6, row.line.unitPriceMillis)
                $0.bind(7, row.line.amountMinor)
            }
        }
        for product in plan.products {
            try run(insertProduct) {
                $0.bind(1, product.sku)
                $0.bind(2, product.description)
            }
        }
        for consent in plan.consents {
            try run(upsertConsent) {
                $0.bind(1, consent.customerID)
                $0.bind(2, consent.channel)
                $0.bind(3, Int64(consent.granted ? 1 : 0))
                $0.bind(4, consent.changedAt)
                $0.bind(5, consent.eventID)
            }
        }
        for identity in plan.identities {
            try run(upsertIdentity) {
                $0.bind(1, identity.value)
                $0.bind(2, identity.kind)
                $0.bind(3, identity.customerID)
                $0.bind(4, identity.linkedAt)
            }
        }
    }

    private func run(_ statement: SQLiteStatement, _ bind: (SQLiteStatement) -> Void) throws {
        statement.reset()
        bind(statement)
        try statement.step()
    }
}
