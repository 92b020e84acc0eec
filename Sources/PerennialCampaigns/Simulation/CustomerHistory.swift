import PerennialCore

/// What a simulation knows of one customer: orders, other events and consent changes, oldest first.
public struct CustomerHistory: Sendable, Hashable {
    public struct Order: Sendable, Hashable {
        public var at: Int64
        public var kind: OrderKind
        public var amountMinor: Int64
        public var couponCode: String?
        /// The skus bought (for replenishment cycles).
        public var skus: [String]

        public init(at: Int64, kind: OrderKind, amountMinor: Int64, couponCode: String? = nil, skus: [String] = []) {
            self.at = at
            self.kind = kind
            self.amountMinor = amountMinor
            self.couponCode = couponCode
            self.skus = skus
        }
    }

    public struct Event: Sendable, Hashable {
        public var at: Int64
        /// `add_to_cart`, `review`, `support_ticket`, …
        public var type: String
        /// A review's rating (1–5), when the event is a review.
        public var rating: Int?

        public init(at: Int64, type: String, rating: Int? = nil) {
            self.at = at
            self.type = type
            self.rating = rating
        }
    }

    public struct ConsentChange: Sendable, Hashable {
        public var at: Int64
        public var channel: MessageChannel
        public var granted: Bool

        public init(at: Int64, channel: MessageChannel, granted: Bool) {
            self.at = at
            self.channel = channel
            self.granted = granted
        }
    }

    public var id: String
    public var orders: [Order]
    public var events: [Event]
    public var consent: [ConsentChange]
    public var timeZone: String?
    /// Month of birth (1–12), when known.
    public var birthMonth: Int?

    public init(id: String, orders: [Order] = [], events: [Event] = [], consent: [ConsentChange] = [], timeZone: String? = nil, birthMonth: Int? = nil) {
        self.id = id
        self.orders = orders.sorted { $0.at < $1.at }
        self.events = events.sorted { $0.at < $1.at }
        self.consent = consent.sorted { $0.at < $1.at }
        self.timeZone = timeZone
        self.birthMonth = birthMonth
    }

    /// Every event of a type at or after `start` and before `end`, orders counting as `order`.
    func times(of type: String, from start: Int64, to end: Int64) -> [Int64] {
        if type == "order" { return orders.filter { $0.kind == .purchase && $0.at >= start && $0.at < end }.map(\.at) }
        return events.filter { $0.type == type && $0.at >= start && $0.at < end }.map(\.at)
    }

    /// Consent by channel as of an instant.
    func consent(at instant: Int64) -> [MessageChannel: Bool] {
        var state: [MessageChannel: Bool] = [:]
        for change in consent where change.at <= instant { state[change.channel] = change.granted }
        return state
    }
}
