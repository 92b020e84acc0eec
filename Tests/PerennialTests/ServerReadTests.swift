import Foundation
import Hummingbird
import HummingbirdTesting
import PerennialServer
import Testing

/// The read API over the hand store (Fixtures/hand_store.md, as of 2024-07-01), through the real
/// application.
@Suite struct ServerReadTests {
    static func get(_ client: some TestClientProtocol, _ uri: String, key: String?) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await ServerEventTests.get(client, uri, key: key)
    }

    @Test("GET /v1/customers filters by stage, sorts by revenue and pages with a cursor", arguments: StoreBackend.testable)
    func list(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        try await ServerTests.app(server).test(.live) { client in
            // hand_store.md §4: active = 1002 (£150), 1007 (£80), 1009 (£60), 1010 (£200).
            let (status, first) = try await Self.get(client, "/v1/customers?stage=active&sort=revenue&limit=3", key: server.admin)
            #expect(status == .ok)
            #expect(first["total"] as? Int == 4)
            let ids = (first["customers"] as? [[String: Any]])?.map { $0["customer_id"] as? String }
            #expect(ids == ["1010", "1002", "1007"])
            let cursor = try #require(first["next_cursor"] as? String)
            let (_, second) = try await Self.get(client, "/v1/customers?stage=active&sort=revenue&limit=3&cursor=\(cursor)", key: server.admin)
            #expect((second["customers"] as? [[String: Any]])?.map { $0["customer_id"] as? String } == ["1009"])
            #expect(second["next_cursor"] == nil || second["next_cursor"] is NSNull)
            // Recency, most recent first, ties by id: 1001 and 1002 (6 days), then 1006 and 1010 (13).
            let (_, recent) = try await Self.get(client, "/v1/customers?sort=recency&limit=4", key: server.admin)
            #expect((recent["customers"] as? [[String: Any]])?.map { $0["customer_id"] as? String } == ["1001", "1002", "1006", "1010"])
            let (_, segment) = try await Self.get(client, "/v1/customers?segment=hibernating&sort=id", key: server.admin)
            #expect((segment["customers"] as? [[String: Any]])?.map { $0["customer_id"] as? String } == ["1004", "1005"])

            let (bad, error) = try await Self.get(client, "/v1/customers?stage=sleepy", key: server.admin)
            #expect(bad == .badRequest && (error["error"] as? [String: Any])?["field"] as? String == "stage")
            let (badCursor, cursorError) = try await Self.get(client, "/v1/customers?cursor=%%%", key: server.admin)
            #expect(badCursor == .badRequest && (cursorError["error"] as? [String: Any])?["field"] as? String == "cursor")
        }
    }

    @Test("stages, segments, KPIs (also at an earlier as-of) and cohorts match hand_store.md", arguments: StoreBackend.testable)
    func aggregates(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        try await ServerTests.app(server).test(.live) { client in
            let (_, stages) = try await Self.get(client, "/v1/stages", key: server.admin)
            let byStage = Dictionary(uniqueKeysWithValues: (stages["groups"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0) })
            #expect(byStage.mapValues { $0["customers"] as? Int } == ["potential": 0, "new": 2, "active": 4, "loyal": 1, "declining": 1, "churned": 2])
            #expect(byStage["active"]?["revenue"] as? Double == 490)
            let (_, segments) = try await Self.get(client, "/v1/segments", key: server.admin)
            let champions = (segments["groups"] as? [[String: Any]])?.first { $0["id"] as? String == "champions" }
            #expect(champions?["customers"] as? Int == 2 && champions?["revenue"] as? Double == 350)

            let (_, kpis) = try await Self.get(client, "/v1/kpis", key: server.admin)
            let block = kpis["kpis"] as? [String: Any]
            #expect(block?["customers"] as? Int == 10 && block?["active_customers"] as? Int == 8 && block?["new_customers_this_month"] as? Int == 2)
            // On 2024-06-01, 1001 (first order 06-05) and 1006 (06-10) had not bought yet.
            let (_, earlier) = try await Self.get(client, "/v1/kpis?as_of=2024-06-01", key: server.admin)
            #expect(earlier["as_of"] as? String == "2024-06-01T00:00:00Z")
            #expect((earlier["kpis"] as? [String: Any])?["customers"] as? Int == 8)
            let (badDate, _) = try await Self.get(client, "/v1/kpis?as_of=June", key: server.admin)
            #expect(badDate == .badRequest)

            let (_, months) = try await Self.get(client, "/v1/cohorts?period=month", key: server.admin)
            let cohorts = months["cohorts"] as? [String: Any]
            #expect(cohorts?["period"] as? String == "month" && (cohorts?["rows"] as? [Any])?.count == 8)
            let (_, weeks) = try await Self.get(client, "/v1/cohorts?period=week", key: server.admin)
            #expect((weeks["cohorts"] as? [String: Any])?["period"] as? String == "week")
        }
    }

    @Test("GET /v1/models is 404 until a refresh refits; then it serves the parameters and profiles carry predictions", arguments: StoreBackend.testable)
    func models(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        try await ServerTests.app(server).test(.live) { client in
            let (missing, _) = try await Self.get(client, "/v1/models", key: server.admin)
            #expect(missing == .notFound)
            let refreshed = try await client.execute(uri: "/v1/jobs/refresh", method: .post, headers: ServerEventTests.headers(server.admin)) { response in
                (response.status, try ServerTests.object(response.body))
            }
            #expect(refreshed.0 == .ok)
            #expect(refreshed.1["refitted"] as? Bool == true && refreshed.1["customers"] as? Int == 10)
            let (status, model) = try await Self.get(client, "/v1/models", key: server.admin)
            #expect(status == .ok)
            #expect(model["model"] as? String == "bgnbd")
            #expect((model["parameters"] as? [String: Double])?.keys.sorted() == ["a", "alpha", "b", "r"])
            #expect((model["spend"] as? [String: Any])?["model"] as? String == "gamma-gamma")
            let (_, profile) = try await Self.get(client, "/v1/customers/1002", key: server.admin)
            let alive = try #require(profile["p_alive"] as? Double)
            #expect(alive > 0 && alive <= 1)
            #expect(abs((profile["churn_risk"] as? Double ?? -1) - (1 - alive)) < 1e-12)
        }
    }

    @Test("events sent under a linked device id land on the customer it was linked to", arguments: StoreBackend.testable)
    func aliases(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        try await ServerTests.app(server).test(.live) { client in
            let batch = """
                [{"event_id": "a-1", "type": "identify", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "device_id": "dev-7"},
                 {"event_id": "a-2", "type": "add_to_cart", "customer_id": "dev-7", "timestamp": "2024-06-30T10:05:00Z", "sku": "TEA-01"}]
                """
            let (_, body) = try await ServerEventTests.post(client, batch, key: server.admin)
            #expect(body["accepted"] as? Int == 2)
            await server.index.settle()
            let (_, profile) = try await Self.get(client, "/v1/customers/1001", key: server.admin)
            let events = profile["recent_events"] as? [[String: Any]] ?? []
            #expect(events.map { $0["event_id"] as? String } == ["a-2", "a-1"])
            #expect(events.first?["customer_id"] as? String == "1001" && events.first?["quantity"] as? Int == 1)
            let (unknown, _) = try await Self.get(client, "/v1/customers/dev-7", key: server.admin)
            #expect(unknown == .notFound)
        }
    }
}
