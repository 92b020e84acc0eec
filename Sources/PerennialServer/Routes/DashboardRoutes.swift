import Foundation
import HTTPTypes
import Hummingbird
import PerennialCore
import PerennialDashboard
import PerennialReports
import PerennialStorage

/// The dashboard's HTML pages, the sign-in and sign-out forms and the CSV export.
///
/// A page needs an analyst or admin key: as `Authorization: Bearer` (for scripts; a bad key is 401) or
/// as the session cookie that signing in sets. A browser without either is sent to `/signin`; an
/// ingest key gets 403. The language is `?lang=` (remembered in a cookie), else that cookie, else the
/// browser's `Accept-Language`.
///
/// The sign-in and sign-out forms carry anti-forgery tokens (``DashboardSessions``); failed sign-ins
/// count against the client's address (``FailureLimiter``), and past the limit the form answers 429.
struct DashboardRoutes {
    let index: ProfileIndex
    let authenticator: Authenticator
    let sessions: DashboardSessions
    let requireKeys: Bool
    let campaignReports: CampaignReportCache
    let limiter: FailureLimiter

    /// Who is looking at a page: refused (with the response that says so), or allowed, with the sign-out
    /// form's token when they signed in with the session cookie.
    enum Viewer {
        case refused(Response)
        case allowed(signOut: String?)

        /// The response of a refused viewer.
        var refusal: Response {
            if case let .refused(response) = self { return response }
            return Response(status: .forbidden)
        }
    }

    /// The paths of the pages (the customer page is `/customers/:id`) and of the forms.
    static let pages: [(path: String, page: DashboardPage)] = [
        ("/", .overview), ("/lifecycle", .lifecycle), ("/rfm", .rfm), ("/cohorts", .cohorts), ("/predictions", .predictions),
        ("/segments", .segments), ("/campaigns", .campaigns),
    ]

    static let languageCookie = "perennial_lang"

    func register(on router: Router<PerennialRequestContext>) {
        for (path, page) in Self.pages {
            router.get(RouterPath(path)) { request, context in try await self.page(page, request: request, context: context) }
        }
        router.get("/customers/:id") { request, context in
            try await self.customer(request: request, context: context, id: try context.parameters.require("id"))
        }
        router.get("/segments/export.csv") { request, context in try await self.csv(request: request, context: context) }
        router.get("/signin") { request, _ in self.signInPage(request: request, error: nil, status: .ok) }
        router.post("/signin") { request, context in try await self.signIn(request: request, context: context) }
        router.post("/signout") { request, _ in try await self.signOut(request: request) }
    }

    // MARK: Pages

    private func page(_ page: DashboardPage, request: Request, context: PerennialRequestContext) async throws -> Response {
        let language = language(of: request)
        let viewer = try await viewer(request, context: context, language: language)
        guard case let .allowed(signOut) = viewer else { return viewer.refusal }
        guard let input = await index.dashboardInput() else { return notReady(request, language: language) }
        let query = queryDictionary(request)
        var cohorts: CohortMatrix?
        if page == .cohorts {
            cohorts = await index.cohorts(period: query["period"] == "week" ? .week : .month, filter: CustomerFilter(query: query))
        }
        var campaigns: CampaignPanel?
        if page == .campaigns, let report = try await campaignReports.report() {
            campaigns = report.panel(outbox: try await index.store.outboxCounts())
        }
        let html = Dashboard(input: input, language: language).page(page, query: query, cohorts: cohorts, campaigns: campaigns, signOut: signOut)
        return htmlResponse(html, request: request, language: language)
    }

    private func customer(request: Request, context: PerennialRequestContext, id: String) async throws -> Response {
        let language = language(of: request)
        let viewer = try await viewer(request, context: context, language: language)
        guard case let .allowed(signOut) = viewer else { return viewer.refusal }
        guard let input = await index.dashboardInput() else { return notReady(request, language: language) }
        guard let (position, boundaries) = await index.dashboardPosition(of: id) else {
            let html = Dashboard(input: input, language: language)
                .page(.segments, signOut: signOut, notice: Localizer(language).format("customer.not_found", id))
            return htmlResponse(html, request: request, language: language, status: .notFound)
        }
        let store = index.store
        let orders = try await store.orders(ofCustomer: id)
        let events = try await store.recentEvents(ofCustomer: id, limit: 50)
        let tags = try await store.tags(ofCustomer: id)
        let l = Localizer(language)
        var entries = orders.map { order in
            TimelineEntry(at: order.placedAt, kind: order.kind == .cancellation ? .cancellation : .order,
                          title: l.format(order.kind == .cancellation ? "customer.cancellation" : "customer.order", order.id),
                          detail: l.format("customer.order_detail", l.money(order.amountMinor, input.report.currency), "\(order.lines.count)"))
        }
        // Orders arrive as `order` events too: list the other events.
        entries += events.filter { $0.type != "order" }.map { event in
            TimelineEntry(at: event.occurredAt, kind: .event, title: l.format("customer.event", event.type), detail: event.fieldsJSON)
        }
        entries += try await store.decisions(DecisionQuery(customerID: id, limit: 50)).map { Self.timelineEntry($0, l) }
        let rows = orders.map { (placedAt: $0.placedAt, kind: $0.kind, amountMinor: $0.amountMinor) }
        let html = Dashboard(input: input, language: language).customer(at: position, orders: rows, entries: entries, tags: tags, boundaries: boundaries, signOut: signOut)
        return htmlResponse(html, request: request, language: language)
    }

