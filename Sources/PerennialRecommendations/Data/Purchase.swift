/// One product line bought by a known customer: what every recommender here reads.
///
/// Callers pass purchases only (no cancellations), with positive quantity and price, and product skus
/// only (no postage or fees); ``Purchase/isCountable`` says whether a line qualifies.
public struct Purchase: Sendable, Hashable {
    /// The customer's id.
    public var customer: String
    /// The order (invoice) the line belongs to.
    public var order: String
    /// When the order was placed, seconds since 1970 UTC.
    public var at: Int64
    /// The product's sku.
    public var sku: String
    /// Units bought.
    public var quantity: Int64
    /// Unit price in thousandths of a major unit.
    public var unitPriceMillis: Int64

    /// Creates a purchase line.
    public init(customer: String, order: String, at: Int64, sku: String, quantity: Int64 = 1, unitPriceMillis: Int64 = 1000) {
        self.customer = customer
        self.order = order
        self.at = at
        self.sku = sku
        self.quantity = quantity
        self.unitPriceMillis = unitPriceMillis
    }

    /// Whether the line counts under the evaluation protocol: a positive quantity at a positive price.
    public var isCountable: Bool { quantity > 0 && unitPriceMillis > 0 }
}
