/// The store's headline figures at an as-of instant (docs/ANALYTICS.md, "KPIs").
public struct KPIs: Sendable, Hashable, Codable {
    /// Customers with at least one purchase order.
    public var customers = 0
    /// Known customers with no purchase order.
    public var potentialCustomers = 0
    /// Customers whose last order is within the churn window.
    public var activeCustomers = 0
    /// Customers whose first order is in the as-of month.
    public var newCustomersThisMonth = 0
    /// Purchase orders, guests included.
    public var orders = 0
    /// Purchase orders of known customers.
    public var customerOrders = 0
    /// Purchase orders of guests.
    public var guestOrders = 0
    /// Net revenue of all orders of every kind, guests included, in minor units.
    public var revenueMinor: Int64 = 0
    /// The part of revenue from guest orders, in minor units.
    public var guestRevenueMinor: Int64 = 0
    /// Revenue per purchase order, in minor units.
    public var aovMinor: Double = 0
    /// Customer revenue per customer, in minor units.
    public var arpuMinor: Double = 0
    /// Share of customers with two or more orders.
    public var repurchaseRate: Double = 0
    /// Share of eligible new customers who ordered again within 30 days of their first order.
    public var repeatRate30d: Double = 0
    /// The same within 90 days.
    public var repeatRate90d: Double = 0
    /// Share of customers silent for longer than the churn window.
    public var churnRate: Double = 0
    /// Cancellation orders, guests included.
    public var cancellations = 0
    /// Cancellations per purchase order.
    public var cancellationRate: Double = 0
    /// Sum of cancellation amounts (negative), in minor units.
    public var cancelledRevenueMinor: Int64 = 0

    /// Zero figures.
    public init() {}
}

/// One calendar month of the store's series.
public struct MonthlyFigures: Sendable, Hashable, Codable {
    /// `YYYY-MM`.
    public var month: String
    /// Customers whose first purchase order is in this month.
    public var newCustomers: Int
    /// Customers with a purchase order in this month.
    public var activeCustomers: Int
    /// Purchase orders, guests included.
    public var orders: Int
    /// Net revenue of all orders, in minor units.
    public var revenueMinor: Int64

    /// A month's figures.
    public init(month: String, newCustomers: Int, activeCustomers: Int, orders: Int, revenueMinor: Int64) {
        self.month = month
        self.newCustomers = newCustomers
        self.activeCustomers = activeCustomers
        self.orders = orders
        self.revenueMinor = revenueMinor
    }
}

/// Customers and revenue of one group (a stage or a segment).
public struct GroupFigure: Sendable, Hashable, Codable {
    /// The group's id (`new`, `champions`, …).
    public var id: String
    /// The group's display name.
    public var name: String
    /// Customers in the group.
    public var customers: Int
    /// Their share of the customers counted.
    public var share: Double
    /// Their net revenue, in minor units.
    public var revenueMinor: Int64
    /// Their share of the counted customers' revenue.
    public var revenueShare: Double
}
