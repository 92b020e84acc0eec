/// A chart as the pages show it: a titled `figure` with the SVG, an optional legend and the same
/// numbers as a table under "Data" (for screen readers and for copying).
struct Figure {
    var title: String
    /// What the axes are, under the title (heatmaps).
    var axes: String? = nil
    var svg: String
    var legend: [(label: String, colour: String, dashed: Bool)] = []
    /// The numbers in text form; `nil` when the page shows them in a table already.
    var table: (headers: [String], rows: [[String]])?
    var dataLabel: String
    /// A sentence under the chart.
    var note: String? = nil

    func render() -> String {
        var out = "<figure class=\"chart\"><figcaption>\(HTML.escape(title))</figcaption>"
        if let axes { out += "<p class=\"note\">\(HTML.escape(axes))</p>" }
        out += svg
        if !legend.isEmpty {
            out += "<ul class=\"legend\">"
            for item in legend {
                let style = item.dashed ? "border-top: 3px dashed \(item.colour)" : "background: \(item.colour)"
                out += "<li><span class=\"swatch\" style=\"\(style)\"></span>\(HTML.escape(item.label))</li>"
            }
            out += "</ul>"
        }
        if let table {
            out += "<details><summary>\(HTML.escape(dataLabel))</summary>\(HTML.table(table.headers, table.rows))</details>"
        }
        if let note { out += "<p class=\"note\">\(HTML.escape(note))</p>" }
        return out + "</figure>"
    }
}

/// The opening tag of a chart's SVG: scales to its container, labelled for screen readers.
func svgOpen(width: Double, height: Double, label: String, className: String = "plot") -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(className)\" width=\"\(HTML.n(width))\" height=\"\(HTML.n(height))\" viewBox=\"0 0 \(HTML.n(width)) \(HTML.n(height))\" role=\"img\" aria-label=\"\(HTML.escape(label))\">"
}

/// An SVG text element.
func svgText(_ text: String, x: Double, y: Double, anchor: String = "start", className: String? = nil, fill: String? = nil) -> String {
    var attributes = "x=\"\(HTML.n(x))\" y=\"\(HTML.n(y))\""
    if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
    if let className { attributes += " class=\"\(className)\"" }
    if let fill { attributes += " fill=\"\(fill)\"" }
    return "<text \(attributes)>\(HTML.escape(text))</text>"
}
