import PerennialCore

/// `/rfm`: the recency × frequency grid, each cell shaded by its customers' average revenue and circled
/// by how many they are, and the named segments.
struct RFMPage {
    var input: DashboardInput
    var l: Localizer
    var links: DashboardLinks

    func content() -> String {
        var customers = [[Int]](repeating: [Int](repeating: 0, count: 5), count: 5)
        var revenue = [[Int64]](repeating: [Int64](repeating: 0, count: 5), count: 5)
        for profile in input.report.profiles {
            guard let rfm = profile.rfm else { continue }
            customers[5 - rfm.r][rfm.f - 1] += 1
            revenue[5 - rfm.r][rfm.f - 1] = revenue[5 - rfm.r][rfm.f - 1].clampedAdding(profile.revenueMinor)
        }
        let averages = (0..<5).map { i in (0..<5).map { j in customers[i][j] == 0 ? 0 : input.major(revenue[i][j]) / Double(customers[i][j]) } }
        let highest = max(averages.flatMap { $0 }.max() ?? 0, 1e-9)
        let most = Double(max(1, customers.flatMap { $0 }.max() ?? 1))
        let cells = (0..<5).map { i in
            (0..<5).map { j in
                let r = 5 - i, f = j + 1
                return Heatmap.Cell(intensity: customers[i][j] == 0 ? 0 : max(0.05, averages[i][j] / highest), text: l.count(customers[i][j]),
                                    tooltip: l.format("rfm.cell", "\(r)", "\(f)", l.count(customers[i][j]), l.wholeMoney(major: averages[i][j], input.currency)),
                                    link: customers[i][j] == 0 ? nil : links.page(.segments, [("r", "\(r)"), ("f", "\(f)")]),
                                    size: Double(customers[i][j]) / most)
            }
        }
        let title = l["rfm.grid_title"]
        let grid = Heatmap(rowLabels: (1...5).reversed().map { "R\($0)" }, columnLabels: (1...5).map { "F\($0)" }, cells: cells,
                           rowTitle: l["rfm.recency_axis"], columnTitle: l["rfm.frequency_axis"], label: title, cellWidth: 80, labelWidth: 150)
        let tableRows = (0..<5).flatMap { i in
            (0..<5).map { j in ["R\(5 - i) F\(j + 1)", l.count(customers[i][j]), l.money(major: averages[i][j], input.currency)] }
        }
        var out = Figure(title: title, axes: grid.axes(l), svg: grid.svg(),
                         legend: [(l["rfm.legend_colour"], Palette.sequential(0.8), false), (l["rfm.legend_circle"], Palette.orange, false)],
                         table: ([l["rfm.cell_header"], l["axis.customers"], l["rfm.average_revenue"]], tableRows), dataLabel: l["chart.data"]).render()
        out += "<h2>\(HTML.escape(l["rfm.segments_heading"]))</h2>"
        out += SegmentTable(input: input, l: l, links: links).html()
        out += "<p class=\"note\">\(HTML.escape(l["rfm.note"]))</p>"
        return out
    }
}

/// The named RFM segments with size, revenue, the trend of their size and links to their customers.
struct SegmentTable {
    var input: DashboardInput
    var l: Localizer
    var links: DashboardLinks

    func html() -> String {
        let figures = input.segmentFigures()
        let total = max(1, figures.map(\.customers).reduce(0, +))
        var out = "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">\(HTML.escape(l["axis.segment"]))</th>"
        for header in [l["axis.customers"], l["axis.share"], l["axis.revenue"], l["segments.trend"]] {
            out += "<th scope=\"col\" class=\"num\">\(HTML.escape(header))</th>"
        }
        out += links.standalone ? "" : "<th scope=\"col\">\(HTML.escape(l["segments.export"]))</th>"
        out += "</tr></thead><tbody>"
        for (index, figure) in figures.enumerated() {
            let name = HTML.escape(l["segment.\(figure.segment.rawValue)"])
            let label = links.page(.segments, [("segment", figure.segment.rawValue)]).map { "<a href=\"\(HTML.escape($0))\">\(name)</a>" } ?? name
            out += "<tr><th scope=\"row\">\(label)</th><td class=\"num\">\(l.count(figure.customers))</td>"
            out += "<td class=\"num\">\(l.percent(Double(figure.customers) / Double(total)))</td>"
            out += "<td class=\"num\">\(HTML.escape(l.money(figure.revenueMinor, input.currency)))</td>"
            let trend = Sparkline.monthlyCounts(input.history.segmentCounts.map { $0[index] }, months: input.history.months,
                                                name: l["segment.\(figure.segment.rawValue)"], l: l)
            out += "<td class=\"num\">\(trend)</td>"
            if let csv = links.csv(CustomerFilter(segment: figure.segment)) {
                out += "<td><a href=\"\(HTML.escape(csv))\" download=\"\(figure.segment.rawValue).csv\">CSV</a></td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }
}
