/// One order line with its order's header fields: the unit files and event feeds are read in.
public struct OrderLineRecord: Sendable {
    /// The order (invoice) id.
    public var orderID = ""
    /// The customer id, or `nil` for a guest.
    public var customerID: String?
    /// The order's instant, seconds since 1970 UTC.
    public var placedAt: Int64 = 0
    /// Purchase, cancellation or adjustment.
    public var kind = OrderKind.purchase
    /// The sku (empty when the format has none).
    public var sku = ""
    /// The product name (read only when details are asked for).
    public var description = ""
    /// The product category, when the file has one.
    public var category: String?
    /// Units.
    public var quantity: Int64 = 1
    /// Unit price in thousandths of a major unit.
    public var unitPriceMillis: Int64 = 0
    /// Line amount in minor units.
    public var amountMinor: Int64 = 0
    /// Whether the sku is a product (not a fee or adjustment code).
    public var isProduct = true
    /// The line's currency.
    public var currency = Currency("USD")
    /// The sales channel, when given.
    public var channel: String?
    /// The customer's country, when given.
    public var country: String?

    /// An empty record, filled in field by field.
    public init() {}
}

