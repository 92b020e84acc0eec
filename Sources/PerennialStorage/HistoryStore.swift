import PerennialCore

/// One order as a campaign replay reads it: when, what kind, how much, the coupon code its order
/// event carried and the skus of its product lines.
public struct OrderRecord: Sendable, Hashable {
    public var id: String
    public var placedAt: Int64
    public var kind: OrderKind
    public var amountMinor: Int64
    public var couponCode: String?
    /// The product lines' skus, in line order (postage, fees and other non-products left out).
    public var skus: [String]

    public init(id: String, placedAt: Int64, kind: OrderKind, amountMinor: Int64, couponCode: String? = nil, skus: [String] = []) {
        self.id = id
        self.placedAt = placedAt
        self.kind = kind
        self.amountMinor = amountMinor
        self.couponCode = couponCode
        self.skus = skus
    }
}

/// Whole-store reads of the history, in a fixed number of queries (not one per customer): what a
/// campaign replay needs on every tick of the live runner.
public protocol HistoryStore: Sendable {
    /// Every customer's orders of every kind, oldest first, by customer id (guest orders left out).
    func orderRecords() async throws -> [String: [OrderRecord]]
    /// Every customer's stored events except `order` events (their effects are in the orders),
    /// oldest first, by customer id.
    func otherEvents() async throws -> [String: [StoredEvent]]
}
