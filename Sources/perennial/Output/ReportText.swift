import PerennialCore
import PerennialReports

/// The text form of a lifecycle report, for people at a terminal.
enum ReportText {
    static func analysis(_ report: LifecycleReport, source: String, asOfNote: String) -> String {
        let c = report.currency, k = report.kpis
        let calendar = StoreCalendar(identifier: report.timeZone) ?? .utc
        var out = "Lifecycle summary as of \(Formatting.local(report.asOf, calendar)) \(report.timeZone)\(asOfNote)\n"
        out += "Source: \(source). Money in \(c.code).\n\n"
        var kpis = TextTable(["KPI", "value", "how it is counted"], leftColumns: [0, 2])
        kpis.add(["customers", Formatting.count(k.customers), "with at least one order (\(Formatting.count(k.potentialCustomers)) more known without one)"])
        kpis.add(["active customers", Formatting.count(k.activeCustomers), "ordered in the last \(report.stageRules.churnDays) days"])
        kpis.add(["new this month", Formatting.count(k.newCustomersThisMonth), "first order in the as-of month"])
        kpis.add(["orders", Formatting.count(k.orders), "\(Formatting.count(k.guestOrders)) of them by guests"])
        kpis.add(["revenue", Formatting.money(k.revenueMinor, c), "net of cancellations; guests \(Formatting.money(k.guestRevenueMinor, c))"])
        kpis.add(["AOV", Formatting.money(k.aovMinor, c), "revenue per order"])
        kpis.add(["ARPU", Formatting.money(k.arpuMinor, c), "customer revenue per customer"])
        kpis.add(["repurchase rate", Formatting.percent(k.repurchaseRate), "customers with 2+ orders"])
        kpis.add(["30-day repeat rate", Formatting.percent(k.repeatRate30d), "new customers ordering again within 30 days"])
        kpis.add(["90-day repeat rate", Formatting.percent(k.repeatRate90d), "… within 90 days"])
        kpis.add(["churn rate", Formatting.percent(k.churnRate), "silent for more than \(report.stageRules.churnDays) days"])
        kpis.add(["cancellation rate", Formatting.percent(k.cancellationRate), "\(Formatting.count(k.cancellations)) cancellations, \(Formatting.money(k.cancelledRevenueMinor, c))"])
        out += "KPIs\n" + kpis.render() + "\n\n"
        out += "Lifecycle stages\n" + groups(report.stages, c, label: "stage") + "\n\n"
        out += "RFM segments (customers with an order)\n" + groups(report.segments, c, label: "segment") + "\n\n"
        out += cohorts(report.cohorts, maxColumns: 13)
        return out
    }

    static func groups(_ figures: [GroupFigure], _ currency: Currency, label: String) -> String {
        var table = TextTable([label, "customers", "share", "revenue", "revenue share"])
        for figure in figures {
            table.add([figure.name, Formatting.count(figure.customers), Formatting.percent(figure.share),
                       Formatting.money(figure.revenueMinor, currency), Formatting.percent(figure.revenueShare)])
        }
        return table.render()
    }

    static func cohorts(_ matrix: CohortMatrix, maxColumns: Int) -> String {
        let width = min(maxColumns, matrix.rows.map(\.retained.count).max() ?? 0)
        var table = TextTable(["cohort", "size"] + (0..<width).map { "+\($0)" })
        for row in matrix.rows {
            let cells = row.retention.prefix(width).map { Formatting.percent($0).replacingPercent }
            table.add([row.cohort, Formatting.count(row.size)] + cells + Array(repeating: "", count: width - cells.count))
        }
        let more = (matrix.rows.map(\.retained.count).max() ?? 0) > width ? " (first \(width) periods; --json has all)" : ""
        return "Cohort retention by \(matrix.period.rawValue) of first order, % of cohort\(more)\n" + table.render() + "\n"
    }
}

private extension String {
    /// `65.6%` → `65.6`, to keep matrix cells narrow.
    var replacingPercent: String { hasSuffix("%") ? String(dropLast()) : self }
}
