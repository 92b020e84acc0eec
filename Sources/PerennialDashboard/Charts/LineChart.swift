/// Lines over a shared x axis (the holdout tracking of actual against predicted purchases).
struct LineChart {
    struct Series {
        var name: String
        var values: [Double]
        var colour: String
        var dashed = false
    }

    var xLabels: [String]
    var series: [Series]
    var xTitle: String
    var yTitle: String
    var label: String

    func svg() -> String {
        let width = 600.0, height = 260.0, left = 64.0, bottom = 52.0, top = 12.0
        let plotWidth = width - left - 10, plotHeight = height - top - bottom
        let high = niceCeiling(series.flatMap(\.values).max() ?? 0)
        let count = max(xLabels.count, 2)
        func x(_ i: Int) -> Double { left + Double(i) * plotWidth / Double(count - 1) }
        func y(_ v: Double) -> Double { top + plotHeight - (high > 0 ? v / high * plotHeight : 0) }
        var out = svgOpen(width: width, height: height, label: label)
        for step in 0...4 {
            let value = high * Double(step) / 4
            out += "<line x1=\"\(HTML.n(left))\" y1=\"\(HTML.n(y(value)))\" x2=\"\(HTML.n(left + plotWidth))\" y2=\"\(HTML.n(y(value)))\" class=\"grid\"/>"
            out += svgText(axisNumber(value), x: left - 4, y: y(value) + 4, anchor: "end", className: "tick")
        }
        let every = max(1, xLabels.count / 8)
        for (i, text) in xLabels.enumerated() where i % every == 0 {
            out += svgText(text, x: x(i), y: top + plotHeight + 14, anchor: "middle", className: "tick")
        }
        for line in series {
            let points = line.values.enumerated().map { "\(HTML.n(x($0.offset))),\(HTML.n(y($0.element)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"6 4\"" : "") points=\"\(points)\"><title>\(HTML.escape(line.name))</title></polyline>"
        }
        out += svgText(xTitle, x: left + plotWidth / 2, y: height - 12, anchor: "middle", className: "axis-title")
        out += "<text x=\"12\" y=\"\(HTML.n(top + plotHeight / 2))\" transform=\"rotate(-90 12 \(HTML.n(top + plotHeight / 2)))\" text-anchor=\"middle\" class=\"axis-title\">\(HTML.escape(yTitle))</text>"
        return out + "</svg>"
    }
}
