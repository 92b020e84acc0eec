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
    /// With a fitted model: churned when P(alive) is below this (default 0.3, a churn risk above 0.7)…
    public var modelChurnedBelow: Double = 0.3
    /// …and declining when it is below this (default 0.6).
    public var modelDecliningBelow: Double = 0.6

    /// The default thresholds.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case churnDays = "churn_days", newMaxOrders = "new_max_orders", newWithinDays = "new_within_days"
        case decliningGapMultiple = "declining_gap_multiple", loyalOrdersPerMonth = "loyal_orders_per_month"
        case activeMinOrdersPerMonth = "active_min_orders_per_month"
        case modelChurnedBelow = "model_churned_below", modelDecliningBelow = "model_declining_below"
    }

    /// The stage of a customer with the given summary (or none, for a customer without orders).
    ///
    /// With the model's P(alive) for the customer, the model decides who is slipping away instead of
    /// the silence thresholds: churned below ``modelChurnedBelow``, then new by the same rule, then
    /// declining below ``modelDecliningBelow``, then loyal or active by rate. A regular buyer silent for
    /// longer than the churn window is not churned while the model still expects them back.
    public func stage(of summary: CustomerSummary?, probabilityAlive: Double? = nil) -> LifecycleStage {
        guard let summary, summary.orders > 0 else { return .potential }
        if let alive = probabilityAlive, alive.isFinite {
            if alive < modelChurnedBelow { return .churned }
            if summary.orders <= newMaxOrders && summary.tenureDays <= newWithinDays { return .new }
            if alive < modelDecliningBelow { return .declining }
            return rateStage(summary)
        }
        if summary.recencyDays > churnDays { return .churned }
        if summary.orders <= newMaxOrders && summary.tenureDays <= newWithinDays { return .new }
        if let gap = summary.medianDaysBetweenOrders, Double(summary.recencyDays) > decliningGapMultiple * gap {
            return .declining
        }
        return rateStage(summary)
    }

    /// Loyal, active or (below the active floor) declining, by orders a month.
    private func rateStage(_ summary: CustomerSummary) -> LifecycleStage {
        if summary.ordersPerMonth >= loyalOrdersPerMonth { return .loyal }
        if summary.ordersPerMonth >= activeMinOrdersPerMonth { return .active }
        return .declining
    }
}