    /// A campaign decision on the customer's timeline: the campaign and outcome, then the reason and action.
    static func timelineEntry(_ decision: DecisionRecord, _ l: Localizer) -> TimelineEntry {
        var detail = [decision.reason.map { l["decision.reason.\($0)"] }, decision.action, decision.channel].compactMap { $0 }.joined(separator: " · ")
        if detail.isEmpty { detail = decision.id }
        return TimelineEntry(at: decision.decidedAt, kind: .campaign, title: l.format("customer.decision", decision.campaignID, l["decision.\(decision.outcome)"]),
                             detail: detail)
    }

    private func csv(request: Request, context: PerennialRequestContext) async throws -> Response {
        let language = language(of: request)
        let viewer = try await viewer(request, context: context, language: language)
        guard case .allowed = viewer else { return viewer.refusal }
        guard let input = await index.dashboardInput() else { throw APIError.notReady }
        let filter = CustomerFilter(query: queryDictionary(request))
        guard !filter.isEmpty else {
            throw APIError(.badRequest, code: "bad_request", message: "name the customers to export: ?segment=champions, ?stage=active or ?r=5&f=3", field: "segment")
        }
        var headers = Self.privateHeaders
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"customers.csv\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: filter.csv(input))))
    }

    private func notReady(_ request: Request, language: Language) -> Response {
        htmlResponse(Dashboard.loading(language: language), request: request, language: language, status: .serviceUnavailable)
    }

    // MARK: Signing in

    /// Whether the request may see pages: a valid analyst or admin key as `Authorization: Bearer`
    /// (scripts; a bad key throws 401, an ingest key 403) or a live session cookie.
    private func viewer(_ request: Request, context: PerennialRequestContext, language: Language) async throws -> Viewer {
        guard requireKeys else { return .allowed(signOut: nil) }
        let now = Int64(Date().timeIntervalSince1970)
        if let header = request.headers[.authorization] {
            let client = context.clientAddress
            if let wait = await limiter.begin(client) { throw APIError.tooManyAttempts(retryAfter: wait) }
            guard header.hasPrefix("Bearer "), let (role, _) = try await authenticator.authenticate(String(header.dropFirst(7))) else {
                throw APIError(.unauthorized, code: "unauthorized", message: "the API key is unknown or revoked; create one with perennial keys create --role analyst")
            }
            await limiter.succeeded(client)
            guard role != .ingest else {
                throw APIError(.forbidden, code: "forbidden", message: "a key with the role ingest may not read the dashboard; it needs analyst or admin")
            }
            return .allowed(signOut: nil)
        }
        guard let token = request.cookies[DashboardSessions.cookieName]?.value,
              let keyID = try await sessions.keyID(of: token, now: now),
              let key = try await index.store.key(id: keyID), key.revokedAt == nil, let role = Role(rawValue: key.role) else {
            var target = request.uri.path
            if let query = request.uri.query, !query.isEmpty { target += "?" + query }
            return .refused(Response(status: .seeOther, headers: [.location: "/signin?next=" + Self.formEncoded(target)]))
        }
        guard role != .ingest else {
            return .refused(signInPage(request: request, error: Localizer(language)["signin.wrong_role"], status: .forbidden))
        }
        return .allowed(signOut: sessions.formToken("signout", boundTo: token))
    }

    /// The sign-in form, bound to the form cookie the request carries, or to a new one that the response
    /// sets.
    private func signInPage(request: Request, error: String?, status: HTTPResponse.Status, next: String? = nil, retryAfter: Int? = nil) -> Response {
        let language = language(of: request)
        let target = Self.safeNext(next ?? request.uri.queryParameters.get("next").map { String($0) })
        let existing = request.cookies[DashboardSessions.formCookieName]?.value
        let binding = existing.flatMap { (16...128).contains($0.utf8.count) ? $0 : nil } ?? APIKeys.randomToken(bytes: 24)
        let html = Dashboard.signIn(language: language, error: error, next: target, formToken: sessions.formToken("signin", boundTo: binding))
        var response = htmlResponse(html, request: request, language: language, status: status)
        if binding != existing {
            response.setCookie(Cookie(name: DashboardSessions.formCookieName, value: binding, maxAge: 86_400, path: "/signin",
                                      secure: Self.isSecure(request), httpOnly: true, sameSite: .strict))
        }
        if let retryAfter { response.headers[HTTPField.Name.retryAfter] = String(retryAfter) }
        return response
    }

