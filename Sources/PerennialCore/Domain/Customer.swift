/// A known customer: anyone the store has an id for, whether or not they have ordered.
public struct Customer: Hashable, Sendable {
    /// The store's customer id.
    public var id: String
    /// The country on the customer's first order or record, when known.
    public var country: String?

    /// Creates a customer.
    public init(id: String, country: String? = nil) {
        self.id = id
        self.country = country
    }
}
