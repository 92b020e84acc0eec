/// Where a customer stands in their life with the store.
public enum LifecycleStage: String, Sendable, CaseIterable, Codable {
    /// A known customer with no purchase order yet.
    case potential
    /// One or two orders, the first one recent.
    case new
    /// Buying within their own cadence.
    case active
    /// Buying often: at least the loyal rate of orders a month.
    case loyal
    /// Silent for much longer than their own usual gap, or slower than the active floor.
    case declining
    /// No order for longer than the churn window.
    case churned
}

/// The thresholds that assign lifecycle stages; every one is configurable (see docs/ANALYTICS.md).
///
/// The first matching rule wins: potential, churned, new, declining (by gap), loyal, active, and
/// declining for customers below the active floor.
public struct StageRules: Sendable, Hashable, Codable {
    /// A customer silent for more than this many days is churned (default 90).
    public var churnDays: Int = 90
    /// New customers have at most this many orders (default 2)…
    public var newMaxOrders: Int = 2
    /// …and their first order within this many days (default 90).
    public var newWithinDays: Int = 90
    /// Declining: silent for longer than this multiple of their median gap between purchase days (default 2).
    public var decliningGapMultiple: Double = 2
    /// Loyal: at least this many orders a month over the last 12 months of tenure (default 3).
    public var loyalOrdersPerMonth: Double = 3
    /// Active: at least this many orders a month (default 0; the seed's band starts at 1).
    public var activeMinOrdersPerMonth: Double = 0

    /// The default thresholds.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case churnDays = "churn_days", newMaxOrders = "new_max_orders", newWithinDays = "new_within_days"
        case decliningGapMultiple = "declining_gap_multiple", loyalOrdersPerMonth = "loyal_orders_per_month"
        case activeMinOrdersPerMonth = "active_min_orders_per_month"
    }

    /// The stage of a customer with the given summary (or none, for a customer without orders).
    public func stage(of summary: CustomerSummary?) -> LifecycleStage {
        guard let summary, summary.orders > 0 else { return .potential }
        if summary.recencyDays > churnDays { return .churned }
        if summary.orders <= newMaxOrders && summary.tenureDays <= newWithinDays { return .new }
        if let gap = summary.medianDaysBetweenOrders, Double(summary.recencyDays) > decliningGapMultiple * gap {
            return .declining
        }
        if summary.ordersPerMonth >= loyalOrdersPerMonth { return .loyal }
        if summary.ordersPerMonth >= activeMinOrdersPerMonth { return .active }
        return .declining
    }
}
