import Foundation
import Hummingbird
import HummingbirdTesting
import PerennialCore
import PerennialIngestion
import PerennialServer
import PerennialStorage
import PerennialTestSupport
import Testing

/// The HTTP application, served on a loopback port and called over HTTP.
@Suite struct ServerTests {
    /// An index over the hand-computed store (Fixtures/hand_store.md) in a real SQLite file.
    static func handIndex(_ directory: TemporaryDirectory) async throws -> ProfileIndex {
        let store = try SQLiteOrderStore(path: directory.path("hand.db"))
        _ = try await SQLiteStoreTests.importFile(Fixtures.path("hand_store.csv"), format: .generic, into: store)
        // As of 2024-07-01 00:00 UTC, the instant hand_store.md works at.
        let index = ProfileIndex(store: store, options: AnalysisOptions(asOf: HandFixtureTests.asOf))
        try await index.refresh()
        return index
    }

    static func object(_ body: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any] ?? [:]
    }

    @Test("GET /v1/customers/{id} serves the hand-computed profile; health and readiness answer")
    func profile() async throws {
        let directory = try TemporaryDirectory()
        let app = PerennialApplication.make(index: try await Self.handIndex(directory), port: 0)
        try await app.test(.live) { client in
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
            try await client.execute(uri: "/v1/customers/1001", method: .get) { response in
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
            }
        }
    }

    @Test("unknown customers and routes get the one JSON error shape with 404")
    func errors() async throws {
        let directory = try TemporaryDirectory()
        let app = PerennialApplication.make(index: try await Self.handIndex(directory), port: 0)
        try await app.test(.live) { client in
            try await client.execute(uri: "/v1/customers/nobody", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try Self.object(response.body)["error"] as? [String: Any]
                #expect(error?["code"] as? String == "not_found")
                #expect(error?["field"] as? String == "id")
                #expect((error?["message"] as? String)?.isEmpty == false)
            }
            try await client.execute(uri: "/v2/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try Self.object(response.body)["error"] as? [String: Any]
                #expect(error?["code"] as? String == "not_found")
            }
        }
    }

    @Test("readiness is 503 with a not_ready error until the profiles are loaded, then ready on an empty store")
    func notReady() async throws {
        let directory = try TemporaryDirectory()
        let index = ProfileIndex(store: try SQLiteOrderStore(path: directory.path("empty.db")))
        try await PerennialApplication.make(index: index, port: 0).test(.live) { client in
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
}
