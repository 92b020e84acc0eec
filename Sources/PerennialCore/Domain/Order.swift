/// What an order does to a customer's history.
public enum OrderKind: UInt8, Sendable, CaseIterable, Codable {
    /// A normal purchase: counts as an order and as revenue.
    case purchase = 0
    /// A cancellation or return (credit note): negative lines that reduce revenue; not an order.
    case cancellation = 1
    /// An accounting adjustment (for example "adjust bad debt"): money only, not an order.
    case adjustment = 2

    /// The lower-case name used in files and JSON.
    public var name: String {
        switch self {
        case .purchase: "purchase"
        case .cancellation: "cancellation"
        case .adjustment: "adjustment"
        }
    }

    /// Parses `purchase`, `cancellation` (or `cancel`, `return`, `refund`) and `adjustment`.
    public init?(name: String) {
        switch name.lowercased() {
        case "purchase", "order", "": self = .purchase
        case "cancellation", "cancel", "cancelled", "return", "refund": self = .cancellation
        case "adjustment": self = .adjustment
        default: return nil
        }
    }
}

/// One line of an order: a sku, a quantity and a unit price.
public struct OrderLine: Hashable, Sendable {
    /// The stock-keeping unit, as the source spells it.
    public var sku: String
    /// The product name as the source gives it (may be empty).
    public var description: String
    /// Units; negative on cancellations and stock adjustments.
    public var quantity: Int64
    /// Unit price in thousandths of a major unit (`2.55` GBP is `2550`).
    public var unitPriceMillis: Int64
    /// `quantity × unit price`, in minor units of the order's currency.
    public var amountMinor: Int64
    /// Whether the sku is a product (false for postage, fees, discounts and manual adjustments).
    public var isProduct: Bool

    /// Creates a line; `amountMinor` is the rounded line total.
    public init(sku: String, description: String = "", quantity: Int64, unitPriceMillis: Int64, amountMinor: Int64, isProduct: Bool = true) {
        self.sku = sku
        self.description = description
        self.quantity = quantity
        self.unitPriceMillis = unitPriceMillis
        self.amountMinor = amountMinor
        self.isProduct = isProduct
    }
}

/// The sales channel an order came through.
public struct Channel: Hashable, Sendable, RawRepresentable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The mobile app.
    public static let app: Channel = "app"
    /// A mini-program inside a super-app (WeChat, Alipay).
    public static let miniProgram: Channel = "mini-program"
    /// The web shop.
    public static let web: Channel = "web"
    /// A physical store.
    public static let store: Channel = "store"
}

/// An order with its lines, as imported.
public struct Order: Hashable, Sendable {
    /// The store's order (invoice) id; unique within the store.
    public var id: String
    /// The customer's id, or `nil` for a guest order.
    public var customerID: String?
    /// When the order was placed, in seconds since 1970-01-01T00:00:00Z.
    public var placedAt: Int64
    /// Purchase, cancellation or adjustment.
    public var kind: OrderKind
    /// The currency of every line.
    public var currency: Currency
    /// The sales channel, when known.
    public var channel: Channel?
    /// The customer's country as given on the order, when known.
    public var country: String?
    /// The order's lines.
    public var lines: [OrderLine]

    /// Creates an order.
    public init(id: String, customerID: String?, placedAt: Int64, kind: OrderKind, currency: Currency,
                channel: Channel? = nil, country: String? = nil, lines: [OrderLine] = []) {
        self.id = id
        self.customerID = customerID
        self.placedAt = placedAt
        self.kind = kind
        self.currency = currency
        self.channel = channel
        self.country = country
        self.lines = lines
    }

    /// The sum of the line amounts, in minor units.
    public var amountMinor: Int64 { lines.reduce(0) { $0.clampedAdding($1.amountMinor) } }
}

/// A product of the catalog.
public struct Product: Hashable, Sendable {
    /// The stock-keeping unit.
    public var sku: String
    /// The product's name.
    public var description: String
    /// The product's category, when known.
    public var category: String?

    /// Creates a product.
    public init(sku: String, description: String, category: String? = nil) {
        self.sku = sku
        self.description = description
        self.category = category
    }
}
