import Foundation
import Hummingbird
import HummingbirdTesting
import PerennialCore
import PerennialRecommendations
import PerennialServer
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// Recommendations over the real stores and the real application: the purchase lines the protocol keeps,
/// the stored model, and `GET /v1/customers/{id}/recommendations` checked against the OpenAPI document.
@Suite struct RecommendationAPITests {
    @Test("purchase lines, the stored model and the recommendations route on both databases", arguments: StoreBackend.testable)
    func route(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        // 32 lines less the cancellation R019 and the guest orders S009 and S022.
        let lines = try await server.store.purchaseLines()
        #expect(lines.count == 29 && Set(lines.map(\.customer)).count == 10)
        #expect(lines.allSatisfy { $0.quantity > 0 && $0.unitPriceMillis > 0 } && !lines.contains { $0.order == "R019" })
        #expect(try await server.store.products().first { $0.sku == "TEA-01" }?.category == "tea")
        #expect(try await server.store.latestRecommender() == nil)

        let (summary, _) = try #require(try await RecommenderSource.trainAndStore(store: server.store))
        // 11 items: the shortbread (BIS-01) was only bought in a guest order.
        #expect(summary.customers == 10 && summary.items == 11 && summary.blend_rows == 0)
        let stored = try #require(try await RecommenderSource.stored(store: server.store))
        #expect(stored.model.data.orders.entryCount == summary.cells && stored.stored)

        let validator = SchemaValidator(document: try OpenAPITests.document())
        let analyst = try #require(server.keys[.analyst])
        try await ServerTests.app(server).test(.router) { client in
            let (status, body) = try await ServerEventTests.get(client, "/v1/customers/1005/recommendations?k=3", key: analyst)
            #expect(status == .ok)
            #expect(validator.problems(body, path: "/v1/customers/{id}/recommendations", method: "get", status: "200").isEmpty)
            let items = try #require(body["items"] as? [[String: Any]])
            // 1005 bought Earl Grey on 10, 17 and 24 April 2024; the model's as-of is 1 July 2024, 68 days later.
            let first = try #require(items.first)
            #expect(items.count == 3 && first["sku"] as? String == "TEA-01" && first["label"] as? String == "rebuy")
            #expect(first["reason"] as? String == "cadence" && first["every_days"] as? Int == 7)
            #expect(first["reason_text"] as? String == "you buy this about every 7 days (last 68 days ago)")
            #expect(body["source"] as? String == "personal" && body["disclosure"] == nil)

            let (discover, found) = try await ServerEventTests.get(client, "/v1/customers/1005/recommendations?task=discover", key: analyst)
            #expect(discover == .ok && (found["items"] as? [[String: Any]])?.contains { $0["sku"] as? String == "TEA-01" } == false)
            #expect(try await ServerEventTests.get(client, "/v1/customers/nobody/recommendations", key: analyst).0 == .notFound)
            let (bad, error) = try await ServerEventTests.get(client, "/v1/customers/1005/recommendations?k=0", key: analyst)
            #expect(bad == .badRequest && (error["error"] as? [String: Any])?["field"] as? String == "k")
            #expect(validator.problems(error, path: "/v1/customers/{id}/recommendations", method: "get", status: "400").isEmpty)
            #expect(try await ServerEventTests.get(client, "/v1/customers/1005/recommendations", key: nil).0 == .unauthorized)
        }
    }
}
