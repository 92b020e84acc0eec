import PerennialCore
import PerennialModels

/// `/predictions`: the CLV and churn-risk distributions, the high-value customers at risk, and how the
/// model tracked a holdout period.
struct PredictionsPage {
    var input: DashboardInput
    var l: Localizer
    var links: DashboardLinks

    func content() -> String {
        let predictions = input.predictions
        let scoredCount = predictions.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        guard scoredCount > 0 else { return "<p class=\"note\">\(HTML.escape(l["predictions.no_model"]))</p>" }
        var out = "<p class=\"note\">\(HTML.escape(l.format("predictions.model", input.modelName ?? "—", l.count(scoredCount))))</p><div class=\"grid2\">"
        out += churnDistribution(predictions.compactMap { $0?.churnRisk })
        let values = predictions.compactMap { $0?.clv }
        if !values.isEmpty { out += clvDistribution(values) }
        out += "</div>"
        out += atRisk(Self.topValueAtRisk(predictions, count: 20))
        out += holdout()
        return out
    }

    /// The positions of the `count` customers with the highest CLV × churn risk, highest first, in one
    /// pass (a store of 100,000 customers is not sorted for 20 rows).
    static func topValueAtRisk(_ predictions: [CustomerPrediction?], count: Int) -> [Int] {
        var top: [(value: Double, position: Int)] = []
        for (position, prediction) in predictions.enumerated() {
            guard let prediction, let clv = prediction.clv, clv > 0 else { continue }
            let value = clv * prediction.churnRisk
            guard top.count < count || value > top[top.count - 1].value else { continue }
            let at = top.firstIndex { value > $0.value } ?? top.count
            top.insert((value, position), at: at)
            if top.count > count { top.removeLast() }
        }
        return top.map(\.position)
    }

    private func churnDistribution(_ risks: [Double]) -> String {
        var counts = [Int](repeating: 0, count: 10)
        for risk in risks where risk.isFinite { counts[min(9, max(0, Int(risk * 10)))] += 1 }
        let labels = (0..<10).map { "\($0 * 10)–\($0 * 10 + 10)%" }
        let title = l["predictions.churn_title"]
        let chart = ColumnChart(labels: (0..<10).map { "\($0 * 10)%" }, values: counts.map(Double.init), xTitle: l["predictions.churn_axis"],
                                yTitle: l["axis.customers"], label: title, colour: Palette.vermillion) { labels[$0] + ": " + l.count(counts[$0]) }
        return Figure(title: title, svg: chart.svg(), table: ([l["predictions.churn_axis"], l["axis.customers"]], (0..<10).map { [labels[$0], l.count(counts[$0])] }),
                      dataLabel: l["chart.data"]).render()
    }

