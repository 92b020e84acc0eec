import PerennialReports

/// Vertical bars over ordered buckets (a distribution), with a value axis.
struct ColumnChart {
    var labels: [String]
    var values: [Double]
    var xTitle: String
    var yTitle: String
    var label: String
    var colour = Palette.blue
    var tooltip: (Int) -> String

    func svg() -> String {
        let width = 600.0, height = 260.0, left = 56.0, bottom = 52.0, top = 12.0
        let plotWidth = width - left - 10, plotHeight = height - top - bottom
        let high = niceCeiling(values.max() ?? 0)
        var out = svgOpen(width: width, height: height, label: label)
        for step in 0...4 {
            let value = high * Double(step) / 4
            let y = top + plotHeight - plotHeight * Double(step) / 4
            out += "<line x1=\"\(HTML.n(left))\" y1=\"\(HTML.n(y))\" x2=\"\(HTML.n(left + plotWidth))\" y2=\"\(HTML.n(y))\" class=\"grid\"/>"
            out += svgText(axisNumber(value), x: left - 4, y: y + 4, anchor: "end", className: "tick")
        }
        let slot = plotWidth / Double(max(values.count, 1))
        for (i, value) in values.enumerated() {
            let h = high > 0 ? value / high * plotHeight : 0
            let x = left + Double(i) * slot
            out += "<rect x=\"\(HTML.n(x + 1))\" y=\"\(HTML.n(top + plotHeight - h))\" width=\"\(HTML.n(max(1, slot - 2)))\" height=\"\(HTML.n(h))\" fill=\"\(colour)\"><title>\(HTML.escape(tooltip(i)))</title></rect>"
            if labels.count <= 12 || i % max(1, labels.count / 10) == 0 {
                out += svgText(labels[i], x: x + slot / 2, y: top + plotHeight + 14, anchor: "middle", className: "tick")
            }
        }
        out += svgText(xTitle, x: left + plotWidth / 2, y: height - 12, anchor: "middle", className: "axis-title")
        out += "<text x=\"12\" y=\"\(HTML.n(top + plotHeight / 2))\" transform=\"rotate(-90 12 \(HTML.n(top + plotHeight / 2)))\" text-anchor=\"middle\" class=\"axis-title\">\(HTML.escape(yTitle))</text>"
        return out + "</svg>"
    }
}

/// The smallest of 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (an axis maximum).
func niceCeiling(_ value: Double) -> Double {
    guard value > 0, value.isFinite else { return 1 }
    var scale = 1.0
    while scale * 10 <= value { scale *= 10 }
    while scale > value { scale /= 10 }
    for step in [1.0, 2, 2.5, 5, 10] where step * scale >= value { return step * scale }
    return 10 * scale
}

/// An axis number: whole numbers grouped (`1,200`), small ones with up to two decimals.
func axisNumber(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return Formatting.count(Int(value)) }
    return HTML.n(value)
}
