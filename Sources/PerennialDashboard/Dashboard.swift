import Foundation
import PerennialCore
import PerennialModels

/// Renders the dashboard: each page of the server, the sign-in page, and the one-file report.
/// Values in, HTML out; the server and the `report` command do the I/O.
public struct Dashboard: Sendable {
    public var input: DashboardInput
    public var language: Language
    public var links: DashboardLinks

    public init(input: DashboardInput, language: Language, links: DashboardLinks = .server) {
        self.input = input
        self.language = language
        self.links = links
    }

    var l: Localizer { Localizer(language) }

    private var subtitle: String {
        let asOf = input.report.asOf
        return l.format("common.as_of", l.dateTime(asOf, input.calendar), input.calendar.identifier, l.count(input.report.profiles.count))
    }

    /// A page of the server. `query` holds the page's parameters (`month`, `period`, `stage`, …);
    /// `campaigns` is what the campaigns page shows; `notice` is a message shown above the content
    /// (an unknown customer); `signOut` is the sign-out form's anti-forgery token (no form when `nil`).
    public func page(_ page: DashboardPage, query: [String: String] = [:], cohorts: CohortMatrix? = nil, campaigns: CampaignPanel? = nil,
                     signOut: String? = nil, notice: String? = nil) -> String {
        let content = (notice.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
            + content(page, query: query, cohorts: cohorts, campaigns: campaigns)
        return Layout.page(page, title: l["page.\(page.rawValue)"], content: content, l: l, links: links, subtitle: subtitle, signOut: signOut)
    }

    private func content(_ page: DashboardPage, query: [String: String], cohorts: CohortMatrix?, campaigns: CampaignPanel?) -> String {
        switch page {
        case .overview: OverviewPage(input: input, l: l, links: links).content()
        case .lifecycle: LifecyclePage(input: input, l: l, links: links, month: query["month"]).content()
        case .rfm: RFMPage(input: input, l: l, links: links).content()
        case .cohorts: CohortsPage(matrix: cohorts ?? input.report.cohorts, l: l, links: links, filter: CustomerFilter(query: query),
                                   channels: input.channelNames).content()
        case .predictions: PredictionsPage(input: input, l: l, links: links).content()
        case .segments: SegmentsPage(input: input, l: l, links: links, filter: CustomerFilter(query: query)).content()
        case .campaigns: CampaignsPage(panel: campaigns, l: l, currency: input.currency, calendar: input.calendar).content()
        case .customer: ""
        }
    }

    /// The page of one customer (at `position` in the report's profiles).
    public func customer(at position: Int, orders: [LiveProfile.OrderRow], entries: [TimelineEntry], tags: [String],
                         boundaries: RFMBoundaries, signOut: String? = nil) -> String {
        let id = input.report.profiles[position].customerID
        let content = CustomerPage(input: input, l: l, position: position, orders: orders, entries: entries, tags: tags, boundaries: boundaries).content()
        return Layout.page(.customer, title: l.format("page.customer", id), content: content, l: l, links: links, subtitle: subtitle, signOut: signOut)
    }

    /// The sign-in page, with an error from a failed attempt; `next` is where to go after, `formToken`
    /// the form's anti-forgery token.
    public static func signIn(language: Language, error: String? = nil, next: String = "/", formToken: String = "") -> String {
        SignInPage.html(Localizer(language), error: error, next: next, formToken: formToken)
    }

    /// A minimal page that reloads itself every two seconds while the profiles load.
    public static func loading(language: Language) -> String {
        let l = Localizer(language)
        return Layout.document(title: "Perennial", language: language, body: "<main><h1>Perennial</h1><p>\(HTML.escape(l["common.loading"]))</p></main>")
            .replacingOccurrences(of: "<title>", with: "<meta http-equiv=\"refresh\" content=\"2\"/><title>")
    }

    /// Every view in one self-contained HTML file: no links out, no scripts, no external resources.
    /// `campaigns` fills the campaigns section (a note says there are none when `nil`).
    public func report(campaigns: CampaignPanel? = nil) -> String {
        var dashboard = self
        dashboard.links = .report
        var body = "<header><div class=\"brand\">Perennial</div><nav aria-label=\"\(HTML.escape(l["nav.label"]))\"><ul>"
        let pages = DashboardPage.navigation
        for page in pages { body += "<li><a href=\"#\(page.rawValue)\">\(HTML.escape(l["nav.\(page.rawValue)"]))</a></li>" }
        body += "</ul></nav></header><main><h1>\(HTML.escape(l["report.title"]))</h1><p class=\"subtitle\">\(HTML.escape(subtitle))</p>"
        for page in pages {
            body += "<section id=\"\(page.rawValue)\"><h1>\(HTML.escape(l["page.\(page.rawValue)"]))</h1>\(dashboard.content(page, query: [:], cohorts: nil, campaigns: campaigns))</section>"
        }
        body += "</main>" + Layout.footer(l)
        return Layout.document(title: "\(l["report.title"]) · Perennial", language: language, body: body)
    }
}
