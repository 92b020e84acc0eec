import PerennialCore

/// What a batch of events needs to read from the store before its outcomes can be decided: every
/// backend fetches these keys (SQLite one by one, PostgreSQL in one query per kind) and hands the
/// answers to ``EventBatchPlan``.
struct EventBatchKeys {
    /// The batch's event ids.
    var eventIDs: [String] = []
    /// The customer ids of events that may be aliases (every type but `identify`).
    var aliases: [String] = []
    /// Orders the batch places, cancels or refunds, and the cancellations it would create.
    var orderIDs: [String] = []
    /// Orders the batch cancels, whose lines a cancellation reverses.
    var cancelledOrderIDs: [String] = []

    init(_ events: [CustomerEvent]) {
        var orders: Set<String> = []
        var cancelled: Set<String> = []
        var aliases: Set<String> = []
        for event in events {
            eventIDs.append(event.id)
            switch event.payload {
            case let .order(order, _): orders.insert(order.id)
            case let .orderCancelled(orderID, _):
                orders.formUnion([orderID, EventBatchPlan.cancellationID(orderID)])
                cancelled.insert(orderID)
            case let .refund(orderID, _, _, _): orders.insert(orderID)
            default: break
            }
            if case .identify = event.payload {} else { aliases.insert(event.customerID) }
        }
        self.aliases = aliases.sorted()
        orderIDs = orders.sorted()
        cancelledOrderIDs = cancelled.sorted()
    }
}

/// What the store holds for a batch's ``EventBatchKeys``.
struct StoredEventFacts {
    /// Event ids already stored.
    var knownEventIDs: Set<String> = []
    /// Links of `user_id` and `device_id` identifiers, by value.
    var links: [String: [IdentityLink]] = [:]
    /// Stored orders, by id.
    var orders: [String: StoredOrderHead] = [:]
    /// The lines of stored orders the batch cancels, by order id.
    var lines: [String: [OrderLine]] = [:]
    /// The store's currency, once set.
    var currency: String?
}

/// A link from an identifier to a customer, as `identities` holds it.
struct IdentityLink: Hashable {
    var kind: String
    var customerID: String
    var linkedAt: Int64
}

/// What a stored order contributes to deciding an event.
struct StoredOrderHead: Hashable {
    var customerID: String?
    var kind: OrderKind
    var currency: String
}

/// The decisions for one batch and the rows that carry them out, computed without touching the
/// database so that SQLite and PostgreSQL write exactly the same thing.
///
/// Events are decided in order, each seeing the effects of the accepted events before it (an order
/// placed earlier in the batch can be cancelled later in it; an `identify` links the aliases of the
/// events that follow). Rows that the database upserts (consent, identities) are collapsed to the
/// latest per key, which is what applying them one by one would leave.
struct EventBatchPlan {
    var report = EventWriteReport()
    var events: [EventRow] = []
    /// New customers with the instant of their first accepted event in the batch (insert or ignore).
    var customers: [(id: String, firstSeenAt: Int64)] = []
    var orders: [OrderRow] = []
    var lines: [LineRow] = []
    /// Skus bought in the batch with their first description (insert or ignore).
    var products: [(sku: String, description: String?)] = []
    /// The latest consent per customer and channel (upsert when not older than the stored one).
    var consents: [ConsentRow] = []
    /// The latest link per identifier value and kind (upsert when not older than the stored one).
    var identities: [IdentityRow] = []
    /// The store's currency, when this batch is the first to set it.
    var newCurrency: String?

    struct EventRow {
        var id, type, customerID: String
        var occurredAt, receivedAt: Int64
        var body: String
    }

    struct OrderRow {
        var id, customerID: String
        var placedAt: Int64
        var kind: OrderKind
        var currency: String
        var amountMinor: Int64
        var channel, country, coupon: String?
        var eventID: String
    }

    struct LineRow {
        var orderID: String
        var number: Int64
        var line: OrderLine
    }

    struct ConsentRow {
        var customerID, channel: String
        var granted: Bool
        var changedAt: Int64
        var eventID: String
    }

    struct IdentityRow {
        var value, kind, customerID: String
        var linkedAt: Int64
    }

    /// The id of the cancellation an `order_cancelled` event stores for an order.
    static func cancellationID(_ orderID: String) -> String { orderID + "/cancelled" }

    private var facts: StoredEventFacts
    private var seenCustomers: Set<String> = []
    private var seenProducts: Set<String> = []
    private var consentIndex: [String: Int] = [:]
    private var identityIndex: [String: Int] = [:]

    /// Decides every event of a batch against what the store holds.
    init(_ batch: [CustomerEvent], receivedAt: Int64, facts: StoredEventFacts) {
        self.facts = facts
        report.outcomes.reserveCapacity(batch.count)
        for event in batch {
            report.outcomes.append(decide(event, receivedAt: receivedAt))
        }
    }

