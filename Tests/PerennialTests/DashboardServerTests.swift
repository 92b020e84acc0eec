import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import PerennialDashboard
@testable import PerennialServer
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// The dashboard through the real application: who may see it, signing in and out, languages and the
/// CSV export.
@Suite struct DashboardServerTests {
    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// The `name=value` part of a `Set-Cookie` header for `name`, with its attributes.
    static func setCookie(_ response: TestResponse, _ name: String) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }

    @Test("pages: no key → sign-in redirect, ingest → 403, analyst and admin → the page; Bearer keys work for scripts", arguments: StoreBackend.testable)
    func access(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        try await ServerTests.app(server).test(.live) { client in
            for path in ["/", "/lifecycle", "/rfm", "/cohorts", "/cohorts?period=week", "/predictions", "/segments", "/segments?stage=active", "/campaigns", "/customers/1001"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .seeOther, "\(path) without a key")
                    #expect(response.headers[.location] == "/signin?next=" + path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/")))!)
                }
                try await client.execute(uri: path, method: .get, headers: ServerEventTests.headers(server.keys[.ingest])) { response in
                    #expect(response.status == .forbidden, "\(path) with an ingest key")
                }
                // (A few, not one per path: ten unknown keys from one address within a minute get 429.)
                if ["/", "/rfm", "/customers/1001"].contains(path) {
                    try await client.execute(uri: path, method: .get, headers: ServerEventTests.headers("prn_00000000_" + String(repeating: "x", count: 32))) { response in
                        #expect(response.status == .unauthorized, "\(path) with a made-up key")
                    }
                }
                for role in [Role.analyst, .admin] {
                    try await client.execute(uri: path, method: .get, headers: ServerEventTests.headers(server.keys[role])) { response in
                        #expect(response.status == .ok, "\(path) as \(role)")
                        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                        #expect(response.headers[.cacheControl] == "no-store")
                        #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                        #expect(DashboardTests.wellFormedProblem(String(buffer: response.body)) == nil, "\(path)")
                    }
                }
            }
            try await client.execute(uri: "/customers/nobody", method: .get, headers: ServerEventTests.headers(server.keys[.analyst])) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("No customer with the id nobody"))
            }
        }
    }

    /// The sign-in form's cookie (`name=value`) and anti-forgery token, as a browser gets them from `GET /signin`.
    static func signInForm(_ client: some TestClientProtocol, headers: HTTPFields = [:]) async throws -> (cookie: String, token: String) {
        try await client.execute(uri: "/signin", method: .get, headers: headers) { response in
            let cookie = String(try #require(setCookie(response, DashboardSessions.formCookieName)).split(separator: ";")[0])
            let html = String(buffer: response.body)
            let marker = "name=\"csrf\" value=\""
            let start = try #require(html.range(of: marker)).upperBound
            let token = String(html[start...].prefix { $0 != "\"" })
            return (cookie, token)
        }
    }

    @Test("signing in needs the form's token; the session is a random HttpOnly cookie; a forged sign-out is refused; signing out or revoking the key ends it")
    func session() async throws {
        let server = try await ServerEventTests.handServer()
        try await ServerTests.app(server).test(.live) { client in
            try await client.execute(uri: "/signin?next=/rfm", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<form class=\"signin\" method=\"post\" action=\"/signin\">") && html.contains("value=\"/rfm\""))
                let formCookie = try #require(Self.setCookie(response, DashboardSessions.formCookieName))
                #expect(formCookie.contains("HttpOnly") && formCookie.contains("SameSite=Strict") && formCookie.contains("Path=/signin"))
            }
            let analyst = server.keys[.analyst]!
            // A cross-site form post (no form cookie, no token) is refused even with a valid key.
            try await client.execute(uri: "/signin", method: .post, headers: Self.formHeaders, body: Self.form([("key", analyst), ("next", "/")])) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("The sign-in form expired or did not come from this site"))
                #expect(Self.setCookie(response, DashboardSessions.cookieName) == nil)
            }
            let (formCookie, token) = try await Self.signInForm(client)
            var headers = Self.formHeaders
            headers[.cookie] = formCookie
            // A token from another form cookie does not pass.
            let (_, otherToken) = try await Self.signInForm(client)
            try await client.execute(uri: "/signin", method: .post, headers: headers,
                                     body: Self.form([("key", analyst), ("next", "/"), ("csrf", otherToken)])) { response in
                #expect(response.status == .forbidden)
            }
            // Wrong keys get the form again with the reason, and no cookie.
            for (key, status, reason) in [("nonsense", HTTPResponse.Status.unauthorized, "That key is not valid"),
                                          (server.keys[.ingest]!, .forbidden, "That key may only post events")] {
                try await client.execute(uri: "/signin", method: .post, headers: headers,
                                         body: Self.form([("key", key), ("next", "/"), ("csrf", token)])) { response in
                    #expect(response.status == status)
                    #expect(String(buffer: response.body).contains(reason))
                    #expect(Self.setCookie(response, DashboardSessions.cookieName) == nil)
                }
            }
            let cookie = try await client.execute(uri: "/signin", method: .post, headers: headers,
                                                  body: Self.form([("key", analyst), ("next", "/rfm"), ("csrf", token)])) { response -> String in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/rfm")
                let header = try #require(Self.setCookie(response, DashboardSessions.cookieName))
                #expect(header.contains("HttpOnly") && header.contains("SameSite=Lax") && header.contains("Path=/") && !header.contains("Secure"))
                #expect(!header.contains(analyst), "the cookie never holds the key")
                return String(header.split(separator: ";")[0])
            }
            let sessionToken = String(cookie.split(separator: "=", maxSplits: 1)[1])
            let signOutToken = try await client.execute(uri: "/rfm", method: .get, headers: [.cookie: cookie]) { response -> String in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"csrf\" value=\""))
                let start = try #require(html.range(of: "action=\"/signout\"><input type=\"hidden\" name=\"csrf\" value=\"")).upperBound
                return String(html[start...].prefix { $0 != "\"" })
            }
            // Only the token's hash is stored.
            #expect(try await server.store.sessionKey(tokenHash: DashboardSessions.hash(sessionToken), now: Int64(Date().timeIntervalSince1970)) == APIKeys.id(of: analyst))
            // A tampered token is no session.
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie.dropLast(2) + "xx"]) { response in
                #expect(response.status == .seeOther)
            }
            // Behind a TLS proxy the cookie is Secure; a next that leaves the site goes home instead, however it is disguised.
            for next in ["//evil.example/", "/\t/evil.example", "/\\evil.example", "https://evil.example/", "/ /evil.example"] {
                var proxied = headers
                proxied[HTTPField.Name("X-Forwarded-Proto")!] = "https"
                try await client.execute(uri: "/signin", method: .post, headers: proxied,
                                         body: Self.form([("key", analyst), ("next", next), ("csrf", token)])) { response in
                    #expect(response.headers[.location] == "/", "\(next)")
                    #expect(Self.setCookie(response, DashboardSessions.cookieName)?.contains("Secure") == true)
                }
            }
            // A sign-out posted from another site (the cookie rides along, the token does not) changes nothing.
            var signOutHeaders = Self.formHeaders
            signOutHeaders[.cookie] = cookie
            try await client.execute(uri: "/signout", method: .post, headers: signOutHeaders, body: Self.form([("csrf", "forged")])) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/signout", method: .post, headers: signOutHeaders, body: Self.form([("csrf", signOutToken)])) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/signin")
                #expect(Self.setCookie(response, DashboardSessions.cookieName)?.contains("Max-Age=0") == true)
            }
            // Signed out, the old cookie is no session anywhere.
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .seeOther)
            }
            // Revoking the key ends its other sessions.
            let second = try await client.execute(uri: "/signin", method: .post, headers: headers,
                                                  body: Self.form([("key", analyst), ("next", "/"), ("csrf", token)])) { response in
                String(try #require(Self.setCookie(response, DashboardSessions.cookieName)).split(separator: ";")[0])
            }
            let id = try #require(APIKeys.id(of: analyst))
            _ = try await server.store.revokeKey(id: id, at: 1)
            try await client.execute(uri: "/", method: .get, headers: [.cookie: second]) { response in
                #expect(response.status == .seeOther)
            }
        }
    }

    @Test("ten failed sign-ins or unknown keys from one address get 429 with Retry-After, for the form and the API alike")
    func rateLimited() async throws {
        let server = try await ServerEventTests.handServer()
        try await ServerTests.app(server).test(.live) { client in
            let (formCookie, token) = try await Self.signInForm(client)
            var headers = Self.formHeaders
            headers[.cookie] = formCookie
            for attempt in 1...10 {
                try await client.execute(uri: "/signin", method: .post, headers: headers,
                                         body: Self.form([("key", "guess-\(attempt)"), ("csrf", token)])) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            // The eleventh try, even with the right key, waits.
            try await client.execute(uri: "/signin", method: .post, headers: headers,
                                     body: Self.form([("key", server.keys[.analyst]!), ("csrf", token)])) { response in
                #expect(response.status == .tooManyRequests)
                let wait = try #require(response.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...60).contains(wait))
                #expect(String(buffer: response.body).contains("Too many failed attempts"))
            }
            // Unknown API keys count against the same address.
            try await client.execute(uri: "/v1/kpis", method: .get, headers: ServerEventTests.headers(server.keys[.analyst])) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] != nil)
                #expect(String(buffer: response.body).contains("too_many_attempts"))
            }
        }
    }

    @Test("language: ?lang wins and is remembered in a cookie, then Accept-Language, then English")
    func language() async throws {
        let server = try await ServerEventTests.handServer()
        let key = ServerEventTests.headers(server.keys[.analyst])
        try await ServerTests.app(server).test(.live) { client in
            var chinese = key
            chinese[.acceptLanguage] = "zh-CN,zh;q=0.9,en;q=0.5"
            try await client.execute(uri: "/", method: .get, headers: chinese) { response in
                #expect(String(buffer: response.body).contains("<html lang=\"zh-Hans\">"))
                #expect(response.headers[.contentLanguage] == "zh-Hans")
            }
            let remembered = try await client.execute(uri: "/?lang=en", method: .get, headers: chinese) { response -> String in
                #expect(String(buffer: response.body).contains("<html lang=\"en\">"))
                return String(try #require(Self.setCookie(response, "perennial_lang")).split(separator: ";")[0])
            }
            #expect(remembered == "perennial_lang=en")
            chinese[.cookie] = remembered
            try await client.execute(uri: "/lifecycle", method: .get, headers: chinese) { response in
                #expect(String(buffer: response.body).contains("<html lang=\"en\">"))
            }
            try await client.execute(uri: "/signin", method: .get, headers: [.acceptLanguage: "zh"]) { response in
                #expect(String(buffer: response.body).contains("API 密钥"))
            }
        }
    }

    @Test("cohorts of one segment: only its customers' cohorts (hand_store.md: champions 1001 from June 2024 and 1002 from September 2023)")
    func segmentCohorts() async throws {
        let server = try await ServerEventTests.handServer()
        try await ServerTests.app(server).test(.live) { client in
            let html = try await client.execute(uri: "/cohorts?period=month&segment=champions", method: .get,
                                                headers: ServerEventTests.headers(server.keys[.analyst])) { String(buffer: $0.body) }
            let text = DashboardTests.text(html)
            #expect(text.contains("· Champions"))
            #expect(text.contains("Sep 2023 (1)") && text.contains("Jun 2024 (1)"))
            #expect(!text.contains("Mar 2023 (1)") && !text.contains("Aug 2023 (1)"))
            let all = try await client.execute(uri: "/cohorts", method: .get, headers: ServerEventTests.headers(server.keys[.analyst])) { String(buffer: $0.body) }
            #expect(DashboardTests.text(all).contains("Mar 2023 (1)"))
        }
    }

    @Test("acquisition channels (the first purchase's) on both databases; rules and cohorts by channel read only those customers", arguments: StoreBackend.testable)
    func channels(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        // hand_store.csv: the channel of each customer's first purchase order.
        let expected = ["1001": "web", "1002": "app", "1003": "web", "1004": "web", "1005": "app",
                        "1006": "app", "1007": "web", "1008": "app", "1009": "web", "1010": "app"]
        #expect(try await server.store.acquisitionChannels() == expected)
        // June 2024 revenue of app customers: 1002 45 + 1006 90 + 1010 100 = 235; of web customers: 1001's 200.
        // Churn among web customers: 1003 of 1001, 1003, 1004, 1007, 1009.
        await server.index.setThresholds(KPIThreshold.defaults + [
            KPIThreshold(kpi: "revenue_this_month", direction: .below, amber: 300, red: 100, channel: "app"),
            KPIThreshold(kpi: "revenue_this_month", direction: .below, amber: 300, red: 250, channel: "web"),
            KPIThreshold(kpi: "churn_rate", direction: .above, amber: 0.1, red: 0.5, channel: "web"),
        ])
        let input = try #require(await server.index.dashboardInput())
        let readings = Dictionary(uniqueKeysWithValues: input.scoped.map { ($0.rule.key, $0) })
        #expect(readings["revenue_this_month@channel=app"]?.value == 235 && readings["revenue_this_month@channel=app"]?.state == .amber)
        #expect(readings["revenue_this_month@channel=web"]?.value == 200 && readings["revenue_this_month@channel=web"]?.state == .red)
        #expect(readings["churn_rate@channel=web"]?.value == 0.2 && readings["churn_rate@channel=web"]?.customers == 5)
        // Scoped rules leave the whole-store tiles alone and show in the alert list.
        let overview = DashboardTests.text(Dashboard(input: input, language: .en).page(.overview))
        #expect(overview.contains("Revenue this month for customers acquired through app is £235.00, past its threshold (5 customers)."))
        try await ServerTests.app(server).test(.live) { client in
            let html = try await client.execute(uri: "/cohorts?channel=app", method: .get, headers: ServerEventTests.headers(server.keys[.analyst])) { String(buffer: $0.body) }
            let text = DashboardTests.text(html)
            for cohort in ["Sep 2023 (1)", "Dec 2023 (1)", "Mar 2024 (1)", "Apr 2024 (1)", "Jun 2024 (1)"] { #expect(text.contains(cohort), "\(cohort)") }
            #expect(!text.contains("Mar 2023 (1)") && !text.contains("Aug 2023 (1)"))
            #expect(html.contains("<option value=\"app\" selected=\"selected\">app</option>"))
        }
    }

    @Test("the CSV export lists a segment's customers for analysts, and names the parameter it needs")
    func export() async throws {
        let server = try await ServerEventTests.handServer()
        try await ServerTests.app(server).test(.live) { client in
            try await client.execute(uri: "/segments/export.csv?segment=champions", method: .get, headers: ServerEventTests.headers(server.keys[.analyst])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                #expect(String(buffer: response.body) == "customer_id,stage,rfm_segment,orders,revenue\r\n1001,loyal,champions,3,200.00\r\n1002,active,champions,4,150.00\r\n")
            }
            let (status, body) = try await ServerEventTests.get(client, "/segments/export.csv", key: server.keys[.analyst])
            #expect(status == .badRequest)
            #expect((body["error"] as? [String: Any])?["field"] as? String == "segment")
            try await client.execute(uri: "/segments/export.csv?segment=champions", method: .get) { response in
                #expect(response.status == .seeOther)
            }
        }
    }
}
