/// A grid of cells shaded by value (cohort retention, stage migrations, the RFM map), each cell
/// written out; cells may link to a list of their customers and may carry a circle sized by a
/// second measure.
struct Heatmap {
    struct Cell {
        /// Shade from 0 (pale) to 1 (dark); `nil` leaves the cell empty.
        var intensity: Double?
        var text: String
        var tooltip: String
        var link: String?
        /// A circle's area from 0 to 1 (the RFM map sizes cells by customers).
        var size: Double?
    }

    var rowLabels: [String]
    var columnLabels: [String]
    var cells: [[Cell]]
    /// What the rows and the columns are: written under the figure's title (``axes``).
    var rowTitle: String
    var columnTitle: String
    var label: String
    var cellWidth = 56.0
    var labelWidth = 110.0

    func svg() -> String {
        let cellHeight = 28.0, top = 26.0
        let width = labelWidth + Double(columnLabels.count) * cellWidth + 8
        let height = top + Double(rowLabels.count) * cellHeight + 8
        var out = svgOpen(width: width, height: height, label: label)
        for (j, column) in columnLabels.enumerated() {
            out += svgText(column, x: labelWidth + (Double(j) + 0.5) * cellWidth, y: top - 8, anchor: "middle", className: "tick")
        }
        for (i, row) in rowLabels.enumerated() {
            let y = top + Double(i) * cellHeight
            out += svgText(row, x: labelWidth - 6, y: y + cellHeight / 2 + 4, anchor: "end", className: "tick")
            for (j, cell) in cells[i].enumerated() where j < columnLabels.count {
                guard let intensity = cell.intensity else { continue }
                let x = labelWidth + Double(j) * cellWidth
                var body = "<rect x=\"\(HTML.n(x + 1))\" y=\"\(HTML.n(y + 1))\" width=\"\(HTML.n(cellWidth - 2))\" height=\"\(HTML.n(cellHeight - 2))\" fill=\"\(Palette.sequential(intensity))\"><title>\(HTML.escape(cell.tooltip))</title></rect>"
                var textX = x + cellWidth / 2
                if let size = cell.size, size > 0 {
                    // The circle sits at the cell's left, the number to its right.
                    let radius = max(1.5, (cellHeight / 2 - 3) * size.squareRoot())
                    body += "<circle cx=\"\(HTML.n(x + cellHeight / 2))\" cy=\"\(HTML.n(y + cellHeight / 2))\" r=\"\(HTML.n(radius))\" fill=\"\(Palette.orange)\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
                    textX = x + cellHeight + (cellWidth - cellHeight) / 2
                }
                body += svgText(cell.text, x: textX, y: y + cellHeight / 2 + 4, anchor: "middle",
                                className: Palette.needsLightText(intensity) ? "cell light" : "cell")
                out += cell.link.map { "<a href=\"\(HTML.escape($0))\">\(body)</a>" } ?? body
            }
        }
        return out + "</svg>"
    }

    /// The sentence that says what rows and columns are.
    func axes(_ l: Localizer) -> String { l.format("chart.axes", rowTitle, columnTitle) }
}
