/// `/`: the KPI tiles with their 12-month sparklines and red/amber/green states, and the alert list.
struct OverviewPage {
    var input: DashboardInput
    var l: Localizer
    var links: DashboardLinks

    func content() -> String {
        let history = input.history
        let tiles = KPITile.tiles(history, currency: input.currency, thresholds: input.thresholds)
        var out = "<section class=\"tiles\">"
        for tile in tiles { out += render(tile, months: history.months) }
        out += "</section><h2>\(HTML.escape(l["overview.alerts"]))</h2>"
        let current = tiles.filter { $0.state == .red || $0.state == .amber }.sorted { $0.state > $1.state }
        let scoped = input.scoped.filter { $0.state == .red || $0.state == .amber }.sorted { $0.state > $1.state }
        let changes = StateChange.changes(tiles, months: history.months)
        if current.isEmpty && scoped.isEmpty && changes.isEmpty {
            out += "<p class=\"note\">\(HTML.escape(l["overview.no_alerts"]))</p>"
        } else {
            out += "<ul class=\"alerts\">"
            for tile in current {
                out += "<li>\(StateBadge.html(tile.state, l)) \(HTML.escape(l.format("overview.alert_now", l["kpi.\(tile.id)"], value(tile.value, tile.unit))))</li>"
            }
            for reading in scoped {
                let unit = tiles.first { $0.id == reading.rule.kpi }?.unit ?? .count
                out += "<li>\(StateBadge.html(reading.state, l)) \(HTML.escape(l.format("overview.alert_scoped", l["kpi.\(reading.rule.kpi)"], scopeName(reading.rule), value(reading.value, unit), l.count(reading.customers))))</li>"
            }
            for change in changes.prefix(12) {
                let unit = tiles.first { $0.id == change.kpi }?.unit ?? .count
                out += "<li>\(StateBadge.html(change.to, l)) \(HTML.escape(l.format("overview.alert_change", l["kpi.\(change.kpi)"], l.month(change.month), l["state.\(change.from.rawValue)"], l["state.\(change.to.rawValue)"], value(change.value, unit))))</li>"
            }
            out += "</ul>"
        }
        out += "<p class=\"note\">\(HTML.escape(l["overview.thresholds_note"]))</p>"
        return out
    }

    private func render(_ tile: KPITile, months: [String]) -> String {
        let name = l["kpi.\(tile.id)"]
        let readings = zip(months, tile.series).map { "\(l.month($0)): \(value($1, tile.unit))" }.joined(separator: "; ")
        let spark = Sparkline.svg(tile.series, label: l.format("overview.trend", name, readings))
        var out = "<article class=\"tile \(tile.state.rawValue)\"><h2>\(HTML.escape(name))</h2>"
        out += "<div class=\"value\">\(HTML.escape(value(tile.value, tile.unit)))</div>"
        out += "<div>\(StateBadge.html(tile.state, l))</div>\(spark)"
        out += "<details><summary>\(HTML.escape(l["chart.data"]))</summary>"
        out += HTML.table([l["axis.month"], name], zip(months, tile.series).map { [l.month($0), value($1, tile.unit)] }) + "</details>"
        if tile.id == "average_clv" && tile.value == nil { out += "<p class=\"note\">\(HTML.escape(l["overview.clv_needs_model"]))</p>" }
        return out + "</article>"
    }

    private func scopeName(_ rule: KPIThreshold) -> String {
        var parts: [String] = []
        if let segment = rule.segment { parts.append(l["segment.\(segment)"]) }
        if let channel = rule.channel { parts.append(l.format("overview.scope_channel", channel)) }
        return parts.joined(separator: ", ")
    }

    private func value(_ value: Double?, _ unit: KPITile.Unit) -> String {
        guard let value, value.isFinite else { return "—" }
        switch unit {
        case .count: return l.count(Int(value.rounded()))
        case .money: return l.money(major: value, input.currency)
        case .rate: return l.percent(value)
        }
    }
}

/// A state as a shape, a colour and a word, so that it reads without colour.
enum StateBadge {
    static func html(_ state: AlertState, _ l: Localizer) -> String {
        let shape = switch state {
        case .red: "■"
        case .amber: "▲"
        case .green: "●"
        case .none: "○"
        }
        return "<span class=\"state \(state.rawValue)\">\(shape) \(HTML.escape(l["state.\(state.rawValue)"]))</span>"
    }
}
