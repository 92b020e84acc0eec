import PerennialCore

/// `/lifecycle`: customers and revenue by stage, the month's stage migration matrix and the main flows
/// month by month.
struct LifecyclePage {
    var input: DashboardInput
    var l: Localizer
    var links: DashboardLinks
    /// The month whose migrations the matrix shows (`2024-06`); the latest when `nil` or unknown.
    var month: String?

    func content() -> String {
        let figures = input.stageFigures()
        let total = max(1, figures.map(\.customers).reduce(0, +))
        let totalRevenue = figures.map(\.revenueMinor).reduce(Int64(0)) { $0.clampedAdding($1) }
        func stageName(_ stage: LifecycleStage) -> String { l["stage.\(stage.rawValue)"] }
        let customers = BarChart(bars: figures.map {
            .init(label: stageName($0.stage), value: Double($0.customers),
                  text: "\(l.count($0.customers)) (\(l.percent(Double($0.customers) / Double(total))))", colour: Palette.stage($0.stage),
                  link: links.page(.segments, [("stage", $0.stage.rawValue)]))
        }, axisTitle: l["axis.customers"], label: l["lifecycle.customers_title"])
        let revenue = BarChart(bars: figures.map {
            .init(label: stageName($0.stage), value: max(0, input.major($0.revenueMinor)), text: l.money($0.revenueMinor, input.currency),
                  colour: Palette.stage($0.stage))
        }, axisTitle: l.format("axis.revenue_in", input.currency.code), label: l["lifecycle.revenue_title"])
        let rows = figures.map { [stageName($0.stage), l.count($0.customers), l.percent(Double($0.customers) / Double(total)),
                                  l.money($0.revenueMinor, input.currency),
                                  l.percent(totalRevenue == 0 ? 0 : Double($0.revenueMinor) / Double(totalRevenue))] }
        var out = "<div class=\"grid2\">"
        out += Figure(title: l["lifecycle.customers_title"], svg: customers.svg(),
                      table: ([l["axis.stage"], l["axis.customers"], l["axis.share"], l["axis.revenue"], l["axis.revenue_share"]], rows),
                      dataLabel: l["chart.data"]).render()
        out += Figure(title: l["lifecycle.revenue_title"], svg: revenue.svg(), table: nil, dataLabel: l["chart.data"]).render()
        out += "</div>"
        out += migrationMatrix()
        out += flows()
        out += "<p class=\"note\">\(HTML.escape(l["lifecycle.rules_note"]))</p>"
        return out
    }

    private func migrationMatrix() -> String {
        let history = input.history
        guard let migration = history.migrations.last(where: { $0.month == month }) ?? history.migrations.last else {
            return "<p class=\"note\">\(HTML.escape(l["common.no_orders"]))</p>"
        }
        let stages = LifecycleStage.allCases
        let rowLabels = stages.map { l["stage.\($0.rawValue)"] } + [l["lifecycle.first_seen"]]
        let largest = Double(max(1, migration.counts.flatMap { $0 }.max() ?? 1))
        let cells = migration.counts.enumerated().map { i, row in
            row.enumerated().map { j, count in
                Heatmap.Cell(intensity: count == 0 ? 0 : 0.15 + 0.85 * Double(count) / largest, text: l.count(count),
                             tooltip: l.format("lifecycle.migration_cell", rowLabels[i], l["stage.\(stages[j].rawValue)"], l.count(count)))
            }
        }
        let title = l.format("lifecycle.migration_title", l.month(migration.month))
        let heatmap = Heatmap(rowLabels: rowLabels, columnLabels: stages.map { l["stage.\($0.rawValue)"] }, cells: cells,
                              rowTitle: l["lifecycle.from"], columnTitle: l["lifecycle.to"], label: title, cellWidth: 72, labelWidth: 130)
        var out = "<h2>\(HTML.escape(l["lifecycle.migration_heading"]))</h2>"
        if !links.standalone, history.migrations.count > 1 {
            out += "<p class=\"note\">"
            out += history.migrations.suffix(6).map { item in
                item.month == migration.month ? "<strong>\(HTML.escape(l.month(item.month)))</strong>"
                    : "<a href=\"\(HTML.escape(links.page(.lifecycle, [("month", item.month)]) ?? ""))\">\(HTML.escape(l.month(item.month)))</a>"
            }.joined(separator: " · ")
            out += "</p>"
        }
        let tableRows = migration.counts.enumerated().map { i, row in [rowLabels[i]] + row.map { l.count($0) } }
        out += Figure(title: title, axes: heatmap.axes(l), svg: heatmap.svg(), table: ([l["lifecycle.from"]] + stages.map { l["stage.\($0.rawValue)"] }, tableRows),
                      dataLabel: l["chart.data"]).render()
        return out
    }

    /// The flows operators watch, month by month.
    static let watchedFlows: [(from: LifecycleStage?, to: LifecycleStage)] = [
        (.new, .active), (.active, .loyal), (.active, .declining), (.declining, .active), (.declining, .churned), (.churned, .active),
    ]

    private func flows() -> String {
        let migrations = input.history.migrations
        guard !migrations.isEmpty else { return "" }
        let headers = [l["axis.month"]] + Self.watchedFlows.map { l.format("lifecycle.flow", l["stage.\($0.from!.rawValue)"], l["stage.\($0.to.rawValue)"]) }
        let rows = migrations.reversed().map { migration in
            [l.month(migration.month)] + Self.watchedFlows.map { l.count(migration.count(from: $0.from, to: $0.to)) }
        }
        return "<h2>\(HTML.escape(l["lifecycle.flows_heading"]))</h2>" + HTML.table(headers, rows)
    }
}