    private struct SignInForm: Decodable {
        var key: String?
        var next: String?
        var csrf: String?
    }

    private func signIn(request: Request, context: PerennialRequestContext) async throws -> Response {
        let language = language(of: request)
        let l = Localizer(language)
        let client = context.clientAddress
        if let wait = await limiter.begin(client) {
            return signInPage(request: request, error: l.format("signin.too_many", "\(wait)"), status: .tooManyRequests, retryAfter: wait)
        }
        let body = try await RequestBody.collect(request, upTo: 16 * 1024)
        let form = (try? URLEncodedFormDecoder().decode(SignInForm.self, from: String(buffer: body))) ?? SignInForm()
        guard sessions.isValid(formToken: form.csrf, purpose: "signin", boundTo: request.cookies[DashboardSessions.formCookieName]?.value) else {
            // A forged form proves nothing about keys: it does not count against the address.
            await limiter.succeeded(client)
            return signInPage(request: request, error: l["signin.expired"], status: .forbidden, next: form.next)
        }
        let key = (form.key ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let (role, id) = try await authenticator.authenticate(key) else {
            return signInPage(request: request, error: l["signin.invalid"], status: .unauthorized, next: form.next)
        }
        await limiter.succeeded(client)
        guard role != .ingest else { return signInPage(request: request, error: l["signin.wrong_role"], status: .forbidden, next: form.next) }
        var response = Response(status: .seeOther, headers: [.location: Self.safeNext(form.next)])
        let token = try await sessions.start(keyID: id, now: Int64(Date().timeIntervalSince1970))
        response.setCookie(Cookie(name: DashboardSessions.cookieName, value: token, maxAge: Int(DashboardSessions.lifetime), path: "/",
                                  secure: Self.isSecure(request), httpOnly: true, sameSite: .lax))
        return response
    }

    private struct SignOutForm: Decodable {
        var csrf: String?
    }

    /// Ends the session the cookie names, when the form's token belongs to it; a forged sign-out (from
    /// another site, without the token) is refused with 403.
    private func signOut(request: Request) async throws -> Response {
        let token = request.cookies[DashboardSessions.cookieName]?.value
        let body = try await RequestBody.collect(request, upTo: 16 * 1024)
        let form = (try? URLEncodedFormDecoder().decode(SignOutForm.self, from: String(buffer: body))) ?? SignOutForm()
        // Without the session cookie (a cross-site post does not carry it) there is nothing to end, and
        // the cookie is left alone.
        guard let token else { return Response(status: .seeOther, headers: [.location: "/signin"]) }
        guard sessions.isValid(formToken: form.csrf, purpose: "signout", boundTo: token) else {
            throw APIError(.forbidden, code: "forbidden", message: "the sign-out form did not come from this site; use the dashboard's Sign out button")
        }
        try await sessions.end(token, now: Int64(Date().timeIntervalSince1970))
        var response = Response(status: .seeOther, headers: [.location: "/signin"])
        response.setCookie(Cookie(name: DashboardSessions.cookieName, value: "", maxAge: 0, path: "/", secure: Self.isSecure(request),
                                  httpOnly: true, sameSite: .lax))
        return response
    }

    // MARK: Helpers

    /// Pages hold personal data: never cached, never framed, no scripts.
    static let privateHeaders: HTTPFields = [
        .cacheControl: "no-store",
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
    ]

    private func htmlResponse(_ html: String, request: Request, language: Language, status: HTTPResponse.Status = .ok) -> Response {
        var headers = Self.privateHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLanguage] = language.tag
        var response = Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        if let asked = request.uri.queryParameters.get("lang").flatMap({ Language(tag: String($0)) }) {
            response.setCookie(Cookie(name: Self.languageCookie, value: asked.tag, maxAge: 365 * 86_400, path: "/",
                                      secure: Self.isSecure(request), httpOnly: true, sameSite: .lax))
        }
        return response
    }

    private func language(of request: Request) -> Language {
        if let asked = request.uri.queryParameters.get("lang").flatMap({ Language(tag: String($0)) }) { return asked }
        if let remembered = request.cookies[Self.languageCookie].flatMap({ Language(tag: $0.value) }) { return remembered }
        return Language.preferred(acceptLanguage: request.headers[.acceptLanguage])
    }

    private func queryDictionary(_ request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        return query
    }

    /// Served over TLS (directly or behind a proxy that says so): cookies get `Secure`.
    private static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// A same-site path to go to after signing in; anything else becomes `/`. Browsers drop tabs and
    /// line breaks from a URL and read `\` as `/`, so `/<TAB>/evil.example` would leave the site: a
    /// path with any control character, space or backslash, or that starts with `//`, is refused.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
              !next.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" || $0.properties.isWhitespace }) else { return "/" }
        return next
    }

    private static func formEncoded(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? "/"
    }
}
