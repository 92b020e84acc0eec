import PerennialCore

/// Where events are kept. ``record(_:receivedAt:)`` is all-or-nothing and durable: when it returns,
/// every accepted event is committed.
public protocol EventStore: Sendable {
    /// Stores a batch of decoded events in one transaction and applies their effects (orders,
    /// cancellations, refunds, consent, identities); replays (a known event id) change nothing.
    func record(_ events: [CustomerEvent], receivedAt: Int64) async throws -> EventWriteReport
    /// A customer's latest events, newest first.
    func recentEvents(ofCustomer id: String, limit: Int) async throws -> [StoredEvent]
    /// Customers' orders of every kind (instant, kind, amount), oldest first, by customer (customers
    /// without orders are absent): what the live profile updates after a batch read.
    func orderFacts(ofCustomers ids: [String]) async throws -> [String: [OrderFact]]
    /// A customer's tags (set by campaigns), sorted.
    func tags(ofCustomer id: String) async throws -> [String]
    /// Adds tags to customers (a tag a customer has already is left as it is); returns how many were new.
    func addTags(_ tags: [CustomerTag], at instant: Int64) async throws -> Int
}

/// A tag on a customer.
public struct CustomerTag: Sendable, Hashable {
    public var customerID: String
    public var tag: String

    public init(customerID: String, tag: String) {
        self.customerID = customerID
        self.tag = tag
    }
}

extension EventStore {
    /// One customer's orders of every kind (instant, kind, amount), oldest first.
    public func orderFacts(ofCustomer id: String) async throws -> [OrderFact] {
        try await orderFacts(ofCustomers: [id])[id] ?? []
    }
}

/// What the store does to each event of a batch.
public enum EventOutcome: Sendable, Hashable {
    /// Stored now.
    case accepted
    /// Stored before (same event id, or the same order id): nothing changed.
    case duplicate(reason: String)
    /// Valid JSON but inconsistent with what is stored (an unknown order to cancel, another currency).
    case rejected(field: String, reason: String)
}

/// The result of ``EventStore/record(_:receivedAt:)``.
public struct EventWriteReport: Sendable {
    /// One outcome per event, in order.
    public var outcomes: [EventOutcome] = []
    /// Customers touched by accepted events (after alias resolution), with whether their orders changed.
    public var customers: [String: Bool] = [:]

    /// An empty report.
    public init() {}
}

/// An event as stored: the envelope and its type's fields as a JSON object text.
public struct StoredEvent: Sendable, Hashable {
    public var id: String
    public var type: String
    public var customerID: String
    public var occurredAt: Int64
    /// The type's own fields, a compact JSON object.
    public var fieldsJSON: String

    public init(id: String, type: String, customerID: String, occurredAt: Int64, fieldsJSON: String) {
        self.id = id
        self.type = type
        self.customerID = customerID
        self.occurredAt = occurredAt
        self.fieldsJSON = fieldsJSON
    }
}

/// One order reduced to what analysis reads.
public struct OrderFact: Sendable, Hashable {
    public var placedAt: Int64
    public var kind: OrderKind
    public var amountMinor: Int64

    public init(placedAt: Int64, kind: OrderKind, amountMinor: Int64) {
        self.placedAt = placedAt
        self.kind = kind
        self.amountMinor = amountMinor
    }
}
