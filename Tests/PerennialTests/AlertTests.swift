import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import PerennialDashboard
import PerennialServer
import PerennialTestSupport
import Testing

/// Alert webhooks: a real local receiver over HTTP that fails on purpose, signatures checked with an
/// independent HMAC, and the thresholds API that triggers them.
@Suite struct AlertTests {
    static let secret = "a-secret-of-at-least-16-chars"

    /// One request the receiver got.
    struct Received: Sendable {
        var delivery, attempt, timestamp, signature: String
        var body: Data
    }

    /// A webhook receiver: answers 500 to the first attempt of each delivery (or to every attempt).
    actor Receiver {
        let failFirst: Bool
        let failAlways: Bool
        private(set) var requests: [Received] = []

        init(failFirst: Bool = false, failAlways: Bool = false) {
            self.failFirst = failFirst
            self.failAlways = failAlways
        }

        func receive(_ request: Received) -> HTTPResponse.Status {
            requests.append(request)
            if failAlways { return .internalServerError }
            if failFirst && requests.filter({ $0.delivery == request.delivery }).count == 1 { return .internalServerError }
            return .noContent
        }

        nonisolated func application() -> some ApplicationProtocol {
            let router = Router()
            router.post("/hook") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                let header = { (name: String) in request.headers[HTTPField.Name(name)!] ?? "" }
                let status = await self.receive(Received(delivery: header("X-Perennial-Delivery"), attempt: header("X-Perennial-Attempt"),
                                                         timestamp: header("X-Perennial-Timestamp"), signature: header("X-Perennial-Signature"),
                                                         body: Data(buffer: body)))
                return Response(status: status)
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    /// HMAC-SHA256 of `<timestamp>.<body>`, computed here rather than by the code under test.
    static func expectedSignature(_ received: Received) -> String {
        var message = Data((received.timestamp + ".").utf8)
        message.append(received.body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    @Test("a crossing posts exactly one signed webhook, through a failed first attempt; an unchanged state and a restart post none")
    func crossing() async throws {
        let server = try await ServerEventTests.handServer()
        let receiver = Receiver(failFirst: true)
        try await receiver.application().test(.live) { client in
            let target = WebhookTarget(url: "http://127.0.0.1:\(try #require(client.port))/hook", secret: Self.secret)
            let policy = RetryPolicy(attempts: 4, baseDelay: 0.02, timeout: 5)
            let notifier = AlertNotifier(store: server.store, targets: [target], policy: policy)
            // The hand store's churn rate is 0.2 (hand_store.md §5): green under "red above 0.5" …
            await server.index.setThresholds([KPIThreshold(kpi: "churn_rate", direction: .above, amber: nil, red: 0.5)])
            #expect(try await notifier.evaluate(try #require(await server.index.dashboardInput())).isEmpty)
            // … amber under "amber above 0.1, red above 0.3": one crossing.
            let rule = KPIThreshold(kpi: "churn_rate", direction: .above, amber: 0.1, red: 0.3)
            await server.index.setThresholds([rule])
            let input = try #require(await server.index.dashboardInput())
            let crossings = try await notifier.evaluate(input)
            #expect(crossings == [AlertCrossing(kpi: "churn_rate", from: .green, to: .amber, value: 0.2, rule: rule)])
            await notifier.settle()
            let requests = await receiver.requests
            #expect(requests.count == 2, "the first attempt fails, the second is received")
            #expect(Set(requests.map(\.delivery)).count == 1 && requests.map(\.attempt) == ["1", "2"])
            for request in requests { #expect(request.signature == Self.expectedSignature(request)) }
            let last = try #require(requests.last)
            let body = try #require(try JSONSerialization.jsonObject(with: last.body) as? [String: Any])
            #expect(body["kpi"] as? String == "churn_rate" && body["from"] as? String == "green" && body["to"] as? String == "amber")
            #expect(body["value"] as? Double == 0.2 && body["as_of"] as? String == "2024-07-01T00:00:00Z" && body["type"] as? String == "kpi_state_changed")
            let (delivered, failed) = (await notifier.delivered, await notifier.failed)
            #expect(delivered == 1 && failed == 0)
            // Unchanged: nothing more. A restarted server reads the stored states: nothing more either.
            #expect(try await notifier.evaluate(input).isEmpty)
            let restarted = AlertNotifier(store: server.store, targets: [target], policy: policy)
            #expect(try await restarted.evaluate(input).isEmpty)
            await notifier.settle()
            #expect(await receiver.requests.count == 2)
        }
    }

    @Test("a receiver that never answers 2xx gets every attempt with the same delivery id, then the delivery is given up")
    func givingUp() async throws {
        let server = try await ServerEventTests.handServer()
        let receiver = Receiver(failAlways: true)
        try await receiver.application().test(.live) { client in
            let target = WebhookTarget(url: "http://127.0.0.1:\(try #require(client.port))/hook", secret: Self.secret)
            let notifier = AlertNotifier(store: server.store, targets: [target], policy: RetryPolicy(attempts: 3, baseDelay: 0.02, timeout: 5))
            // First evaluation: the default rules make churn red and the 30-day repeat rate amber.
            let crossings = try await notifier.evaluate(try #require(await server.index.dashboardInput()))
            #expect(Set(crossings.map(\.kpi)) == ["churn_rate", "repeat_rate_30d"] && crossings.allSatisfy { $0.from == nil })
            await notifier.settle()
            let requests = await receiver.requests
            #expect(requests.count == 6)
            for delivery in Set(requests.map(\.delivery)) {
                #expect(requests.filter { $0.delivery == delivery }.map(\.attempt) == ["1", "2", "3"])
            }
            let (delivered, failed) = (await notifier.delivered, await notifier.failed)
            #expect(delivered == 0 && failed == 2)
        }
    }

    @Test("PUT /v1/thresholds validates by field, is admin-only, is kept in the store, and posts the crossing it causes")
    func thresholdsAPI() async throws {
        let server = try await ServerEventTests.handServer()
        let receiver = Receiver()
        try await receiver.application().test(.live) { hookClient in
            var configuration = ServerConfiguration()
            configuration.port = 0
            configuration.refreshSeconds = 0
            configuration.thresholds = [KPIThreshold(kpi: "churn_rate", direction: .above, amber: nil, red: 0.5)]
            configuration.webhooks = [WebhookTarget(url: "http://127.0.0.1:\(try #require(hookClient.port))/hook", secret: Self.secret)]
            let app = await PerennialApplication.make(index: server.index, configuration: configuration)
            try await app.test(.live) { client in
                func put(_ body: String, key: String?) async throws -> (HTTPResponse.Status, [String: Any]) {
                    var headers = ServerEventTests.headers(key)
                    headers[.contentType] = "application/json"
                    return try await client.execute(uri: "/v1/thresholds", method: .put, headers: headers, body: ByteBuffer(string: body)) { response in
                        (response.status, try ServerTests.object(response.body))
                    }
                }
                // A refresh evaluates the alerts once: churn is green, which is stored and not posted.
                try await client.execute(uri: "/v1/jobs/refresh?refit=false", method: .post, headers: ServerEventTests.headers(server.admin)) { response in
                    #expect(response.status == .ok)
                }
                let (_, before) = try await ServerEventTests.get(client, "/v1/thresholds", key: server.keys[.analyst])
                #expect((before["states"] as? [String: String])?["churn_rate"] == "green")
                let (badStatus, bad) = try await put(#"{"thresholds": [{"kpi": "churn", "direction": "above", "red": 0.1}]}"#, key: server.admin)
                #expect(badStatus == .badRequest && (bad["error"] as? [String: Any])?["field"] as? String == "thresholds[0].kpi")
                let (shapeStatus, _) = try await put(#"{"thresholds": "high"}"#, key: server.admin)
                #expect(shapeStatus == .badRequest)
                let (forbidden, _) = try await put(#"{"thresholds": []}"#, key: server.keys[.analyst])
                #expect(forbidden == .forbidden)
                let (status, after) = try await put(#"{"thresholds": [{"kpi": "churn_rate", "direction": "above", "red": 0.1}]}"#, key: server.admin)
                #expect(status == .ok && (after["states"] as? [String: String])?["churn_rate"] == "red")
                #expect(try await server.store.savedThresholds()?.contains("churn_rate") == true)
            }
            // The PUT posted the green → red crossing (delivered in the background).
            for _ in 0..<500 where await receiver.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            let requests = await receiver.requests
            #expect(requests.count == 1)
            let first = try #require(requests.first)
            let body = try #require(try JSONSerialization.jsonObject(with: first.body) as? [String: Any])
            #expect(body["from"] as? String == "green" && body["to"] as? String == "red")
        }
    }
}
