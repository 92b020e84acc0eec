/// Differences with their confidence intervals, one row per item, around a zero line (a forest plot):
/// an interval that crosses zero shows an effect that may be chance.
struct IntervalChart {
    struct Item {
        var label: String
        var estimate: Double
        var low: Double
        var high: Double
        /// The estimate and interval as text, beside the row.
        var text: String
    }

    var items: [Item]
    /// What the axis measures, with its unit.
    var axisTitle: String
    var label: String
    /// Formats an axis value.
    var tick: (Double) -> String

    func svg() -> String {
        let rowHeight = 30.0, labelWidth = 150.0, valueWidth = 190.0, width = 640.0
        let height = Double(items.count) * rowHeight + 46
        let plotWidth = width - labelWidth - valueWidth
        let extent = max(items.flatMap { [abs($0.low), abs($0.high), abs($0.estimate)] }.filter(\.isFinite).max() ?? 0, 1e-9) * 1.1
        func x(_ value: Double) -> Double { labelWidth + (min(max(value, -extent), extent) + extent) / (2 * extent) * plotWidth }
        var out = svgOpen(width: width, height: height, label: label)
        let axisY = Double(items.count) * rowHeight + 8
        out += "<line x1=\"\(HTML.n(x(0)))\" y1=\"0\" x2=\"\(HTML.n(x(0)))\" y2=\"\(HTML.n(axisY))\" class=\"axis\" stroke-dasharray=\"4 3\"/>"
        for (i, item) in items.enumerated() {
            let y = Double(i) * rowHeight + rowHeight / 2 + 4
            let colour = item.low > 0 ? Palette.green : item.high < 0 ? Palette.vermillion : Palette.grey
            out += svgText(item.label, x: labelWidth - 8, y: y + 4, anchor: "end", className: "tick")
            out += "<g><title>\(HTML.escape(item.label)): \(HTML.escape(item.text))</title>"
            out += "<line x1=\"\(HTML.n(x(item.low)))\" y1=\"\(HTML.n(y))\" x2=\"\(HTML.n(x(item.high)))\" y2=\"\(HTML.n(y))\" stroke=\"\(colour)\" stroke-width=\"3\"/>"
            out += "<circle cx=\"\(HTML.n(x(item.estimate)))\" cy=\"\(HTML.n(y))\" r=\"6\" fill=\"\(colour)\"/></g>"
            out += svgText(item.text, x: labelWidth + plotWidth + 8, y: y + 4, className: "value")
        }
        out += "<line x1=\"\(HTML.n(labelWidth))\" y1=\"\(HTML.n(axisY))\" x2=\"\(HTML.n(labelWidth + plotWidth))\" y2=\"\(HTML.n(axisY))\" class=\"axis\"/>"
        for value in [-extent / 1.1, 0, extent / 1.1] {
            out += svgText(tick(value), x: x(value), y: axisY + 14, anchor: "middle", className: "tick")
        }
        out += svgText(axisTitle, x: labelWidth + plotWidth / 2, y: height - 6, anchor: "middle", className: "axis-title")
        return out + "</svg>"
    }
}
