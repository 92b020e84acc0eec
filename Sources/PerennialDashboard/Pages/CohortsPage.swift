import PerennialCore

/// `/cohorts`: the retention heatmap of the latest cohorts, by month or by week.
struct CohortsPage {
    var matrix: CohortMatrix
    var l: Localizer
    var links: DashboardLinks
    /// The customers the matrix is limited to (their current segment or stage); empty for all.
    var filter = CustomerFilter()
    /// The acquisition channels to offer, most customers first.
    var channels: [String] = []
    /// How many cohorts and periods after acquisition to show.
    var shown = 12

    func content() -> String {
        let weekly = matrix.period == .week
        var out = ""
        if !links.standalone { out += form(weekly: weekly) }
        let rows = Array(matrix.rows.suffix(shown))
        guard !rows.isEmpty else { return out + "<p class=\"note\">\(HTML.escape(l["common.no_orders"]))</p>" }
        let columns = min(shown, rows.map(\.retained.count).max() ?? 0)
        let cohortName = { (row: CohortMatrix.Row) in weekly ? row.cohort : l.month(row.cohort) }
        let cells = rows.map { row in
            (0..<columns).map { k -> Heatmap.Cell in
                guard k < row.retained.count else { return Heatmap.Cell(intensity: nil, text: "", tooltip: "") }
                let rate = row.retention[k]
                return Heatmap.Cell(intensity: rate, text: l.percent(rate),
                                    tooltip: l.format("cohorts.cell", cohortName(row), "\(k)", l.count(row.retained[k]), l.count(row.size), l.percent(rate)))
            }
        }
        var title = l[weekly ? "cohorts.title_weekly" : "cohorts.title_monthly"]
        if let segment = filter.segment { title += " · " + l["segment.\(segment.rawValue)"] }
        if let stage = filter.stage { title += " · " + l["stage.\(stage.rawValue)"] }
        if let channel = filter.channel { title += " · " + l.format("overview.scope_channel", channel) }
        let heatmap = Heatmap(rowLabels: rows.map { "\(cohortName($0)) (\(l.count($0.size)))" }, columnLabels: (0..<columns).map { "+\($0)" }, cells: cells,
                              rowTitle: l["cohorts.row_axis"], columnTitle: l[weekly ? "cohorts.column_axis_weeks" : "cohorts.column_axis_months"],
                              label: title, cellWidth: 54, labelWidth: 150)
        let tableRows = rows.map { row in [cohortName(row), l.count(row.size)] + (0..<columns).map { $0 < row.retained.count ? l.percent(row.retention[$0]) : "" } }
        out += Figure(title: title, axes: heatmap.axes(l), svg: heatmap.svg(), legend: [(l["cohorts.legend"], Palette.sequential(0.8), false)],
                      table: ([l["cohorts.row_axis"], l["cohorts.size"]] + (0..<columns).map { "+\($0)" }, tableRows), dataLabel: l["chart.data"]).render()
        out += "<p class=\"note\">\(HTML.escape(l["cohorts.note"]))</p>"
        return out
    }

    /// The period and the customers to show, as a plain GET form (no script needed).
    private func form(weekly: Bool) -> String {
        var out = "<form class=\"filters\" method=\"get\" action=\"/cohorts\"><label>\(HTML.escape(l["cohorts.period"])) <select name=\"period\">"
        out += "<option value=\"month\"\(weekly ? "" : " selected=\"selected\"")>\(HTML.escape(l["cohorts.monthly"]))</option>"
        out += "<option value=\"week\"\(weekly ? " selected=\"selected\"" : "")>\(HTML.escape(l["cohorts.weekly"]))</option></select></label> "
        out += "<label>\(HTML.escape(l["cohorts.customers"])) <select name=\"segment\"><option value=\"\">\(HTML.escape(l["cohorts.all"]))</option>"
        for segment in RFMSegment.allCases {
            out += "<option value=\"\(segment.rawValue)\"\(filter.segment == segment ? " selected=\"selected\"" : "")>\(HTML.escape(l["segment.\(segment.rawValue)"]))</option>"
        }
        out += "</select></label> "
        if !channels.isEmpty {
            out += "<label>\(HTML.escape(l["cohorts.channel"])) <select name=\"channel\"><option value=\"\">\(HTML.escape(l["cohorts.any_channel"]))</option>"
            for channel in channels {
                out += "<option value=\"\(HTML.escape(channel))\"\(filter.channel == channel ? " selected=\"selected\"" : "")>\(HTML.escape(channel))</option>"
            }
            out += "</select></label> "
        }
        out += "<button type=\"submit\">\(HTML.escape(l["cohorts.show"]))</button></form>"
        return out
    }
}