    private mutating func decide(_ event: CustomerEvent, receivedAt: Int64) -> EventOutcome {
        if facts.knownEventIDs.contains(event.id) { return .duplicate(reason: "event \(event.id) was stored before; nothing changed") }
        let customer = canonicalCustomer(event)
        var ordersChanged = false
        switch event.payload {
        case let .order(order, coupon):
            if let problem = currencyProblem(order.currency) { return problem }
            if facts.orders[order.id] != nil {
                return .duplicate(reason: "order \(order.id) was stored before (by another event or an import); nothing changed")
            }
            addOrder(id: order.id, customer: customer, at: event.occurredAt, kind: .purchase, currency: order.currency.code,
                     channel: order.channel?.rawValue, country: order.country, coupon: coupon, event: event.id, lines: order.lines)
            ordersChanged = true
        case let .orderCancelled(orderID, _):
            guard let original = facts.orders[orderID], original.customerID == customer, original.kind == .purchase else {
                return .rejected(field: "order_id", reason: "no purchase order \(orderID) of this customer is stored; send the order event first")
            }
            let cancellation = Self.cancellationID(orderID)
            if facts.orders[cancellation] != nil { return .duplicate(reason: "order \(orderID) was cancelled before; nothing changed") }
            let reversed = (facts.lines[orderID] ?? []).map {
                OrderLine(sku: $0.sku, description: $0.description, quantity: -$0.quantity, unitPriceMillis: $0.unitPriceMillis,
                          amountMinor: -$0.amountMinor, isProduct: $0.isProduct)
            }
            addOrder(id: cancellation, customer: customer, at: event.occurredAt, kind: .cancellation, currency: original.currency,
                     channel: nil, country: nil, coupon: nil, event: event.id, lines: reversed)
            ordersChanged = true
        case let .refund(orderID, amountMinor, refundCurrency, _):
            if let problem = currencyProblem(refundCurrency) { return problem }
            guard let original = facts.orders[orderID], original.customerID == customer else {
                return .rejected(field: "order_id", reason: "no order \(orderID) of this customer is stored; send the order event first")
            }
            let line = OrderLine(sku: "REFUND", description: "refund", quantity: -1, unitPriceMillis: amountMinor * 1000 / refundCurrency.minorPerMajor,
                                 amountMinor: -amountMinor, isProduct: false)
            addOrder(id: "\(orderID)/refund/\(event.id)", customer: customer, at: event.occurredAt, kind: .adjustment,
                     currency: original.currency, channel: nil, country: nil, coupon: nil, event: event.id, lines: [line])
            ordersChanged = true
        case let .consent(channel, granted):
            let row = ConsentRow(customerID: customer, channel: channel, granted: granted, changedAt: event.occurredAt, eventID: event.id)
            let key = customer + "\u{0}" + channel
            if let at = consentIndex[key] {
                if row.changedAt >= consents[at].changedAt { consents[at] = row }
            } else {
                consentIndex[key] = consents.count
                consents.append(row)
            }
        case let .identify(identifiers):
            for identifier in identifiers { link(identifier, to: customer, at: event.occurredAt) }
        case .signup, .pageView, .productView, .addToCart, .review, .supportTicket, .nps, .profile:
            break
        }
        facts.knownEventIDs.insert(event.id)
        events.append(EventRow(id: event.id, type: event.payload.typeName, customerID: customer, occurredAt: event.occurredAt,
                               receivedAt: receivedAt, body: EventFields.json(event.payload)))
        if seenCustomers.insert(customer).inserted { customers.append((customer, event.occurredAt)) }
        report.customers[customer] = (report.customers[customer] ?? false) || ordersChanged
        return .accepted
    }

    /// The customer an event belongs to: an alias (a user or device id linked by `identify`) resolves
    /// to its most recently linked customer.
    private func canonicalCustomer(_ event: CustomerEvent) -> String {
        if case .identify = event.payload { return event.customerID }
        let links = facts.links[event.customerID] ?? []
        return links.max { $0.linkedAt < $1.linkedAt }?.customerID ?? event.customerID
    }

    private mutating func link(_ identifier: Identifier, to customer: String, at instant: Int64) {
        let row = IdentityRow(value: identifier.value, kind: identifier.kind, customerID: customer, linkedAt: instant)
        let key = identifier.value + "\u{0}" + identifier.kind
        if let at = identityIndex[key] {
            if instant >= identities[at].linkedAt { identities[at] = row }
        } else {
            identityIndex[key] = identities.count
            identities.append(row)
        }
        // Later events under this alias resolve through the new link unless a newer one is stored.
        guard identifier.kind == "user_id" || identifier.kind == "device_id" else { return }
        var links = facts.links[identifier.value] ?? []
        if let at = links.firstIndex(where: { $0.kind == identifier.kind }) {
            if instant >= links[at].linkedAt { links[at] = IdentityLink(kind: identifier.kind, customerID: customer, linkedAt: instant) }
        } else {
            links.append(IdentityLink(kind: identifier.kind, customerID: customer, linkedAt: instant))
        }
        facts.links[identifier.value] = links
    }

    private mutating func currencyProblem(_ given: Currency) -> EventOutcome? {
        guard let stored = facts.currency else {
            facts.currency = given.code
            newCurrency = given.code
            return nil
        }
        guard stored == given.code else {
            return .rejected(field: "currency", reason: "the store keeps its money in \(stored); convert the amounts to \(stored) before sending")
        }
        return nil
    }

    private mutating func addOrder(id: String, customer: String, at instant: Int64, kind: OrderKind, currency: String, channel: String?,
                                   country: String?, coupon: String?, event: String, lines orderLines: [OrderLine]) {
        orders.append(OrderRow(id: id, customerID: customer, placedAt: instant, kind: kind, currency: currency,
                               amountMinor: orderLines.reduce(0) { $0.clampedAdding($1.amountMinor) }, channel: channel, country: country,
                               coupon: coupon, eventID: event))
        facts.orders[id] = StoredOrderHead(customerID: customer, kind: kind, currency: currency)
        facts.lines[id] = orderLines
        for (number, line) in orderLines.enumerated() {
            lines.append(LineRow(orderID: id, number: Int64(number), line: line))
            if kind == .purchase, seenProducts.insert(line.sku).inserted {
                products.append((line.sku, line.description.isEmpty ? nil : line.description))
            }
        }
    }
}
