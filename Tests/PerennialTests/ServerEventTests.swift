import Foundation
import Hummingbird
import HummingbirdTesting
import PerennialCore
import PerennialServer
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// `POST /v1/events` through the real application on a loopback port, over a real SQLite file and a
/// real PostgreSQL database.
@Suite struct ServerEventTests {
    struct Server {
        let directory: TemporaryDirectory
        let store: any TestStore
        let index: ProfileIndex
        /// A key of each role.
        let keys: [Role: String]
        var admin: String { keys[.admin]! }
    }

    /// Creates one key of each role in a store.
    static func keys(in store: some APIKeyStore) async throws -> [Role: String] {
        var keys: [Role: String] = [:]
        for role in Role.allCases {
            let (key, record) = APIKeys.generate(role: role, label: "test", now: 0)
            try await store.saveKey(record)
            keys[role] = key
        }
        return keys
    }

    /// The hand store (Fixtures/hand_store.md) as of 2024-07-01, served from a durable file.
    static func handServer() async throws -> Server {
        try await handServer(on: .sqlite)
    }

    /// The hand store on a backend (the test case is skipped when the backend is not available here).
    static func handServer(on backend: StoreBackend) async throws -> Server {
        let directory = try TemporaryDirectory()
        let path = try backend.newLocation(in: directory, name: "hand.db")
        _ = try await StoreTests.importFile(Fixtures.path("hand_store.csv"), format: .generic, into: try await openTestStore(path))
        let store = try await openTestStore(path, durable: true)
        let index = ProfileIndex(store: store, options: AnalysisOptions(asOf: HandFixtureTests.asOf))
        try await index.refresh()
        return Server(directory: directory, store: store, index: index, keys: try await keys(in: store))
    }

    static func headers(_ key: String?) -> HTTPFields {
        key.map { [.authorization: "Bearer \($0)"] } ?? [:]
    }

