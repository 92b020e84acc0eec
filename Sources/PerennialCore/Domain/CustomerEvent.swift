/// Something a customer did or that happened to them, as the store reports it (`POST /v1/events`,
/// `perennial import events`). The envelope is fixed: an id chosen by the client (replays with the
/// same id change nothing), the type, the customer and the instant; the type's own fields follow.
public struct CustomerEvent: Sendable, Hashable {
    /// The client's id for the event; unique per store.
    public var id: String
    /// The customer's id (or an alias linked by an `identify` event).
    public var customerID: String
    /// When it happened, seconds since 1970 UTC.
    public var occurredAt: Int64
    /// The type and its fields.
    public var payload: EventPayload

    /// Creates an event.
    public init(id: String, customerID: String, occurredAt: Int64, payload: EventPayload) {
        self.id = id
        self.customerID = customerID
        self.occurredAt = occurredAt
        self.payload = payload
    }
}

/// The typed part of an event.
public enum EventPayload: Sendable, Hashable {
    /// An order with its lines; `order.customerID` and `placedAt` are the envelope's.
    case order(Order, couponCode: String?)
    /// A whole order cancelled; stored as a cancellation that reverses the order's amount.
    case orderCancelled(orderID: String, reason: String?)
    /// Money returned on an order: an adjustment of `-amountMinor`.
    case refund(orderID: String, amountMinor: Int64, currency: Currency, reason: String?)
    /// The customer created an account.
    case signup(channel: String?)
    /// A page was viewed.
    case pageView(url: String?)
    /// A product page was viewed.
    case productView(sku: String)
    /// A product was put in the cart.
    case addToCart(sku: String, quantity: Int64)
    /// A product review, rating 1–5.
    case review(sku: String?, rating: Int, text: String?)
    /// A support ticket was opened.
    case supportTicket(ticketID: String?, category: String?)
    /// A Net Promoter Score answer, 0–10.
    case nps(score: Int, comment: String?)
    /// Marketing consent for a channel granted or withdrawn.
    case consent(channel: String, granted: Bool)
    /// Identifiers that belong to this customer (user id, device id, hashed email or phone).
    case identify([Identifier])
    /// Facts about the customer that campaigns use: the birthday (month and day only; the year is
    /// never kept) and the IANA time zone for quiet hours. A later profile event replaces what it names.
    case profile(birthMonth: Int?, birthDay: Int?, timeZone: String?)

    /// The event's `type` as clients send it.
    public var typeName: String {
        switch self {
        case .order: "order"
        case .orderCancelled: "order_cancelled"
        case .refund: "refund"
        case .signup: "signup"
        case .pageView: "page_view"
        case .productView: "product_view"
        case .addToCart: "add_to_cart"
        case .review: "review"
        case .supportTicket: "support_ticket"
        case .nps: "nps"
        case .consent: "consent"
        case .identify: "identify"
        case .profile: "profile"
        }
    }

    /// Every event type, in documentation order.
    public static let typeNames = ["order", "order_cancelled", "refund", "signup", "page_view", "product_view", "add_to_cart",
                                   "review", "support_ticket", "nps", "consent", "identify", "profile"]
}

/// One identifier of a customer, linked by an `identify` event. Personal identifiers arrive hashed
/// (SHA-256 hex), never in clear.
public struct Identifier: Sendable, Hashable {
    /// `user_id`, `device_id`, `email_sha256` or `phone_sha256`.
    public var kind: String
    /// The identifier's value.
    public var value: String

    /// Creates an identifier.
    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }

    /// The kinds an `identify` event may carry.
    public static let kinds = ["user_id", "device_id", "email_sha256", "phone_sha256"]
}
