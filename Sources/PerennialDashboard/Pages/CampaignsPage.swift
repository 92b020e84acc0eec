import PerennialCore

/// `/campaigns`: what each campaign did over the period — reach and suppressions, treated against
/// held out with 95% intervals, incremental revenue, coupons and ROI — and the outbox.
struct CampaignsPage {
    var panel: CampaignPanel?
    var l: Localizer
    var currency: Currency
    var calendar: StoreCalendar

    func content() -> String {
        guard let panel, !panel.rows.isEmpty else { return "<p class=\"note\">\(HTML.escape(l["campaigns.none"]))</p>" }
        var out = "<p class=\"note\">\(HTML.escape(l.format("campaigns.period", l.dateTime(panel.from, calendar), l.dateTime(panel.to, calendar))))</p>"
        out += reach(panel.rows)
        out += uplift(panel.rows)
        out += money(panel.rows)
        out += warnings(panel.rows)
        out += outbox(panel.outbox)
        return out
    }

    private func state(_ row: CampaignPanel.Row) -> String { l[row.active ? "campaigns.active" : "campaigns.paused"] }

    private func reach(_ rows: [CampaignPanel.Row]) -> String {
        let headers = [l["campaigns.campaign"], l["campaigns.state"], l["campaigns.holdout"], l["campaigns.entered"], l["campaigns.held_out"],
                       l["campaigns.reached"], l["campaigns.messages"], l["campaigns.suppressed_consent"], l["campaigns.suppressed_cap"],
                       l["campaigns.suppressed_priority"]]
        let cells = rows.map { row in
            [row.name.isEmpty || row.name == row.id ? row.id : "\(row.name) (\(row.id))", state(row), l.percent(row.holdout), l.count(row.entered),
             l.count(row.heldOut), l.count(row.reached), l.count(row.messages), l.count(row.suppressed["consent"] ?? 0),
             l.count(row.suppressed["frequency_cap"] ?? 0), l.count(row.suppressed["priority"] ?? 0)]
        }
        return "<h2>\(HTML.escape(l["campaigns.reach_heading"]))</h2>" + HTML.table(headers, cells, numericFrom: 2)
    }

    private func uplift(_ rows: [CampaignPanel.Row]) -> String {
        let measured = rows.filter { $0.conversion != nil }
        guard !measured.isEmpty else { return "<p class=\"note\">\(HTML.escape(l["campaigns.no_measurement"]))</p>" }
        let points = { (value: Double) in l.decimal(value * 100, places: 1) }
        let items = measured.map { row -> IntervalChart.Item in
            let c = row.conversion!
            return IntervalChart.Item(label: row.id, estimate: c.difference, low: c.low, high: c.high,
                                      text: l.format("campaigns.interval", points(c.difference), points(c.low), points(c.high)))
        }
        let title = l["campaigns.uplift_title"]
        let chart = IntervalChart(items: items, axisTitle: l["campaigns.uplift_axis"], label: title) { points($0) }
        let headers = [l["campaigns.campaign"], l["campaigns.treated"], l["campaigns.control"], l["campaigns.conversion_treated"],
                       l["campaigns.conversion_control"], l["campaigns.difference"], l["campaigns.p_value"]]
        let table = measured.map { row -> [String] in
            let c = row.conversion!
            return [row.id, l.count(row.treated), l.count(row.control), l.percent(c.treated), l.percent(c.control),
                    l.format("campaigns.interval", points(c.difference), points(c.low), points(c.high)), l.decimal(c.pValue, places: 3)]
        }
        return "<h2>\(HTML.escape(l["campaigns.uplift_heading"]))</h2>"
            + Figure(title: title, svg: chart.svg(), table: nil, dataLabel: l["chart.data"], note: l["campaigns.uplift_note"]).render()
            + HTML.table(headers, table) + steps(measured)
    }

    /// Each action step on its own: treated customers who came to it against held-out customers who would have.
    private func steps(_ rows: [CampaignPanel.Row]) -> String {
        let points = { (value: Double) in l.decimal(value * 100, places: 1) }
        let cells = rows.flatMap { row in
            row.steps.map { step -> [String] in
                let c = step.conversion
                return [row.id, l.format("campaigns.step_label", "\(step.step + 1)", step.action), l.count(step.treated), l.count(step.control),
                        c.map { l.percent($0.treated) + " / " + l.percent($0.control) } ?? "—",
                        c.map { l.format("campaigns.interval", points($0.difference), points($0.low), points($0.high)) } ?? "—",
                        c.map { l.decimal($0.pValue, places: 3) } ?? "—"]
            }
        }
        guard !cells.isEmpty else { return "" }
        let headers = [l["campaigns.campaign"], l["campaigns.step"], l["campaigns.treated"], l["campaigns.control"], l["campaigns.conversion_both"],
                       l["campaigns.difference"], l["campaigns.p_value"]]
        return "<h3>\(HTML.escape(l["campaigns.steps_heading"]))</h3>" + HTML.table(headers, cells, numericFrom: 2)
            + "<p class=\"note\">\(HTML.escape(l["campaigns.steps_note"]))</p>"
    }

    private func money(_ rows: [CampaignPanel.Row]) -> String {
        let headers = [l["campaigns.campaign"], l["campaigns.revenue_treated"], l["campaigns.revenue_control"], l["campaigns.revenue_p"],
                       l["campaigns.incremental"], l["campaigns.coupons_issued"], l["campaigns.coupons_redeemed"], l["campaigns.coupon_cost"], l["campaigns.roi"]]
        let cells = rows.filter(\.active).map { row -> [String] in
            let r = row.revenuePerCustomer
            return [row.id, r.map { l.money(major: $0.treated, currency) } ?? "—", r.map { l.money(major: $0.control, currency) } ?? "—",
                    r.map { l.decimal($0.pValue, places: 3) } ?? "—", row.incrementalRevenue.map { l.money(major: $0, currency) } ?? "—",
                    l.count(row.couponsIssued), l.count(row.couponsRedeemed), l.money(major: row.couponCost, currency), row.roi.map { l.percent($0) } ?? "—"]
        }
        return "<h2>\(HTML.escape(l["campaigns.money_heading"]))</h2>" + HTML.table(headers, cells)
            + "<p class=\"note\">\(HTML.escape(l["campaigns.roi_note"]))</p>"
    }

    private func warnings(_ rows: [CampaignPanel.Row]) -> String {
        var items: [String] = []
        for row in rows where row.active && (row.treated + row.control) > 0 {
            if row.tooSmall { items.append(l.format("campaigns.warning_small", row.id, l.count(row.treated), l.count(row.control))) }
            if row.sampleRatioMismatch { items.append(l.format("campaigns.warning_ratio", row.id, l.count(row.control), l.count(row.treated + row.control), l.percent(row.holdout))) }
        }
        guard !items.isEmpty else { return "" }
        return "<h2>\(HTML.escape(l["campaigns.warnings_heading"]))</h2><ul class=\"warnings\">"
            + items.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
    }

    private func outbox(_ counts: [String: Int]) -> String {
        let statuses = ["pending", "delivered", "dead"]
        return "<h2>\(HTML.escape(l["campaigns.outbox_heading"]))</h2>"
            + HTML.table([l["campaigns.outbox_status"], l["axis.messages"]], statuses.map { [l["campaigns.outbox_\($0)"], l.count(counts[$0] ?? 0)] })
            + "<p class=\"note\">\(HTML.escape(l["campaigns.outbox_note"]))</p>"
    }
}