    static func post(_ client: some TestClientProtocol, _ body: String, key: String?, contentType: String = "application/json") async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers = headers(key)
        headers[.contentType] = contentType
        return try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, try ServerTests.object(response.body))
        }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, key: String?) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: uri, method: .get, headers: headers(key)) { response in (response.status, try ServerTests.object(response.body)) }
    }

    static func order(_ id: String, customer: String, at time: String, order: String, lines: [(sku: String, quantity: Int, price: String)]) -> String {
        let lineJSON = lines.map { #"{"sku": "\#($0.sku)", "quantity": \#($0.quantity), "unit_price": \#($0.price)}"# }.joined(separator: ", ")
        return #"{"event_id": "\#(id)", "type": "order", "customer_id": "\#(customer)", "timestamp": "\#(time)", "order_id": "\#(order)", "currency": "GBP", "lines": [\#(lineJSON)]}"#
    }

    @Test("posted orders move 1004 from new to active and 1003 from churned to active, with RFM as computed by hand", arguments: StoreBackend.testable)
    func liveProfiles(backend: StoreBackend) async throws {
        let server = try await Self.handServer(on: backend)
        try await ServerTests.app(server).test(.live) { client in
            let (_, before) = try await Self.get(client, "/v1/customers/1004", key: server.admin)
            #expect(before["stage"] as? String == "new" && before["rfm_segment"] as? String == "hibernating")
            let batch = [
                Self.order("e-1", customer: "1004", at: "2024-06-20T12:00:00Z", order: "W-1", lines: [("KET-01", 1, "40")]),
                Self.order("e-2", customer: "1004", at: "2024-06-30T12:00:00+00:00", order: "W-2", lines: [("MUG-02", 2, "20.00")]),
                Self.order("e-3", customer: "1003", at: "2024-06-28T20:00:00+08:00", order: "W-3", lines: [("MUG-03", 1, "30")]),
            ]
            let (status, body) = try await Self.post(client, #"{"events": [\#(batch.joined(separator: ","))]}"#, key: server.admin)
            #expect(status == .ok)
            #expect(body["accepted"] as? Int == 3)
            await server.index.settle()
            // 1004: orders 04-02 (£80), 06-20 (£40), 06-30 (£40). Recency 1 day; RFM against the
            // boundaries of hand_store.md §2: R 5 (every recency is larger), F 3 (4 customers have
            // fewer than 3 orders: 1 + ⌊5·4/10⌋), M 5 (8 revenues below £160: 1 + ⌊5·8/10⌋) →
            // FM 4 → champions. Stage: 3 orders is not new; gaps 79 and 10 days, median 44.5, so 1
            // day of silence is not declining; 3 × 30.4375 / 89.5 = 1.02 orders a month → active.
            let (_, after) = try await Self.get(client, "/v1/customers/1004", key: server.admin)
            #expect(after["orders"] as? Int == 3)
            #expect(after["revenue"] as? Double == 160)
            #expect(after["recency_days"] as? Int == 1)
            #expect(after["r"] as? Int == 5 && after["f"] as? Int == 3 && after["m"] as? Int == 5)
            #expect(after["rfm_segment"] as? String == "champions")
            #expect(after["stage"] as? String == "active")
            let events = after["recent_events"] as? [[String: Any]]
            #expect(events?.map { $0["event_id"] as? String } == ["e-2", "e-1"])
            #expect(events?.first?["order_id"] as? String == "W-2")
            // 1003: the order at 12:00 UTC on 06-28 ends 91 days of silence: 4 orders, £150,
            // recency 3; R 5, F 5 (9 customers have fewer than 4 orders), M 4 (7 revenues below
            // £150) → FM 5 → champions; gaps 87, 143, 88 (median 88) → active.
            let (_, back) = try await Self.get(client, "/v1/customers/1003", key: server.admin)
            #expect(back["orders"] as? Int == 4 && back["revenue"] as? Double == 150 && back["recency_days"] as? Int == 3)
            #expect(back["r"] as? Int == 5 && back["f"] as? Int == 5 && back["m"] as? Int == 4)
            #expect(back["stage"] as? String == "active")
            // A cancellation reverses the order's lines.
            let cancel = #"{"event_id": "e-4", "type": "order_cancelled", "customer_id": "1004", "timestamp": "2024-06-30T13:00:00Z", "order_id": "W-2"}"#
            let (_, cancelled) = try await Self.post(client, "[\(cancel)]", key: server.admin)
            #expect(cancelled["accepted"] as? Int == 1)
            await server.index.settle()
            let (_, reversed) = try await Self.get(client, "/v1/customers/1004", key: server.admin)
            #expect(reversed["revenue"] as? Double == 120 && reversed["orders"] as? Int == 3)
        }
        #expect(try await server.store.ordersWithWrongTotals() == 0)
    }

    @Test("a replayed batch changes nothing: every event is reported duplicate and nothing is stored twice", arguments: StoreBackend.testable)
    func replay(backend: StoreBackend) async throws {
        let server = try await Self.handServer(on: backend)
        let batch = """
            {"events": [
              \(Self.order("r-1", customer: "2001", at: "2024-06-01T09:00:00Z", order: "N-1", lines: [("TEA-01", 3, "10")])),
              {"event_id": "r-2", "type": "page_view", "customer_id": "2001", "timestamp": "2024-06-01T08:59:00Z", "url": "/tea"},
              {"event_id": "r-3", "type": "consent", "customer_id": "2001", "timestamp": "2024-06-01T09:01:00Z", "channel": "email", "status": "granted"}
            ]}
            """
        try await ServerTests.app(server).test(.live) { client in
            let (_, first) = try await Self.post(client, batch, key: server.admin)
            #expect(first["accepted"] as? Int == 3 && first["duplicates"] as? Int == 0)
            let stats = try await server.store.statistics()
            let (status, second) = try await Self.post(client, batch, key: server.admin)
            #expect(status == .ok)
            #expect(second["accepted"] as? Int == 0 && second["duplicates"] as? Int == 3)
            let statuses = (second["results"] as? [[String: Any]])?.map { $0["status"] as? String }
            #expect(statuses == ["duplicate", "duplicate", "duplicate"])
            let again = try await server.store.statistics()
            #expect(again == stats)
            #expect(try await server.store.eventCount() == 3)
            await server.index.settle()
            let (_, profile) = try await Self.get(client, "/v1/customers/2001", key: server.admin)
            #expect(profile["orders"] as? Int == 1 && profile["revenue"] as? Double == 30)
            #expect(profile["stage"] as? String == "new")
        }
    }

    @Test("a mixed batch keeps the valid events and explains each invalid one by field", arguments: StoreBackend.testable)
    func mixed(backend: StoreBackend) async throws {
        let server = try await Self.handServer(on: backend)
        let batch = """
            [
              {"event_id": "m-1", "type": "nps", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "score": 9},
              {"event_id": "m-2", "type": "nps", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "score": 12},
              {"event_id": "m-3", "type": "order", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "order_id": "X", "currency": "GBP", "lines": [{"sku": "A", "quantity": "2", "unit_price": 1}]},
              {"event_id": "m-4", "type": "wish", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z"},
              {"event_id": "m-5", "type": "order", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "order_id": "Y", "currency": "USD", "lines": [{"sku": "A", "quantity": 1, "unit_price": 1}]},
              {"event_id": "m-6", "type": "order_cancelled", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "order_id": "NOPE"},
              "not an event",
              {"event_id": "m-8", "type": "review", "customer_id": "1001", "timestamp": "2024-06-30T11:00:00Z", "rating": 2, "text": "cold tea"}
            ]
            """
        try await ServerTests.app(server).test(.live) { client in
            let (status, body) = try await Self.post(client, batch, key: server.admin)
            #expect(status == .ok)
            #expect(body["accepted"] as? Int == 2 && body["rejected"] as? Int == 6)
            let results = body["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["status"] as? String } == ["accepted", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "accepted"])
            #expect(results.map { $0["field"] as? String } == [nil, "score", "lines[0].quantity", "type", "currency", "order_id", "$", nil])
            #expect(results.allSatisfy { $0["status"] as? String == "accepted" || ($0["reason"] as? String)?.isEmpty == false })
            #expect(try await server.store.eventCount() == 2)
            let stats = try await server.store.statistics()
            #expect(stats.orders == 29)
        }
    }

    @Test("malformed bodies get documented errors and store nothing: truncated JSON, wrong shape, wrong type, 10 MB, too many events",
          arguments: StoreBackend.testable)
    func malformed(backend: StoreBackend) async throws {
        let server = try await Self.handServer(on: backend)
        try await ServerTests.app(server).test(.live) { client in
            let (truncated, error) = try await Self.post(client, #"{"events": [{"event_id": "t-1", "type": "signup", "customer_id": "9", "timestamp": "2024-06-30T10:00:00Z"}, {"event_id": "#, key: server.admin)
            #expect(truncated == .badRequest)
            let detail = error["error"] as? [String: Any]
            #expect(detail?["code"] as? String == "invalid_json")
            #expect(detail?["field"] as? String == "events[1].event_id")
            #expect((detail?["message"] as? String)?.contains("line 1") == true)

            let (shape, shapeError) = try await Self.post(client, #"{"items": []}"#, key: server.admin)
            #expect(shape == .badRequest && (shapeError["error"] as? [String: Any])?["field"] as? String == "events")

            let (media, mediaError) = try await Self.post(client, "event_id=1", key: server.admin, contentType: "application/x-www-form-urlencoded")
            #expect(media == .unsupportedMediaType && (mediaError["error"] as? [String: Any])?["code"] as? String == "unsupported_media_type")

            let big = #"{"events": [""# + String(repeating: "x", count: 10 * 1024 * 1024) + #""]}"#
            let (large, largeError) = try await Self.post(client, big, key: server.admin)
            #expect(large == .contentTooLarge && (largeError["error"] as? [String: Any])?["code"] as? String == "payload_too_large")

            let many = "[" + (0..<1_001).map { #"{"event_id": "k-\#($0)", "type": "signup", "customer_id": "k", "timestamp": "2024-06-30T10:00:00Z"}"# }.joined(separator: ",") + "]"
            let (tooMany, tooManyError) = try await Self.post(client, many, key: server.admin)
            #expect(tooMany == .contentTooLarge && (tooManyError["error"] as? [String: Any])?["code"] as? String == "too_many_events")
        }
        #expect(try await server.store.eventCount() == 0)
    }
}
