import PerennialCore

/// Writes batches of events into a SQLite file: one transaction a batch, prepared statements kept
/// between batches. Used only under the store's write lock.
final class SQLiteEventWriter {
    private let database: SQLiteDatabase
    private let eventExists, insertEvent, resolveAlias, insertCustomer, orderByID, insertOrder, insertLine,
                insertProduct, linesOfOrder, upsertConsent, upsertIdentity, readSetting, writeSetting: SQLiteStatement

    init(database: SQLiteDatabase) throws {
        self.database = database
        eventExists = try database.prepare("SELECT 1 FROM events WHERE event_id = ?")
        insertEvent = try database.prepare("""
            INSERT INTO events (event_id, type, customer_id, occurred_at, received_at, body) VALUES (?, ?, ?, ?, ?, ?)
            """)
        resolveAlias = try database.prepare("""
            SELECT customer_id FROM identities WHERE value = ? AND kind IN ('user_id', 'device_id') ORDER BY linked_at DESC LIMIT 1
            """)
        insertCustomer = try database.prepare("INSERT OR IGNORE INTO customers (customer_id, country, first_seen_at) VALUES (?, ?, ?)")
        orderByID = try database.prepare("SELECT customer_id, kind, currency, amount_minor FROM orders WHERE order_id = ?")
        insertOrder = try database.prepare("""
            INSERT INTO orders (order_id, customer_id, placed_at, kind, currency, amount_minor, channel, country, coupon_code, event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertLine = try database.prepare("""
            INSERT INTO order_lines (order_id, line_no, sku, description, quantity, unit_price_millis, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        insertProduct = try database.prepare("INSERT OR IGNORE INTO products (sku, description, category, is_product) VALUES (?, ?, NULL, 1)")
        linesOfOrder = try database.prepare("""
            SELECT sku, description, quantity, unit_price_millis, amount_minor FROM order_lines WHERE order_id = ? ORDER BY line_no
            """)
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
        readSetting = try database.prepare("SELECT value FROM settings WHERE key = 'currency'")
        writeSetting = try database.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('currency', ?)")
    }

    /// Writes a batch in one transaction.
    func record(_ events: [CustomerEvent], receivedAt: Int64) throws -> EventWriteReport {
        try database.transaction {
            var report = EventWriteReport()
            report.outcomes.reserveCapacity(events.count)
            var currency = try storeCurrency()
            for event in events {
                let outcome = try write(event, receivedAt: receivedAt, currency: &currency, report: &report)
                report.outcomes.append(outcome)
            }
            return report
        }
    }

    private func storeCurrency() throws -> String? {
        readSetting.reset()
        return try readSetting.step() ? readSetting.string(0) : nil
    }

    private func write(_ event: CustomerEvent, receivedAt: Int64, currency: inout String?, report: inout EventWriteReport) throws -> EventOutcome {
        eventExists.reset()
        eventExists.bind(1, event.id)
        if try eventExists.step() { return .duplicate(reason: "event \(event.id) was stored before; nothing changed") }
        let customer = try canonicalCustomer(event)
        var ordersChanged = false
        switch event.payload {
        case let .order(order, coupon):
            if let problem = try currencyProblem(order.currency, &currency) { return problem }
            if try storedOrder(order.id) != nil {
                return .duplicate(reason: "order \(order.id) was stored before (by another event or an import); nothing changed")
            }
            try writeOrder(id: order.id, customer: customer, at: event.occurredAt, kind: .purchase, currency: order.currency.code,
                           channel: order.channel?.rawValue, country: order.country, coupon: coupon, event: event.id, lines: order.lines)
            ordersChanged = true
        case let .orderCancelled(orderID, _):
            guard let original = try storedOrder(orderID), original.customer == customer, original.kind == .purchase else {
                return .rejected(field: "order_id", reason: "no purchase order \(orderID) of this customer is stored; send the order event first")
            }
            let cancellationID = orderID + "/cancelled"
            if try storedOrder(cancellationID) != nil {
                return .duplicate(reason: "order \(orderID) was cancelled before; nothing changed")
            }
            let reversed = try lines(of: orderID).map {
                OrderLine(sku: $0.sku, description: $0.description, quantity: -$0.quantity, unitPriceMillis: $0.unitPriceMillis,
                          amountMinor: -$0.amountMinor, isProduct: $0.isProduct)
            }
            try writeOrder(id: cancellationID, customer: customer, at: event.occurredAt, kind: .cancellation, currency: original.currency,
                           channel: nil, country: nil, coupon: nil, event: event.id, lines: reversed)
            ordersChanged = true
        case let .refund(orderID, amountMinor, refundCurrency, _):
            if let problem = try currencyProblem(refundCurrency, &currency) { return problem }
            guard let original = try storedOrder(orderID), original.customer == customer else {
                return .rejected(field: "order_id", reason: "no order \(orderID) of this customer is stored; send the order event first")
            }
            let line = OrderLine(sku: "REFUND", description: "refund", quantity: -1, unitPriceMillis: amountMinor * 1000 / refundCurrency.minorPerMajor,
                                 amountMinor: -amountMinor, isProduct: false)
            try writeOrder(id: "\(orderID)/refund/\(event.id)", customer: customer, at: event.occurredAt, kind: .adjustment,
                           currency: original.currency, channel: nil, country: nil, coupon: nil, event: event.id, lines: [line])
            ordersChanged = true
        case let .consent(channel, granted):
            upsertConsent.reset()
            upsertConsent.bind(1, customer)
            upsertConsent.bind(2, channel)
            upsertConsent.bind(3, Int64(granted ? 1 : 0))
            upsertConsent.bind(4, event.occurredAt)
            upsertConsent.bind(5, event.id)
            try upsertConsent.step()
        case let .identify(identifiers):
            for identifier in identifiers {
                upsertIdentity.reset()
                upsertIdentity.bind(1, identifier.value)
                upsertIdentity.bind(2, identifier.kind)
                upsertIdentity.bind(3, customer)
                upsertIdentity.bind(4, event.occurredAt)
                try upsertIdentity.step()
            }
        case .signup, .pageView, .productView, .addToCart, .review, .supportTicket, .nps:
            break
        }
        insertEvent.reset()
        insertEvent.bind(1, event.id)
        insertEvent.bind(2, event.payload.typeName)
        insertEvent.bind(3, customer)
        insertEvent.bind(4, event.occurredAt)
        insertEvent.bind(5, receivedAt)
        insertEvent.bind(6, EventFields.json(event.payload))
        try insertEvent.step()
        insertCustomer.reset()
        insertCustomer.bind(1, customer)
        insertCustomer.bind(2, nil as String?)
        insertCustomer.bind(3, event.occurredAt)
        try insertCustomer.step()
        report.customers[customer] = (report.customers[customer] ?? false) || ordersChanged
        return .accepted
    }

    /// The customer an event belongs to: an alias (a user or device id linked by `identify`) resolves
    /// to its customer.
    private func canonicalCustomer(_ event: CustomerEvent) throws -> String {
        if case .identify = event.payload { return event.customerID }
        resolveAlias.reset()
        resolveAlias.bind(1, event.customerID)
        return try resolveAlias.step() ? resolveAlias.string(0) ?? event.customerID : event.customerID
    }

    private func currencyProblem(_ given: Currency, _ currency: inout String?) throws -> EventOutcome? {
        guard let stored = currency else {
            writeSetting.reset()
            writeSetting.bind(1, given.code)
            try writeSetting.step()
            currency = given.code
            return nil
        }
        guard stored == given.code else {
            return .rejected(field: "currency", reason: "the store keeps its money in \(stored); convert the amounts to \(stored) before sending")
        }
        return nil
    }

    private func storedOrder(_ id: String) throws -> (customer: String?, kind: OrderKind, currency: String, amount: Int64)? {
        orderByID.reset()
        orderByID.bind(1, id)
        guard try orderByID.step() else { return nil }
        return (orderByID.string(0), OrderKind(rawValue: UInt8(orderByID.int64(1))) ?? .purchase, orderByID.string(2) ?? "", orderByID.int64(3))
    }

    private func lines(of orderID: String) throws -> [OrderLine] {
        linesOfOrder.reset()
        linesOfOrder.bind(1, orderID)
        var lines: [OrderLine] = []
        while try linesOfOrder.step() {
            lines.append(OrderLine(sku: linesOfOrder.string(0) ?? "", description: linesOfOrder.string(1) ?? "", quantity: linesOfOrder.int64(2),
                                   unitPriceMillis: linesOfOrder.int64(3), amountMinor: linesOfOrder.int64(4)))
        }
        return lines
    }

    private func writeOrder(id: String, customer: String, at instant: Int64, kind: OrderKind, currency: String, channel: String?,
                            country: String?, coupon: String?, event: String, lines: [OrderLine]) throws {
        insertOrder.reset()
        insertOrder.bind(1, id)
        insertOrder.bind(2, customer)
        insertOrder.bind(3, instant)
        insertOrder.bind(4, Int64(kind.rawValue))
        insertOrder.bind(5, currency)
        insertOrder.bind(6, lines.reduce(0) { $0 + $1.amountMinor })
        insertOrder.bind(7, channel)
        insertOrder.bind(8, country)
        insertOrder.bind(9, coupon)
        insertOrder.bind(10, event)
        try insertOrder.step()
        for (number, line) in lines.enumerated() {
            insertLine.reset()
            insertLine.bind(1, id)
            insertLine.bind(2, Int64(number))
            insertLine.bind(3, line.sku)
            insertLine.bind(4, line.description.isEmpty ? nil : line.description)
            insertLine.bind(5, line.quantity)
            insertLine.bind(6, line.unitPriceMillis)
            insertLine.bind(7, line.amountMinor)
            try insertLine.step()
            if kind == .purchase {
                insertProduct.reset()
                insertProduct.bind(1, line.sku)
                insertProduct.bind(2, line.description.isEmpty ? nil : line.description)
                try insertProduct.step()
            }
        }
    }
}
