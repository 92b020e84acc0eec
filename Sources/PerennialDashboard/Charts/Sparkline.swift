/// A small trend line for a KPI tile: one point per month, the last one marked. Missing months
/// (`nil`) break the line.
enum Sparkline {
    static let width = 120.0, height = 32.0

    /// The SVG; `label` reads the values out (the tile's text form).
    static func svg(_ values: [Double?], label: String, colour: String = Palette.blue) -> String {
        var out = svgOpen(width: width, height: height, label: label, className: "spark")
        let known = values.compactMap { $0 }.filter(\.isFinite)
        guard let low = known.min(), let high = known.max(), values.count > 1 else { return out + "</svg>" }
        let span = high - low
        func x(_ i: Int) -> Double { 2 + Double(i) * (width - 4) / Double(values.count - 1) }
        func y(_ v: Double) -> Double { span == 0 ? height / 2 : height - 3 - (v - low) / span * (height - 6) }
        var segment: [String] = []
        func flush() {
            if segment.count > 1 { out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(segment.joined(separator: " "))\"/>" }
            segment = []
        }
        for (i, value) in values.enumerated() {
            if let value, value.isFinite { segment.append("\(HTML.n(x(i))),\(HTML.n(y(value)))") } else { flush() }
        }
        flush()
        if let last = values.last, let last, last.isFinite {
            out += "<circle cx=\"\(HTML.n(x(values.count - 1)))\" cy=\"\(HTML.n(y(last)))\" r=\"2.5\" fill=\"\(colour)\"/>"
        }
        return out + "</svg>"
    }

    /// A sparkline of monthly customer counts, labelled with every month's reading for screen readers.
    static func monthlyCounts(_ counts: [Int], months: [String], name: String, l: Localizer, colour: String = Palette.blue) -> String {
        let readings = zip(months, counts).map { "\(l.month($0)): \(l.count($1))" }.joined(separator: "; ")
        return svg(counts.map { Double($0) as Double? }, label: l.format("overview.trend", name, readings), colour: colour)
    }
}
