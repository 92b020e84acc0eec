/// Escaping for HTML text and attribute values. Every page is also well-formed XML (void elements
/// closed, only the five XML entities), which the tests check with an XML parser.
public enum HTML {
    /// `s` with `&`, `<`, `>`, `"` and `'` escaped: safe as text and inside a quoted attribute.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A number for an SVG attribute, with at most two decimals.
    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * 100).rounded() / 100
        return scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)
    }

    /// A table of text: headers and rows, already formatted. `numeric` columns align right.
    static func table(_ headers: [String], _ rows: [[String]], numericFrom: Int = 1, caption: String? = nil) -> String {
        var out = "<div class=\"scroll\"><table>"
        if let caption { out += "<caption>\(escape(caption))</caption>" }
        out += "<thead><tr>"
        for (i, header) in headers.enumerated() { out += "<th scope=\"col\"\(i >= numericFrom ? " class=\"num\"" : "")>\(escape(header))</th>" }
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for (i, cell) in row.enumerated() { out += i == 0 ? "<th scope=\"row\">\(escape(cell))</th>" : "<td\(i >= numericFrom ? " class=\"num\"" : "")>\(escape(cell))</td>" }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }
}
