import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import PerennialServer
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// The durable outbox of campaign messages and its delivery worker, against a real local receiver
/// that fails on purpose, on SQLite and PostgreSQL.
@Suite struct OutboxTests {
    /// A sender's webhook: applies each idempotency key once, and misbehaves by message number:
    /// even numbers fail their first attempt (500), multiples of 5 are applied and then answered too
    /// late on their first attempt (the client times out and retries), multiples of 7 always fail
    /// until the receiver recovers.
    actor Receiver {
        private(set) var requests: [String: Int] = [:]
        /// Applications by the message the payload names: a retry under a new key would count twice.
        private(set) var applied: [String: Int] = [:]
        private var seenKeys: Set<String> = []
        private(set) var signatures: [(id: String, timestamp: String, signature: String, body: Data)] = []
        var recovered = false

        func recover() { recovered = true }

        func receive(id: String, timestamp: String, signature: String, body: Data) async -> HTTPResponse.Status {
            requests[id, default: 0] += 1
            signatures.append((id, timestamp, signature, body))
            let number = Int(id.split(separator: "-").last ?? "") ?? 0
            let first = requests[id] == 1
            if !recovered && number % 7 == 0 { return .internalServerError }
            if first && number % 2 == 0 { return .internalServerError }
            // Apply once per idempotency key.
            if seenKeys.insert(id).inserted {
                let payload = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                applied[payload?["message_id"] as? String ?? "?", default: 0] += 1
            }
            if first && number % 5 == 0 {
                try? await Task.sleep(for: .milliseconds(1_500))
            }
            return .ok
        }

        nonisolated func application() -> some ApplicationProtocol {
            let router = Router()
            router.post("/messages") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                let header = { (name: String) in request.headers[HTTPField.Name(name)!] ?? "" }
                let status = await self.receive(id: header("Idempotency-Key"), timestamp: header("X-Perennial-Timestamp"),
                                                signature: header("X-Perennial-Signature"), body: Data(buffer: body))
                return Response(status: status)
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    static func message(_ number: Int, at now: Int64) -> OutboxMessage {
        let id = String(format: "m-%02d", number)
        return OutboxMessage(id: id, campaignID: "cart-recovery", customerID: "c\(number)", channel: "push",
                             payload: #"{"message_id": "\#(id)", "template": "cart-reminder"}"#, createdAt: now)
    }

    @Test("every message arrives once-effective through failures and timeouts; exactly the ones that exhausted their retries are dead until retried", arguments: StoreBackend.allCases)
    func delivery(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        guard let location = try backend.newLocation(in: directory, name: "outbox.db") else { return }
        let store = try await openTestStore(location, durable: true)
        let now = Int64(Date().timeIntervalSince1970)
        #expect(try await store.enqueue((1...30).map { Self.message($0, at: now) }) == 30)
        #expect(try await store.enqueue([Self.message(3, at: now)]) == 0, "enqueueing is idempotent")
        let receiver = Receiver()
        try await receiver.application().test(.live) { client in
            let target = WebhookTarget(url: "http://127.0.0.1:\(try #require(client.port))/messages", secret: "outbox-secret-0123456789")
            let deliverer = OutboxDeliverer(store: store, target: target, policy: RetryPolicy(attempts: 3, baseDelay: 0.5, maxDelay: 1, timeout: 0.7))
            // Passes until nothing is pending (backoffs are whole seconds).
            for _ in 0..<40 {
                try await deliverer.deliverDue()
                if try await store.outbox(status: .pending, limit: 100).isEmpty { break }
                try await Task.sleep(for: .milliseconds(300))
            }
            let sevens = Set([7, 14, 21, 28].map { String(format: "m-%02d", $0) })
            let dead = Set(try await store.outbox(status: .dead, limit: 100).map(\.id))
            #expect(dead == sevens)
            let delivered = try await store.outbox(status: .delivered, limit: 100)
            #expect(delivered.count == 26)
            let applied = await receiver.applied
            #expect(Set(applied.keys) == Set(delivered.map(\.id)), "every delivered message was applied, under its own message id")
            #expect(applied.values.allSatisfy { $0 == 1 }, "no message applied twice")
            // The timed-out first attempts were applied and resent with the same key.
            let requests = await receiver.requests
            #expect(requests["m-05"] == 2 && requests["m-15"] == 2 && requests["m-01"] == 1, "\(requests.sorted { $0.key < $1.key })")
            #expect(try await store.outbox(status: .dead, limit: 100).allSatisfy { $0.attempts == 3 && $0.lastError == "HTTP 500" })
            // Every request is signed with HMAC-SHA256 over timestamp.body.
            for request in await receiver.signatures.prefix(5) {
                #expect(request.signature == AlertNotifier.signature(secret: target.secret, timestamp: request.timestamp, body: request.body))
            }
            // After the receiver recovers, a retry delivers the dead ones.
            await receiver.recover()
            for id in dead { #expect(try await store.retryDead(id: id, now: Int64(Date().timeIntervalSince1970))) }
            #expect(try await store.retryDead(id: "m-01", now: 0) == false)
            let pass = try await deliverer.deliverDue()
            #expect(pass.delivered == 4)
            #expect(try await store.outbox(status: .delivered, limit: 100).count == 30)
            let finalApplied = await receiver.applied
            #expect(finalApplied.count == 30 && finalApplied.values.allSatisfy { $0 == 1 })
        }
    }
}
