/// The dashboard's pages.
public enum DashboardPage: String, Sendable, CaseIterable {
    case overview, lifecycle, rfm, cohorts, predictions, segments, campaigns, customer

    /// The path of the page on the server (`customer` takes an id: `/customers/{id}`).
    public var path: String { self == .overview ? "/" : "/\(rawValue)" }

    /// The pages in the navigation bar, in order.
    static let navigation: [DashboardPage] = [.overview, .lifecycle, .rfm, .cohorts, .predictions, .segments, .campaigns]
}

/// Where links point: the server's pages, or anchors inside one self-contained report file (which has
/// no customer pages and no lists).
public struct DashboardLinks: Sendable {
    /// Whether this is the one-file report.
    public var standalone: Bool

    public static let server = DashboardLinks(standalone: false)
    public static let report = DashboardLinks(standalone: true)

    func page(_ page: DashboardPage) -> String { standalone ? "#\(page.rawValue)" : page.path }

    /// A page with a query; `nil` in the report (lists and filters need the server).
    func page(_ page: DashboardPage, _ query: [(String, String)]) -> String? {
        guard !standalone else { return nil }
        return page.path + "?" + query.map { "\($0.0)=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    func customer(_ id: String) -> String? { standalone ? nil : "/customers/\(percentEncoded(id))" }

    /// The CSV export of the customers a filter selects.
    func csv(_ filter: CustomerFilter) -> String? {
        standalone ? nil : "/segments/export.csv?" + filter.query.map { "\($0.0)=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    private func percentEncoded(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte / 16)]) + String(digits[Int(byte % 16)])
            }
        }
        return out
    }
}

/// The page shell: head with the inline style sheet, the header with navigation and the language
/// switch, and the footer. No external resource of any kind.
enum Layout {
    static func document(title: String, language: Language, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language.tag)"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>\
        <title>\(HTML.escape(title))</title><link rel="icon" href="\(icon)"/><style>\(style)</style></head><body>\(body)</body></html>
        """
    }

    /// A page of the live dashboard; `signOut` is the sign-out form's anti-forgery token (no form when `nil`).
    static func page(_ page: DashboardPage, title: String, content: String, l: Localizer, links: DashboardLinks, subtitle: String,
                     signOut: String?) -> String {
        var header = "<header><div class=\"brand\"><a href=\"/\">Perennial</a></div><nav aria-label=\"\(HTML.escape(l["nav.label"]))\"><ul>"
        for item in DashboardPage.navigation {
            let current = item == page ? " aria-current=\"page\"" : ""
            header += "<li><a href=\"\(links.page(item))\"\(current)>\(HTML.escape(l["nav.\(item.rawValue)"]))</a></li>"
        }
        header += "</ul></nav><div class=\"tools\">\(languageSwitch(l))"
        if let signOut {
            header += "<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(signOut))\"/>"
                + "<button type=\"submit\">\(HTML.escape(l["nav.sign_out"]))</button></form>"
        }
        header += "</div></header>"
        let main = "<main><h1>\(HTML.escape(title))</h1><p class=\"subtitle\">\(HTML.escape(subtitle))</p>\(content)</main>"
        return document(title: "\(title) · Perennial", language: l.language, body: header + main + footer(l))
    }

    static func languageSwitch(_ l: Localizer) -> String {
        var out = "<span class=\"lang\" aria-label=\"\(HTML.escape(l["nav.language"]))\">"
        for language in Language.allCases {
            let name = HTML.escape(Localizer(language)["language.name"])
            out += language == l.language
                ? "<strong lang=\"\(language.tag)\">\(name)</strong>"
                : "<a href=\"?lang=\(language.tag)\" lang=\"\(language.tag)\" hreflang=\"\(language.tag)\">\(name)</a>"
        }
        return out + "</span>"
    }

    static func footer(_ l: Localizer) -> String {
        "<footer>\(HTML.escape(l["footer.text"]))</footer>"
    }

    /// The tab icon, inline so that browsers ask the server for nothing (a green leaf on a circle).
    static let icon = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='8' fill='%230b3d62'/%3E%3Cpath d='M4 11c0-4 3-7 8-7 0 5-3 8-7 8' fill='%23009E73'/%3E%3C/svg%3E"

    static let style = """
    :root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--blue:#0072B2}\
    *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:var(--ink);background:var(--bg)}\
    header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.6rem 1rem;background:#0b3d62;color:#fff}\
    header a{color:#fff;text-decoration:none}.brand a{font-weight:700;font-size:1.1rem}\
    nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}\
    nav a[aria-current]{border-bottom:2px solid #fff}.tools{margin-left:auto;display:flex;gap:1rem;align-items:center}\
    .lang a,.lang strong{margin-left:.5rem}header form{margin:0}header button{font:inherit;background:none;color:#fff;border:1px solid #fff;border-radius:4px;padding:.1rem .6rem;cursor:pointer}\
    main{max-width:1200px;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}\
    .subtitle{color:var(--muted);margin:.2rem 0 1rem}\
    .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:.75rem}\
    .tile{background:var(--card);border:1px solid var(--line);border-left-width:6px;border-radius:6px;padding:.6rem .8rem}\
    .tile h2{font-size:.9rem;font-weight:600;margin:0;color:var(--muted)}.tile .value{font-size:1.6rem;font-weight:700}\
    .tile.red{border-left-color:#D55E00}.tile.amber{border-left-color:#E69F00}.tile.green{border-left-color:#009E73}.tile.none{border-left-color:#8C8C8C}\
    .state{font-size:.85rem}.state.red{color:#a33f00}.state.amber{color:#7a5500}.state.green{color:#00664b}.state.none{color:var(--muted)}\
    .spark{width:100%;height:32px}.chart{background:var(--card);border:1px solid var(--line);border-radius:6px;margin:0 0 1rem;padding:.6rem .8rem}\
    .chart figcaption{font-weight:600;margin-bottom:.3rem}.plot{max-width:100%;height:auto;display:block}\
    .plot text{font-size:12px;fill:var(--ink)}.plot .axis-title{font-size:12px;font-weight:600}.plot .cell{font-size:11px}.plot text.light{fill:#fff}\
    .plot .grid{stroke:#e6eaef}.plot .axis{stroke:#8c959f}\
    .legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;margin:.3rem 0}.swatch{display:inline-block;width:14px;height:10px;margin-right:.35rem;vertical-align:middle}\
    .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;background:var(--card)}th,td{padding:.3rem .5rem;border-bottom:1px solid var(--line);text-align:left}\
    .num{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:.3rem 0}\
    details{margin-top:.4rem}summary{cursor:pointer;color:var(--blue)}\
    .alerts{list-style:none;padding:0}.alerts li{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.4rem .7rem;margin:.3rem 0}\
    .grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:1rem}\
    .note{color:var(--muted);font-size:.9rem}.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:0 0 1rem}.filters select,.filters button{font:inherit}.signin{max-width:420px;margin:3rem auto;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1.5rem}\
    .signin input{width:100%;font:inherit;padding:.4rem;margin:.3rem 0 .8rem}.signin button{font:inherit;padding:.4rem 1rem}.error{color:#a33f00}\
    footer{max-width:1200px;margin:2rem auto;padding:0 1rem;color:var(--muted);font-size:.85rem}\
    @media (max-width:600px){main{padding:.5rem}.tools{margin-left:0}h1{font-size:1.25rem}}
    """
}
