/// Horizontal bars, one per category, each with its value written beside it.
struct BarChart {
    struct Bar {
        var label: String
        var value: Double
        var text: String
        var colour: String = Palette.blue
        var link: String?
    }

    var bars: [Bar]
    /// The axis title under the bars (what the length measures, with its unit).
    var axisTitle: String
    var label: String

    func svg() -> String {
        let rowHeight = 26.0, labelWidth = 150.0, valueWidth = 140.0, width = 600.0
        let height = Double(bars.count) * rowHeight + 30
        let plotWidth = width - labelWidth - valueWidth
        let top = max(bars.map(\.value).max() ?? 0, 0)
        var out = svgOpen(width: width, height: height, label: label)
        for (i, bar) in bars.enumerated() {
            let y = Double(i) * rowHeight + 4
            let length = top > 0 ? max(0, bar.value) / top * plotWidth : 0
            var rect = "<rect x=\"\(HTML.n(labelWidth))\" y=\"\(HTML.n(y))\" width=\"\(HTML.n(length))\" height=\"\(HTML.n(rowHeight - 8))\" fill=\"\(bar.colour)\"><title>\(HTML.escape(bar.label)): \(HTML.escape(bar.text))</title></rect>"
            if let link = bar.link { rect = "<a href=\"\(HTML.escape(link))\">\(rect)</a>" }
            out += svgText(bar.label, x: labelWidth - 6, y: y + rowHeight / 2, anchor: "end", className: "tick")
            out += rect
            out += svgText(bar.text, x: labelWidth + length + 4, y: y + rowHeight / 2, className: "value")
        }
        out += "<line x1=\"\(HTML.n(labelWidth))\" y1=\"\(HTML.n(height - 26))\" x2=\"\(HTML.n(labelWidth + plotWidth))\" y2=\"\(HTML.n(height - 26))\" class=\"axis\"/>"
        out += svgText(axisTitle, x: labelWidth + plotWidth / 2, y: height - 8, anchor: "middle", className: "axis-title")
        return out + "</svg>"
    }
}