    private func clvDistribution(_ values: [Double]) -> String {
        let sorted = values.sorted()
        let top = niceCeiling(sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))])
        let width = top / 10
        var counts = [Int](repeating: 0, count: 11)
        for value in sorted { counts[value >= top ? 10 : max(0, Int(value / width))] += 1 }
        let labels = (0..<11).map { i in
            i == 10 ? "≥ " + l.wholeMoney(major: top, input.currency)
                : l.wholeMoney(major: Double(i) * width, input.currency) + "–" + l.wholeMoney(major: Double(i + 1) * width, input.currency)
        }
        let title = l.format("predictions.clv_title", input.currency.code)
        let chart = ColumnChart(labels: (0..<11).map { i in i == 10 ? "≥" + axisNumber(top) : axisNumber(Double(i) * width) }, values: counts.map(Double.init),
                                xTitle: l.format("predictions.clv_axis", input.currency.code), yTitle: l["axis.customers"], label: title,
                                colour: Palette.green) { labels[$0] + ": " + l.count(counts[$0]) }
        let mean = values.reduce(0, +) / Double(values.count)
        return Figure(title: title, svg: chart.svg(), table: ([l["predictions.clv_axis_short"], l["axis.customers"]], (0..<11).map { [labels[$0], l.count(counts[$0])] }),
                      dataLabel: l["chart.data"],
                      note: l.format("predictions.clv_mean", l.money(major: mean, input.currency), l.money(major: sorted[sorted.count / 2], input.currency))).render()
    }

    private func atRisk(_ positions: [Int]) -> String {
        let ranked = positions.compactMap { i in input.predictions[i].map { (profile: input.report.profiles[i], prediction: $0) } }
        guard !ranked.isEmpty else { return "" }
        var out = "<h2>\(HTML.escape(l["predictions.at_risk_heading"]))</h2><div class=\"scroll\"><table><thead><tr>"
        let headers = [l["axis.customer"], l["axis.stage"], l["predictions.clv"], l["predictions.churn_risk"], l["predictions.value_at_risk"], l["axis.revenue"]]
        for (i, header) in headers.enumerated() { out += "<th scope=\"col\"\(i >= 2 ? " class=\"num\"" : "")>\(HTML.escape(header))</th>" }
        out += "</tr></thead><tbody>"
        for item in ranked {
            let id = HTML.escape(item.profile.customerID)
            let name = links.customer(item.profile.customerID).map { "<a href=\"\(HTML.escape($0))\">\(id)</a>" } ?? id
            let clv = item.prediction.clv ?? 0
            out += "<tr><th scope=\"row\">\(name)</th><td>\(HTML.escape(l["stage.\(item.profile.stage.rawValue)"]))</td>"
            out += "<td class=\"num\">\(HTML.escape(l.money(major: clv, input.currency)))</td><td class=\"num\">\(l.percent(item.prediction.churnRisk))</td>"
            out += "<td class=\"num\">\(HTML.escape(l.money(major: clv * item.prediction.churnRisk, input.currency)))</td>"
            out += "<td class=\"num\">\(HTML.escape(l.money(item.profile.revenueMinor, input.currency)))</td></tr>"
        }
        return out + "</tbody></table></div><p class=\"note\">\(HTML.escape(l["predictions.at_risk_note"]))</p>"
    }

    private func holdout() -> String {
        guard let report = input.holdout, !report.tracking.isEmpty else {
            return "<h2>\(HTML.escape(l["predictions.holdout_heading"]))</h2><p class=\"note\">\(HTML.escape(l["predictions.no_holdout"]))</p>"
        }
        let title = l["predictions.tracking_title"]
        let chart = LineChart(xLabels: report.tracking.map { "\($0.week)" }, series: [
            .init(name: l["predictions.actual"], values: report.tracking.map(\.actual), colour: Palette.blue),
            .init(name: l["predictions.predicted"], values: report.tracking.map(\.predicted), colour: Palette.orange, dashed: true),
        ], xTitle: l["predictions.week_axis"], yTitle: l["predictions.repeat_axis"], label: title)
        var out = "<h2>\(HTML.escape(l["predictions.holdout_heading"]))</h2>"
        out += Figure(title: title, svg: chart.svg(),
                      legend: [(l["predictions.actual"], Palette.blue, false), (l["predictions.predicted"], Palette.orange, true)],
                      table: ([l["predictions.week_axis"], l["predictions.actual"], l["predictions.predicted"]],
                              report.tracking.map { ["\($0.week)", l.decimal($0.actual), l.decimal($0.predicted)] }),
                      dataLabel: l["chart.data"]).render()
        out += HTML.table([l["predictions.error_figure"], l["predictions.error_value"]], [
            [l["predictions.model_name"], report.model],
            [l["predictions.holdout_customers"], l.count(report.customers)],
            [l["predictions.holdout_days"], l.count(report.holdoutDays)],
            [l["predictions.actual_total"], l.decimal(report.actualTotal)],
            [l["predictions.predicted_total"], l.decimal(report.predictedTotal)],
            [l["predictions.mae"], l.decimal(report.mae, places: 3)],
            [l["predictions.rmse"], l.decimal(report.rmse, places: 3)],
            [l["predictions.bias"], l.decimal(report.bias, places: 3)],
        ])
        return out
    }
}
