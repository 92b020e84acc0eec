import PerennialCore

/// `/segments`: every RFM segment with its size, revenue and 12-month trend; with a filter, the list of
/// its customers and the CSV export.
struct SegmentsPage {
    var input: DashboardInput
    var l: Localizer
    var links: DashboardLinks
    var filter = CustomerFilter()
    /// How many customers a list shows (the CSV has them all).
    var listLimit = 100

    func content() -> String {
        var out = ""
        if !filter.isEmpty { out += list() }
        out += "<h2>\(HTML.escape(l["segments.rfm_heading"]))</h2>" + SegmentTable(input: input, l: l, links: links).html()
        out += "<h2>\(HTML.escape(l["segments.stage_heading"]))</h2>"
        let figures = input.stageFigures()
        out += "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">\(HTML.escape(l["axis.stage"]))</th><th scope=\"col\" class=\"num\">\(HTML.escape(l["axis.customers"]))</th><th scope=\"col\" class=\"num\">\(HTML.escape(l["axis.revenue"]))</th><th scope=\"col\" class=\"num\">\(HTML.escape(l["segments.trend"]))</th></tr></thead><tbody>"
        for (index, figure) in figures.enumerated() {
            let name = HTML.escape(l["stage.\(figure.stage.rawValue)"])
            let label = links.page(.segments, [("stage", figure.stage.rawValue)]).map { "<a href=\"\(HTML.escape($0))\">\(name)</a>" } ?? name
            out += "<tr><th scope=\"row\">\(label)</th><td class=\"num\">\(l.count(figure.customers))</td>"
            out += "<td class=\"num\">\(HTML.escape(l.money(figure.revenueMinor, input.currency)))</td>"
            let trend = Sparkline.monthlyCounts(input.history.stageCounts.map { $0[index] }, months: input.history.months,
                                                name: l["stage.\(figure.stage.rawValue)"], l: l, colour: Palette.stage(figure.stage))
            out += "<td class=\"num\">\(trend)</td></tr>"
        }
        return out + "</tbody></table></div>"
    }

    private func list() -> String {
        let selected = filter.selected(input)
        var parts: [String] = []
        if let stage = filter.stage { parts.append(l["stage.\(stage.rawValue)"]) }
        if let segment = filter.segment { parts.append(l["segment.\(segment.rawValue)"]) }
        if let r = filter.r { parts.append("R\(r)") }
        if let f = filter.f { parts.append("F\(f)") }
        var out = "<h2>\(HTML.escape(l.format("segments.list_heading", parts.joined(separator: " · "), l.count(selected.count))))</h2>"
        if let csv = links.csv(filter) {
            out += "<p><a href=\"\(HTML.escape(csv))\" download=\"customers.csv\">\(HTML.escape(l["segments.export_csv"]))</a></p>"
        }
        let rows = selected.prefix(listLimit)
        out += "<div class=\"scroll\"><table><thead><tr>"
        let headers = [l["axis.customer"], l["axis.stage"], l["axis.segment"], l["axis.orders"], l["axis.revenue"], l["axis.recency"]]
        for (i, header) in headers.enumerated() { out += "<th scope=\"col\"\(i >= 3 ? " class=\"num\"" : "")>\(HTML.escape(header))</th>" }
        out += "</tr></thead><tbody>"
        for profile in rows {
            let id = HTML.escape(profile.customerID)
            let name = links.customer(profile.customerID).map { "<a href=\"\(HTML.escape($0))\">\(id)</a>" } ?? id
            out += "<tr><th scope=\"row\">\(name)</th><td>\(HTML.escape(l["stage.\(profile.stage.rawValue)"]))</td>"
            out += "<td>\(HTML.escape(profile.segment.map { l["segment.\($0.rawValue)"] } ?? "—"))</td>"
            out += "<td class=\"num\">\(l.count(profile.summary?.orders ?? 0))</td><td class=\"num\">\(HTML.escape(l.money(profile.revenueMinor, input.currency)))</td>"
            out += "<td class=\"num\">\(profile.summary.map { l.format("common.days", l.count($0.recencyDays)) } ?? "—")</td></tr>"
        }
        out += "</tbody></table></div>"
        if selected.count > listLimit { out += "<p class=\"note\">\(HTML.escape(l.format("segments.list_more", l.count(listLimit))))</p>" }
        return out
    }
}
