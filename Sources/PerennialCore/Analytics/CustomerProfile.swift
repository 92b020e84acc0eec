/// Everything the analysis says about one customer.
public struct CustomerProfile: Sendable, Hashable {
    /// The customer's id.
    public var customerID: String
    /// The purchase summary; `nil` for a customer without a purchase order.
    public var summary: CustomerSummary?
    /// Net revenue of all the customer's orders (also for customers without a purchase), minor units.
    public var revenueMinor: Int64
    /// RFM scores, for customers with a summary.
    public var rfm: RFMScore?
    /// The RFM segment, for customers with a summary.
    public var segment: RFMSegment?
    /// The lifecycle stage.
    public var stage: LifecycleStage
}
