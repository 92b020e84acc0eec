import Foundation
import Hummingbird
import HummingbirdTesting
import PerennialCore
import PerennialServer
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// The campaign API over the real application, on SQLite and PostgreSQL: apply with every problem
/// named, list, pause and resume, the report, and the decision record — each response checked
/// against the OpenAPI document.
@Suite struct CampaignAPITests {
    static func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, body: String? = nil,
                     key: String?) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers = ServerEventTests.headers(key)
        headers[.contentType] = "application/json"
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            (response.status, try ServerTests.object(response.body))
        }
    }

    @Test("PUT, GET, pause, resume, report and decisions of /v1/campaigns on both databases, with roles and errors", arguments: StoreBackend.testable)
    func campaigns(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        let validator = SchemaValidator(document: try OpenAPITests.document())
        let (admin, analyst) = (server.admin, try #require(server.keys[.analyst]))
        let definition = #"{"id": "cart-recovery", "name": "Cart recovery", "priority": 70, "holdout": 0, "trigger": {"type": "event", "event": "add_to_cart", "not_followed_by": "order", "within": "4h"}, "steps": [{"message": {"channel": "push", "template": "cart-reminder"}}]}"#
        try await ServerTests.app(server).test(.live) { client in
            // Nothing is stored when a definition has problems; each is named by its path.
            let bad = #"{"id": "x", "holdout": 2, "trigger": {"type": "stage_entered", "stage": "vip"}, "steps": []}"#
            let (rejected, error) = try await Self.send(client, .put, "/v1/campaigns", body: bad, key: admin)
            #expect(rejected == .unprocessableContent && validator.problems(error, path: "/v1/campaigns", method: "put", status: "422").isEmpty)
            let detail = try #require(error["error"] as? [String: Any])
            let message = try #require(detail["message"] as? String)
            #expect(detail["code"] as? String == "invalid_campaign" && message.contains("trigger.stage") && message.contains("holdout"))
            #expect(try await Self.send(client, .put, "/v1/campaigns", body: definition, key: analyst).0 == .forbidden, "applying needs an admin key")
            let (applied, body) = try await Self.send(client, .put, "/v1/campaigns", body: definition, key: admin)
            #expect(applied == .ok && body["applied"] as? [String] == ["cart-recovery"])
            let (_, listing) = try await ServerEventTests.get(client, "/v1/campaigns", key: analyst)
            #expect(validator.problems(listing, path: "/v1/campaigns", method: "get", status: "200").isEmpty)
            let first = try #require((listing["campaigns"] as? [[String: Any]])?.first)
            #expect(first["id"] as? String == "cart-recovery" && first["trigger"] as? String == "event" && first["active"] as? Bool == true)
            let (paused, state) = try await Self.send(client, .post, "/v1/campaigns/cart-recovery/pause", key: admin)
            #expect(paused == .ok && state["active"] as? Bool == false)
            #expect(validator.problems(state, path: "/v1/campaigns/{id}/pause", method: "post", status: "200").isEmpty)
            #expect(try await Self.send(client, .post, "/v1/campaigns/nope/resume", key: admin).0 == .notFound)
            #expect(try await Self.send(client, .post, "/v1/campaigns/cart-recovery/resume", key: admin).1["active"] as? Bool == true)

            // 1001 consents to push and leaves a cart; 1003 leaves one without consent. The runner acts.
            _ = try await server.store.record([
                CustomerEvent(id: "a-1", customerID: "1001", occurredAt: utc(2024, 7, 1), payload: .consent(channel: "push", granted: true)),
                CustomerEvent(id: "a-2", customerID: "1001", occurredAt: utc(2024, 7, 10, 10), payload: .addToCart(sku: "MUG-01", quantity: 1)),
                CustomerEvent(id: "a-3", customerID: "1003", occurredAt: utc(2024, 7, 10, 10), payload: .addToCart(sku: "MUG-01", quantity: 1)),
            ], receivedAt: utc(2024, 7, 10, 10))
            try await setCampaignCursor(server.store, utc(2024, 7, 10, 9))
            #expect(try await CampaignRunner(store: server.store).tick(now: utc(2024, 7, 10, 15)).decisions == 4)
            let (_, decisions) = try await ServerEventTests.get(client, "/v1/decisions?customer=1003", key: analyst)
            #expect(validator.problems(decisions, path: "/v1/decisions", method: "get", status: "200").isEmpty)
            let rows = try #require(decisions["decisions"] as? [[String: Any]])
            #expect(rows.count == 2 && rows.contains { $0["outcome"] as? String == "suppressed" && $0["reason"] as? String == "consent" && $0["channel"] as? String == "push" })
            let (_, sent) = try await ServerEventTests.get(client, "/v1/decisions?campaign=cart-recovery&outcome=sent", key: analyst)
            #expect((sent["decisions"] as? [[String: Any]])?.map { $0["decision_id"] as? String } == ["cart-recovery:1001:0:\(utc(2024, 7, 10, 14))"])
            #expect(try await ServerEventTests.get(client, "/v1/decisions?outcome=bounced", key: analyst).0 == .badRequest)

            // The report replays the period: two entered, one reached, one suppressed for consent.
            let (status, report) = try await ServerEventTests.get(client, "/v1/campaigns/report?from=2024-07-01&to=2024-07-12", key: analyst)
            #expect(status == .ok && validator.problems(report, path: "/v1/campaigns/report", method: "get", status: "200").isEmpty, "\(report)")
            let row = try #require((report["campaigns"] as? [[String: Any]])?.first)
            #expect(row["customers"] as? Int == 2 && row["reached"] as? Int == 1 && row["messages"] as? Int == 1)
            #expect((row["suppressed"] as? [String: Int])?["consent"] == 1)
            let measurement = try #require(row["measurement"] as? [String: Any])
            #expect(measurement["treated"] as? Int == 2 && measurement["control"] as? Int == 0 && measurement["too_small"] as? Bool == true)
            let (wrong, _) = try await ServerEventTests.get(client, "/v1/campaigns/report?from=2024-07-12&to=2024-07-01", key: analyst)
            #expect(wrong == .badRequest)

            // The dashboard: the campaigns page lists the campaign; 1003's page shows the suppression and why.
            func page(_ path: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: path, method: .get, headers: ServerEventTests.headers(analyst)) { ($0.status, String(buffer: $0.body)) }
            }
            let (shown, campaignsPage) = try await page("/campaigns")
            #expect(shown == .ok && campaignsPage.contains("Cart recovery (cart-recovery)") && campaignsPage.contains("Outbox"))
            let (_, customerPage) = try await page("/customers/1003")
            #expect(customerPage.contains("Campaign cart-recovery: suppressed") && customerPage.contains("no consent for the channel · message · push"))
            let (_, chinese) = try await page("/customers/1003?lang=zh-Hans")
            #expect(chinese.contains("活动 cart-recovery：被拦截") && chinese.contains("未获该渠道授权"))
        }
    }
}
