import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import PerennialCore
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
                try? await Task.sleep(for: .milliseconds(3_000))
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

    @Test("every message arrives once-effective through failures and timeouts; exactly the ones that exhausted their retries are dead until retried", arguments: StoreBackend.testable)
    func delivery(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory, name: "outbox.db")
        let store = try await openTestStore(location, durable: true)
        let now = Int64(Date().timeIntervalSince1970)
        #expect(try await store.enqueue((1...30).map { Self.message($0, at: now) }) == 30)
        #expect(try await store.enqueue([Self.message(3, at: now)]) == 0, "enqueueing is idempotent")
        let receiver = Receiver()
        try await receiver.application().test(.live) { client in
            let target = WebhookTarget(url: "http://127.0.0.1:\(try #require(client.port))/messages", secret: "outbox-secret-0123456789")
            let deliverer = OutboxDeliverer(store: store, target: target, policy: RetryPolicy(attempts: 4, baseDelay: 0.5, maxDelay: 1, timeout: 1.5))
            // Passes until nothing is pending (backoffs are whole seconds).
            for _ in 0..<100 {
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
            // (Counts are at least: a loaded machine may time out other attempts too; keys stay the same.)
            #expect((requests["m-05"] ?? 0) >= 2 && (requests["m-15"] ?? 0) >= 2 && (requests["m-02"] ?? 0) >= 2, "\(requests.sorted { $0.key < $1.key })")
            #expect(try await store.outbox(status: .dead, limit: 100).allSatisfy { $0.attempts == 4 && $0.lastError == "HTTP 500" })
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

/// Stored campaigns run live: the runner replays the history and puts what became due in the outbox.
@Suite struct CampaignRunnerTests {
    @Test("a stored cart-recovery campaign turns an abandoned cart into one outbox message, once, on both databases; paused, it sends nothing", arguments: StoreBackend.testable)
    func live(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        let store = server.store
        let definition = #"{"id": "cart-recovery", "priority": 70, "holdout": 0, "trigger": {"type": "event", "event": "add_to_cart", "not_followed_by": "order", "within": "4h"}, "steps": [{"message": {"channel": "push", "template": "cart-reminder"}}]}"#
        #expect(try await CampaignRegistry.apply([.init(data: Data(definition.utf8))], to: store) == ["cart-recovery"])
        await #expect(throws: CampaignDefinitionError.self) {
            try await CampaignRegistry.apply([.init(data: Data(#"{"id": "x", "trigger": {"type": "nope"}, "steps": []}"#.utf8))], to: store)
        }
        #expect(try await CampaignRegistry.campaigns(in: store).map(\.id) == ["cart-recovery"])
        // 1001 consents to push, and leaves a cart at 10:00 on 2024-07-10; 1002 does too but orders at 11:00.
        let events = [
            CustomerEvent(id: "k-1", customerID: "1001", occurredAt: utc(2024, 7, 1), payload: .consent(channel: "push", granted: true)),
            CustomerEvent(id: "k-2", customerID: "1001", occurredAt: utc(2024, 7, 10, 10), payload: .addToCart(sku: "MUG-01", quantity: 1)),
            CustomerEvent(id: "k-3", customerID: "1002", occurredAt: utc(2024, 7, 1), payload: .consent(channel: "push", granted: true)),
            CustomerEvent(id: "k-4", customerID: "1002", occurredAt: utc(2024, 7, 10, 10), payload: .addToCart(sku: "MUG-01", quantity: 1)),
            // 1003 leaves a cart too but never consented to push.
            CustomerEvent(id: "k-6", customerID: "1003", occurredAt: utc(2024, 7, 10, 10), payload: .addToCart(sku: "MUG-01", quantity: 1)),
        ]
        _ = try await store.record(events, receivedAt: utc(2024, 7, 10, 10))
        let line = OrderLine(sku: "MUG-01", quantity: 1, unitPriceMillis: 20_000, amountMinor: 2_000)
        let order = Order(id: "K-1", customerID: "1002", placedAt: utc(2024, 7, 10, 11), kind: .purchase, currency: Currency("GBP"), lines: [line])
        _ = try await store.record([CustomerEvent(id: "k-5", customerID: "1002", occurredAt: utc(2024, 7, 10, 11), payload: .order(order, couponCode: "SUMMER-5"))],
                                   receivedAt: utc(2024, 7, 10, 11))
        // The whole-store history reads the replay uses: orders with coupon and skus, other events oldest first.
        let records = try await store.orderRecords()
        #expect(records["1002"]?.first?.skus == ["TEA-01"] && records["1002"]?.last == OrderRecord(id: "K-1", placedAt: utc(2024, 7, 10, 11), kind: .purchase, amountMinor: 2_000, couponCode: "SUMMER-5", skus: ["MUG-01"]))
        let others = try await store.otherEvents()
        #expect(others["1001"]?.map(\.type) == ["consent", "add_to_cart"] && others["1002"]?.count == 2 && others["1003"]?.count == 1)
        let runner = CampaignRunner(store: store)
        // The first tick only sets the cursor: campaigns do not act on the past.
        let first = try await runner.tick(now: utc(2024, 7, 10, 13))
        #expect(first.due == 0 && first.enqueued == 0)
        // By 15:00 the reminder for 1001 (due at 14:00) is in the outbox; 1002 ordered.
        let tick = try await runner.tick(now: utc(2024, 7, 10, 15))
        #expect(tick.due == 1 && tick.enqueued == 1)
        // Every decision is on record with its reason: 1001 entered and was sent the reminder; 1003 entered
        // and was suppressed for consent.
        #expect(tick.decisions == 4)
        let decided = try await store.decisions(DecisionQuery(campaignID: "cart-recovery"))
        let due = utc(2024, 7, 10, 14)
        #expect(Set(decided.map { "\($0.customerID) \($0.step.map(String.init) ?? "entry") \($0.outcome) \($0.reason ?? "-") \($0.action ?? "-") \($0.channel ?? "-")" })
                == ["1001 entry entered - - -", "1001 0 sent - message push", "1003 entry entered - - -", "1003 0 suppressed consent message push"])
        #expect(decided.allSatisfy { $0.decidedAt == due && $0.recordedAt == utc(2024, 7, 10, 15) })
        #expect(decided.first { $0.outcome == "sent" }?.id == "cart-recovery:1001:0:\(due)", "a sent decision has its outbox message's id")
        let suppressed = try await store.decisions(DecisionQuery(customerID: "1003", outcome: "suppressed"))
        #expect(suppressed.map(\.reason) == ["consent"])
        #expect(try await store.decisions(DecisionQuery(campaignID: "cart-recovery", limit: 1)).count == 1)
        let outbox = try await store.outbox(status: nil, limit: 10)
        #expect(outbox.map(\.id) == ["cart-recovery:1001:0:\(utc(2024, 7, 10, 14))"] && outbox.first?.channel == "push")
        let queued = try #require(outbox.first)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(queued.payload.utf8)) as? [String: Any])
        #expect(payload["template"] as? String == "cart-reminder" && payload["customer_id"] as? String == "1001")
        // A later tick adds nothing; replaying the same window again adds nothing either (same ids).
        #expect(try await runner.tick(now: utc(2024, 7, 10, 16)).enqueued == 0)
        try await setCampaignCursor(store, utc(2024, 7, 10, 13))
        let again = try await runner.tick(now: utc(2024, 7, 10, 16))
        #expect(again.due == 1 && again.enqueued == 0 && again.decisions == 0, "a replay records nothing twice")
        // A tag step adds the tag in the store, once.
        let tagging = #"{"id": "cart-tag", "holdout": 0, "trigger": {"type": "event", "event": "add_to_cart"}, "steps": [{"tag": "left-a-cart"}]}"#
        _ = try await CampaignRegistry.apply([.init(data: Data(tagging.utf8))], to: store)
        try await setCampaignCursor(store, utc(2024, 7, 10, 9))
        let tagged = try await runner.tick(now: utc(2024, 7, 10, 16))
        #expect(tagged.tags == 3)
        let (tags1001, tags1002) = (try await store.tags(ofCustomer: "1001"), try await store.tags(ofCustomer: "1002"))
        #expect(tags1001 == ["left-a-cart"] && tags1002 == ["left-a-cart"])
        try await setCampaignCursor(store, utc(2024, 7, 10, 9))
        #expect(try await runner.tick(now: utc(2024, 7, 10, 16)).tags == 0)
        #expect(try await CampaignRegistry.setActive("cart-tag", false, in: store))
        // Paused: nothing is due.
        #expect(try await CampaignRegistry.setActive("cart-recovery", false, in: store))
        try await setCampaignCursor(store, utc(2024, 7, 10, 13))
        #expect(try await runner.tick(now: utc(2024, 7, 10, 17)).due == 0)
    }

    @Test("a profile event's birthday and time zone reach the replay: the birthday campaign tags the customer as their month begins", arguments: StoreBackend.testable)
    func birthday(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        let store = server.store
        _ = try await store.record([
            CustomerEvent(id: "p-1", customerID: "1001", occurredAt: utc(2024, 7, 1), payload: .profile(birthMonth: 9, birthDay: 2, timeZone: "Europe/Paris")),
            CustomerEvent(id: "p-2", customerID: "1001", occurredAt: utc(2024, 7, 20), payload: .profile(birthMonth: 8, birthDay: 17, timeZone: "Asia/Shanghai")),
        ], receivedAt: utc(2024, 7, 20))
        let table = try #require(try await store.loadTransactions())
        let histories = try await CampaignHistoryLoader.load(store, table: table)
        let history = try #require(histories.first { $0.id == "1001" })
        #expect(history.birthMonth == 8 && history.timeZone == "Asia/Shanghai", "the latest profile wins")
        #expect(histories.first { $0.id == "1002" }?.birthMonth == nil)
        let definition = #"{"id": "birthday", "holdout": 0, "trigger": {"type": "birthday_month"}, "steps": [{"tag": "birthday-month"}]}"#
        _ = try await CampaignRegistry.apply([.init(data: Data(definition.utf8))], to: store)
        try await setCampaignCursor(store, utc(2024, 7, 30))
        let tick = try await CampaignRunner(store: store).tick(now: utc(2024, 8, 2))
        #expect(tick.tags == 1 && tick.decisions == 2)
        #expect(try await store.tags(ofCustomer: "1001") == ["birthday-month"])
        let entry = try #require(try await store.decisions(DecisionQuery(campaignID: "birthday", outcome: "entered")).first)
        #expect(entry.customerID == "1001" && entry.decidedAt >= utc(2024, 7, 31) && entry.decidedAt <= utc(2024, 8, 1))
    }

    @Test("a journey longer than the 60-day lookback is still followed: a tag after a 70-day wait is added when due")
    func longJourney() async throws {
        let server = try await ServerEventTests.handServer()
        let store = server.store
        _ = try await store.record([CustomerEvent(id: "l-1", customerID: "1001", occurredAt: utc(2024, 7, 10, 10), payload: .addToCart(sku: "MUG-01", quantity: 1))],
                                   receivedAt: utc(2024, 7, 10, 10))
        let definition = #"{"id": "slow", "holdout": 0, "trigger": {"type": "event", "event": "add_to_cart"}, "steps": [{"wait": "10w"}, {"tag": "ten-weeks-on"}]}"#
        _ = try await CampaignRegistry.apply([.init(data: Data(definition.utf8))], to: store)
        #expect(try await CampaignRegistry.campaigns(in: store).first?.longestJourney == .days(70))
        // Due at 2024-09-18 10:00, 70 days after the cart.
        try await setCampaignCursor(store, utc(2024, 9, 18))
        let tick = try await CampaignRunner(store: store, lookbackDays: 60).tick(now: utc(2024, 9, 19))
        #expect(tick.tags == 1 && tick.due == 1)
        #expect(try await store.tags(ofCustomer: "1001") == ["ten-weeks-on"])
    }
}
