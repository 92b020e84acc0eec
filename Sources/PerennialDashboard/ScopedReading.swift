import PerennialCore
import PerennialModels

/// A threshold rule limited to a segment or an acquisition channel, read on its customers alone.
public struct ScopedReading: Sendable, Hashable {
    public var rule: KPIThreshold
    /// The KPI on the scope's customers now; `nil` when it cannot be known (no customers, no model).
    public var value: Double?
    public var state: AlertState
    /// How many customers the scope holds.
    public var customers: Int

    /// Reads every scoped rule: the analysis of the scope's customers' orders alone, at the report's
    /// as-of (month figures for the month so far, as the tiles have them).
    public static func read(_ rules: [KPIThreshold], table: TransactionTable, report: LifecycleReport, channels: [String: String],
                            options: AnalysisOptions, model: FittedModel?) -> [ScopedReading] {
        rules.filter(\.isScoped).map { rule in
            let selected = Set(report.profiles.filter { profile in
                (rule.segment == nil || profile.segment?.rawValue == rule.segment) && (rule.channel == nil || channels[profile.customerID] == rule.channel)
            }.map(\.customerID))
            var pointOptions = options
            pointOptions.asOf = report.asOf
            let history = DashboardHistory.compute(table: table.subset(customers: selected), options: pointOptions, model: model, months: 1)
            var whole = rule
            whole.segment = nil
            whole.channel = nil
            let tile = KPITile.tiles(history, currency: table.currency, thresholds: [whole]).first { $0.id == rule.kpi }
            return ScopedReading(rule: rule, value: tile?.value ?? nil, state: tile?.state ?? .none, customers: selected.count)
        }
    }
}

extension TransactionTable {
    /// The orders of some customers only (guest orders dropped).
    public func subset(customers: Set<String>) -> TransactionTable {
        var builder = TransactionTableBuilder(currency: currency)
        for order in 0..<orderCount {
            let customer = orderCustomer[order]
            guard customer >= 0, customers.contains(customerIDs[Int(customer)]) else { continue }
            _ = builder.appendOrder(customerID: customerIDs[Int(customer)], placedAt: orderTime[order], kind: orderKind[order], amountMinor: orderAmount[order])
        }
        return builder.build()
    }
}
