import PerennialCore

/// One KPI of the overview: its value now, its value at the end of each of the last months, and its
/// state under the thresholds.
public struct KPITile: Sendable {
    /// Every tile, in display order.
    public static let ids = ["customers", "active_customers", "new_customers_this_month", "revenue_this_month", "aov_this_month",
                             "repurchase_rate", "repeat_rate_30d", "churn_rate", "average_clv"]

    public enum Unit: Sendable { case count, money, rate }

    public var id: String
    public var unit: Unit
    /// The current value (money in major units); `nil` when it cannot be known (no model for CLV).
    public var value: Double?
    /// The value at each point of the history.
    public var series: [Double?]
    public var state: AlertState
    /// The state at each point of the history.
    public var states: [AlertState]

    /// The tiles of a history (its last point is now).
    public static func tiles(_ history: DashboardHistory, currency: Currency, thresholds: [KPIThreshold]) -> [KPITile] {
        let major = Double(currency.minorPerMajor)
        func rate(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
        return ids.map { id in
            let unit: Unit
            let series: [Double?]
            switch id {
            case "customers": unit = .count; series = history.kpis.map { Double($0.customers) }
            case "active_customers": unit = .count; series = history.kpis.map { Double($0.activeCustomers) }
            case "new_customers_this_month": unit = .count; series = history.monthly.map { Double($0.newCustomers) }
            case "revenue_this_month": unit = .money; series = history.monthly.map { Double($0.revenueMinor) / major }
            case "aov_this_month": unit = .money; series = history.monthly.map { $0.orders == 0 ? nil : Double($0.revenueMinor) / major / Double($0.orders) }
            case "repurchase_rate": unit = .rate; series = history.kpis.map(\.repurchaseRate)
            case "repeat_rate_30d": unit = .rate; series = history.kpis.map(\.repeatRate30d)
            case "churn_rate": unit = .rate; series = history.kpis.map(\.churnRate)
            default: unit = .money; series = history.averageCLV
            }
            let rule = thresholds.last { $0.kpi == id && !$0.isScoped }
            let states = series.map { value in value.flatMap { rule?.state(of: $0) } ?? .none }
            return KPITile(id: id, unit: unit, value: series.last ?? nil, series: series, state: states.last ?? .none, states: states)
        }
    }
}

/// A change of a KPI's state between two consecutive points of the history: the overview's alert list.
public struct StateChange: Sendable, Hashable {
    public var kpi: String
    public var month: String
    public var from: AlertState
    public var to: AlertState
    public var value: Double

    /// Every change in the tiles' histories, newest first.
    public static func changes(_ tiles: [KPITile], months: [String]) -> [StateChange] {
        var changes: [StateChange] = []
        for tile in tiles {
            for i in tile.states.indices.dropFirst() where tile.states[i] != tile.states[i - 1] && tile.states[i] != .none && tile.states[i - 1] != .none {
                if let value = tile.series[i] { changes.append(StateChange(kpi: tile.id, month: months[i], from: tile.states[i - 1], to: tile.states[i], value: value)) }
            }
        }
        return changes.sorted { ($0.month, $0.kpi) > ($1.month, $1.kpi) }
    }
}
