import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PerennialCore
import PerennialServer
import PerennialStorage
import PerennialTestSupport
import Testing

/// The HTTP application, served on a loopback port and called over HTTP: profiles, errors,
/// readiness, and who may call what.
@Suite struct ServerTests {
    static func object(_ body: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any] ?? [:]
    }

    static func app(_ server: ServerEventTests.Server) async -> some ApplicationProtocol {
        var configuration = ServerConfiguration()
        configuration.port = 0
        return await PerennialApplication.make(index: server.index, configuration: configuration)
    }

    @Test("GET /v1/customers/{id} serves the hand-computed profile; health and readiness answer without a key", arguments: StoreBackend.testable)
    func profile(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        try await Self.app(server).test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let ready = try Self.object(response.body)
                #expect(ready["customers"] as? Int == 10)
            }
            // hand_store.md §8: customer 1001 has 3 orders worth £200, last 6 days before as-of, 26 days
            // of tenure, RFM 5-3-5, champions, loyal.
            try await client.execute(uri: "/v1/customers/1001", method: .get, headers: ServerEventTests.headers(server.keys[.analyst])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let profile = try Self.object(response.body)
                #expect(profile["orders"] as? Int == 3)
                #expect(profile["revenue"] as? Double == 200)
                #expect(profile["recency_days"] as? Int == 6)
                #expect(profile["tenure_days"] as? Int == 26)
                #expect(profile["r"] as? Int == 5 && profile["f"] as? Int == 3 && profile["m"] as? Int == 5)
                #expect(profile["rfm_segment"] as? String == "champions")
                #expect(profile["stage"] as? String == "loyal")
                #expect(profile["tags"] as? [String] == [])
            }
        }
    }

    @Test("unknown customers and routes get the one JSON error shape with 404")
    func errors() async throws {
        let server = try await ServerEventTests.handServer()
        try await Self.app(server).test(.live) { client in
            let (status, body) = try await ServerEventTests.get(client, "/v1/customers/nobody", key: server.admin)
            #expect(status == .notFound)
            let error = body["error"] as? [String: Any]
            #expect(error?["code"] as? String == "not_found")
            #expect(error?["field"] as? String == "id")
            #expect((error?["message"] as? String)?.isEmpty == false)
            let (unknown, unknownBody) = try await ServerEventTests.get(client, "/v2/nothing", key: server.admin)
            #expect(unknown == .notFound)
            #expect((unknownBody["error"] as? [String: Any])?["code"] as? String == "not_found")
        }
    }

    @Test("readiness is 503 with a not_ready error until the profiles are loaded, then ready on an empty store")
    func notReady() async throws {
        let directory = try TemporaryDirectory()
        let index = ProfileIndex(store: try SQLiteOrderStore(path: directory.path("empty.db")))
        var configuration = ServerConfiguration()
        configuration.port = 0
        try await PerennialApplication.make(index: index, configuration: configuration).test(.live) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let error = try Self.object(response.body)["error"] as? [String: Any]
                #expect(error?["code"] as? String == "not_ready")
            }
            // Once loaded, an empty store is ready: events may arrive before any order.
            try await index.refresh()
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let ready = try Self.object(response.body)
                #expect(ready["customers"] as? Int == 0)
            }
        }
    }

    @Test("role matrix: every route with no key (401), each role (403 where not allowed) and the allowed roles (served)", arguments: StoreBackend.testable)
    func roles(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        try await Self.app(server).test(.live) { client in
            for route in PerennialApplication.routes {
                let uri = route.path.replacingOccurrences(of: ":id", with: "1001")
                for role in [nil] + Role.allCases {
                    var headers = ServerEventTests.headers(role.flatMap { server.keys[$0] })
                    var body: ByteBuffer?
                    if route.method == .post && route.path == "/v1/events" {
                        headers[.contentType] = "application/json"
                        body = ByteBuffer(string: #"{"events": []}"#)
                    }
                    let status = try await client.execute(uri: uri, method: route.method, headers: headers, body: body) { $0.status }
                    let label = "\(route.method) \(route.path) as \(role?.rawValue ?? "no key")"
                    if route.access == .open {
                        #expect(status == .ok, "\(label)")
                    } else if let role {
                        if route.access.roles.contains(role) {
                            #expect(status != .unauthorized && status != .forbidden && status.code < 500, "\(label): \(status)")
                        } else {
                            #expect(status == .forbidden, "\(label): \(status)")
                        }
                    } else {
                        #expect(status == .unauthorized, "\(label): \(status)")
                    }
                }
            }
        }
    }

    @Test("revoked, malformed and made-up keys get 401; the key itself is never stored", arguments: StoreBackend.testable)
    func keys(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        let analyst = try #require(server.keys[.analyst])
        let id = try #require(APIKeys.id(of: analyst))
        let stored = try #require(try await server.store.key(id: id))
        #expect(stored.hash == APIKeys.hash(analyst) && stored.hash.count == 64 && !stored.hash.contains(analyst))
        #expect(try await server.store.revokeKey(id: id, at: 1))
        try await Self.app(server).test(.live) { client in
            let (revoked, body) = try await ServerEventTests.get(client, "/v1/stages", key: analyst)
            #expect(revoked == .unauthorized && (body["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            let (malformed, _) = try await ServerEventTests.get(client, "/v1/stages", key: "not-a-key")
            #expect(malformed == .unauthorized)
            let forged = "prn_\(id)_" + String(repeating: "A", count: 32)
            let (madeUp, _) = try await ServerEventTests.get(client, "/v1/stages", key: forged)
            #expect(madeUp == .unauthorized)
        }
    }

    @Test("/metrics counts requests by route (never by concrete id), events by outcome and profile update lag; requests carry an id")
    func metrics() async throws {
        let server = try await ServerEventTests.handServer()
        try await Self.app(server).test(.live) { client in
            for id in ["1001", "1002", "nobody"] { _ = try await ServerEventTests.get(client, "/v1/customers/\(id)", key: server.admin) }
            let batch = #"[{"event_id": "x-1", "type": "nps", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "score": 3},"# +
                #"{"event_id": "x-2", "type": "nps", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "score": 30}]"#
            _ = try await ServerEventTests.post(client, batch, key: server.admin)
            _ = try await ServerEventTests.post(client, batch, key: server.admin)
            await server.index.settle()
            var headers = ServerEventTests.headers(server.keys[.analyst])
            headers[HTTPField.Name("X-Request-Id")!] = "trace-42"
            let (text, echoed) = try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
                (String(buffer: response.body), response.headers[HTTPField.Name("X-Request-Id")!])
            }
            #expect(echoed == "trace-42")
            #expect(text.contains(#"perennial_http_requests_total{route="/v1/customers/{id}",method="GET",status="200"} 2"#))
            #expect(text.contains(#"perennial_http_requests_total{route="/v1/customers/{id}",method="GET",status="404"} 1"#))
            // Concrete ids never become labels (values such as a latency sum may contain the digits).
            let labels = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: " ").first }
            #expect(!labels.isEmpty && !labels.contains { $0.contains("1001") || $0.contains("nobody") })
            #expect(text.contains(#"perennial_events_ingested_total{status="accepted"} 1"#))
            #expect(text.contains(#"perennial_events_ingested_total{status="duplicate"} 1"#))
            #expect(text.contains(#"perennial_events_ingested_total{status="rejected"} 2"#))
            #expect(text.contains("perennial_profile_update_lag_seconds_count 1"))
            #expect(text.contains("perennial_http_request_duration_seconds_bucket"))
        }
    }
}
