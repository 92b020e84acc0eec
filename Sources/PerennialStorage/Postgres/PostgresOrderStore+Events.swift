import PerennialCore
import PostgresNIO

extension PostgresOrderStore: EventStore {
    /// Stores a batch of events in one transaction (see ``EventStore/record(_:receivedAt:)``): reads
    /// what the batch needs in one query per kind, lets ``EventBatchPlan`` decide, then writes each
    /// table's rows in one statement. The commit is durable (`synchronous_commit` as the server sets it,
    /// `on` by default) before this returns.
    public func record(_ events: [CustomerEvent], receivedAt: Int64) async throws -> EventWriteReport {
        let logger = logger
        return try await transaction(doing: "write events to") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.eventLock))", logger: logger)
            let facts = try await Self.facts(for: EventBatchKeys(events), on: connection, logger: logger)
            let plan = EventBatchPlan(events, receivedAt: receivedAt, facts: facts)
            try await Self.write(plan, on: connection, logger: logger)
            return plan.report
        }
    }

    private static func facts(for keys: EventBatchKeys, on connection: PostgresConnection, logger: Logger) async throws -> StoredEventFacts {
        var facts = StoredEventFacts()
        let known = try await connection.query("SELECT event_id FROM events WHERE event_id = ANY(\(keys.eventIDs))", logger: logger)
        for try await id in known.decode(String.self) { facts.knownEventIDs.insert(id) }
        if !keys.aliases.isEmpty {
            let links = try await connection.query("""
                SELECT value, kind, customer_id, linked_at FROM identities WHERE value = ANY(\(keys.aliases)) AND kind IN ('user_id', 'device_id')
                """, logger: logger)
            for try await (value, kind, customer, linkedAt) in links.decode((String, String, String, Int64).self) {
                facts.links[value, default: []].append(IdentityLink(kind: kind, customerID: customer, linkedAt: linkedAt))
            }
        }
        if !keys.orderIDs.isEmpty {
            let orders = try await connection.query("SELECT order_id, customer_id, kind, currency FROM orders WHERE order_id = ANY(\(keys.orderIDs))", logger: logger)
            for try await (id, customer, kind, currency) in orders.decode((String, String?, Int64, String).self) {
                facts.orders[id] = StoredOrderHead(customerID: customer, kind: OrderKind(rawValue: UInt8(kind)) ?? .purchase, currency: currency)
            }
        }
        if !keys.cancelledOrderIDs.isEmpty {
            let lines = try await connection.query("""
                SELECT order_id, sku, COALESCE(description, ''), quantity, unit_price_millis, amount_minor FROM order_lines
                WHERE order_id = ANY(\(keys.cancelledOrderIDs)) ORDER BY order_id, line_no
                """, logger: logger)
            for try await (id, sku, description, quantity, price, amount) in lines.decode((String, String, String, Int64, Int64, Int64).self) {
                facts.lines[id, default: []].append(OrderLine(sku: sku, description: description, quantity: quantity, unitPriceMillis: price, amountMinor: amount))
            }
        }
        for try await currency in try await connection.query("SELECT value FROM settings WHERE key = 'currency'", logger: logger).decode(String.self) {
            facts.currency = currency
        }
        return facts
    }

    /// Writes a plan's rows, one statement per table. Absent text values travel as `''` and are stored
    /// as NULL (arrays of optionals cannot be bound).
    private static func write(_ plan: EventBatchPlan, on connection: PostgresConnection, logger: Logger) async throws {
        if let currency = plan.newCurrency {
            try await connection.query("INSERT INTO settings (key, value) VALUES ('currency', \(currency)) ON CONFLICT (key) DO NOTHING", logger: logger)
        }
        if !plan.events.isEmpty {
            let events = plan.events
            try await connection.query("""
                INSERT INTO events (event_id, type, customer_id, occurred_at, received_at, body)
                SELECT * FROM UNNEST(\(events.map(\.id))::text[], \(events.map(\.type))::text[], \(events.map(\.customerID))::text[],
                                     \(events.map(\.occurredAt))::int8[], \(events.map(\.receivedAt))::int8[], \(events.map(\.body))::text[])
                """, logger: logger)
        }
        if !plan.customers.isEmpty {
            try await connection.query("""
                INSERT INTO customers (customer_id, first_seen_at)
                SELECT * FROM UNNEST(\(plan.customers.map(\.id))::text[], \(plan.customers.map(\.firstSeenAt))::int8[]) ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        if !plan.orders.isEmpty {
            let orders = plan.orders
            try await connection.query("""
                INSERT INTO orders (order_id, customer_id, placed_at, kind, currency, amount_minor, channel, country, coupon_code, event_id)
                SELECT id, customer, placed, kind, currency, amount, NULLIF(channel, ''), NULLIF(country, ''), NULLIF(coupon, ''), event
                FROM UNNEST(\(orders.map(\.id))::text[], \(orders.map(\.customerID))::text[], \(orders.map(\.placedAt))::int8[],
                            \(orders.map { Int64($0.kind.rawValue) })::int8[], \(orders.map(\.currency))::text[], \(orders.map(\.amountMinor))::int8[],
                            \(orders.map { $0.channel ?? "" })::text[], \(orders.map { $0.country ?? "" })::text[],
                            \(orders.map { $0.coupon ?? "" })::text[], \(orders.map(\.eventID))::text[])
                     AS o(id, customer, placed, kind, currency, amount, channel, country, coupon, event)
                """, logger: logger)
        }
        if !plan.lines.isEmpty {
            try await insertLines(plan.lines, on: connection, logger: logger)
        }
        if !plan.products.isEmpty {
            try await connection.query("""
                INSERT INTO products (sku, description, is_product)
                SELECT sku, NULLIF(description, ''), 1 FROM UNNEST(\(plan.products.map(\.sku))::text[],
                    \(plan.products.map { $0.description ?? "" })::text[]) AS p(sku, description)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        if !plan.consents.isEmpty {
            let consents = plan.consents
            try await connection.query("""
                INSERT INTO consents (customer_id, channel, granted, changed_at, event_id)
                SELECT * FROM UNNEST(\(consents.map(\.customerID))::text[], \(consents.map(\.channel))::text[],
                                     \(consents.map { Int64($0.granted ? 1 : 0) })::int8[], \(consents.map(\.changedAt))::int8[],
                                     \(consents.map(\.eventID))::text[])
                ON CONFLICT (customer_id, channel) DO UPDATE SET granted = EXCLUDED.granted, changed_at = EXCLUDED.changed_at,
                    event_id = EXCLUDED.event_id WHERE EXCLUDED.changed_at >= consents.changed_at
                """, logger: logger)
        }
        if !plan.identities.isEmpty {
            let identities = plan.identities
            try await connection.query("""
                INSERT INTO identities (value, kind, customer_id, linked_at)
                SELECT * FROM UNNEST(\(identities.map(\.value))::text[], \(identities.map(\.kind))::text[],
                                     \(identities.map(\.customerID))::text[], \(identities.map(\.linkedAt))::int8[])
                ON CONFLICT (value, kind) DO UPDATE SET customer_id = EXCLUDED.customer_id, linked_at = EXCLUDED.linked_at
                WHERE EXCLUDED.linked_at >= identities.linked_at
                """, logger: logger)
        }
    }

    /// Inserts order lines in one statement; with `ignoreStored`, lines already stored are left as they
    /// are and only the new ones come back (order id and amount).
    @discardableResult
    static func insertLines(_ rows: [EventBatchPlan.LineRow], ignoreStored: Bool = false, on connection: PostgresConnection,
                            logger: Logger) async throws -> [(orderID: String, amountMinor: Int64)] {
        let conflict: PostgresQuery = ignoreStored ? "ON CONFLICT DO NOTHING RETURNING order_id, amount_minor" : ""
        var query: PostgresQuery = """
            INSERT INTO order_lines (order_id, line_no, sku, description, quantity, unit_price_millis, amount_minor)
            SELECT id, number, sku, NULLIF(description, ''), quantity, price, amount
            FROM UNNEST(\(rows.map(\.orderID))::text[], \(rows.map(\.number))::int8[], \(rows.map(\.line.sku))::text[],
                        \(rows.map(\.line.description))::text[], \(rows.map(\.line.quantity))::int8[],
                        \(rows.map(\.line.unitPriceMillis))::int8[], \(rows.map(\.line.amountMinor))::int8[])
                 AS l(id, number, sku, description, quantity, price, amount)
            """
        query.sql += " " + conflict.sql
        var inserted: [(String, Int64)] = []
        for try await row in try await connection.query(query, logger: logger).decode((String, Int64).self) where ignoreStored {
            inserted.append(row)
        }
        return inserted
    }

    /// A customer's latest events, newest first.
    public func recentEvents(ofCustomer id: String, limit: Int) async throws -> [StoredEvent] {
        let rows = try await query("""
            SELECT event_id, type, occurred_at, body FROM events WHERE customer_id = \(id) ORDER BY occurred_at DESC, seq DESC LIMIT \(Int64(limit))
            """)
        var events: [StoredEvent] = []
        for try await (eventID, type, occurredAt, body) in rows.decode((String, String, Int64, String).self) {
            events.append(StoredEvent(id: eventID, type: type, customerID: id, occurredAt: occurredAt, fieldsJSON: body))
        }
        return events
    }

    /// Several customers' orders reduced to instant, kind and amount, oldest first, by customer: one query.
    public func orderFacts(ofCustomers ids: [String]) async throws -> [String: [OrderFact]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await query("""
            SELECT customer_id, placed_at, kind, amount_minor FROM orders WHERE customer_id = ANY(\(ids)) ORDER BY customer_id, placed_at, order_id
            """)
        var facts: [String: [OrderFact]] = [:]
        for try await (id, placedAt, kind, amount) in rows.decode((String, Int64, Int64, Int64).self) {
            facts[id, default: []].append(OrderFact(placedAt: placedAt, kind: OrderKind(rawValue: UInt8(kind)) ?? .purchase, amountMinor: amount))
        }
        return facts
    }

    /// A customer's tags, sorted.
    public func tags(ofCustomer id: String) async throws -> [String] {
        var tags: [String] = []
        for try await tag in try await query("SELECT tag FROM customer_tags WHERE customer_id = \(id) ORDER BY tag").decode(String.self) {
            tags.append(tag)
        }
        return tags
    }

    /// Adds tags (table `customer_tags`) in one statement.
    public func addTags(_ tags: [CustomerTag], at instant: Int64) async throws -> Int {
        guard !tags.isEmpty else { return 0 }
        let rows = try await query("""
            INSERT INTO customer_tags (customer_id, tag, added_at)
            SELECT customer, tag, \(instant) FROM UNNEST(\(tags.map(\.customerID))::text[], \(tags.map(\.tag))::text[]) AS t(customer, tag)
            ON CONFLICT DO NOTHING RETURNING tag
            """, doing: "write")
        var added = 0
        for try await _ in rows { added += 1 }
        return added
    }
}
