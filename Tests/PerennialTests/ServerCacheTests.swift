import Foundation
import Hummingbird
import HummingbirdTesting
import PerennialCore
import PerennialRecommendations
import PerennialModels
import PerennialServer
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// The profile cache under a read that spans a live update.
@Suite struct ServerCacheTests {
    /// The real SQLite store, with a gate that can hold the next `recentEvents` read until released:
    /// what a slow read looks like to the index.
    final class GatedStore: PerennialStore, @unchecked Sendable {
        let base: any PerennialStore
        private let lock = NSLock()
        private var armed = false
        private var entered: CheckedContinuation<Void, Never>?
        private var held: CheckedContinuation<Void, Never>?

        init(_ base: any PerennialStore) { self.base = base }

        /// Makes the next `recentEvents` call wait for ``release()``.
        func arm() { lock.withLock { armed = true } }

        /// Returns once the armed call is waiting.
        func waitUntilHeld() async {
            await withCheckedContinuation { continuation in
                let already = lock.withLock { () -> Bool in
                    if held != nil { return true }
                    entered = continuation
                    return false
                }
                if already { continuation.resume() }
            }
        }

        /// Lets the held read go on.
        func release() {
            let continuation = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                defer { held = nil }
                return held
            }
            continuation?.resume()
        }

        func recentEvents(ofCustomer id: String, limit: Int) async throws -> [StoredEvent] {
            let hold = lock.withLock { () -> Bool in
                defer { armed = false }
                return armed
            }
            if hold {
                await withCheckedContinuation { continuation in
                    let signal = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                        held = continuation
                        defer { entered = nil }
                        return entered
                    }
                    signal?.resume()
                }
            }
            return try await base.recentEvents(ofCustomer: id, limit: limit)
        }

        func beginImport(source: String, format: String) async throws -> any OrderImportSession { try await base.beginImport(source: source, format: format) }
        func loadTransactions() async throws -> TransactionTable? { try await base.loadTransactions() }
        func orders(ofCustomer id: String) async throws -> [Order] { try await base.orders(ofCustomer: id) }
        func acquisitionChannels() async throws -> [String: String] { try await base.acquisitionChannels() }
        func customerExists(_ id: String) async throws -> Bool { try await base.customerExists(id) }
        func statistics() async throws -> StoreStatistics { try await base.statistics() }
        func setting(_ key: String) async throws -> String? { try await base.setting(key) }
        func setSetting(_ key: String, _ value: String) async throws { try await base.setSetting(key, value) }
        func saveModel(_ model: FittedModel, fittedAt: Int64, holdout: HoldoutReport?) async throws {
            try await base.saveModel(model, fittedAt: fittedAt, holdout: holdout)
        }
        func latestModelRecord() async throws -> ModelRecord? { try await base.latestModelRecord() }
        func record(_ events: [CustomerEvent], receivedAt: Int64) async throws -> EventWriteReport { try await base.record(events, receivedAt: receivedAt) }
        func orderFacts(ofCustomers ids: [String]) async throws -> [String: [OrderFact]] { try await base.orderFacts(ofCustomers: ids) }
        func tags(ofCustomer id: String) async throws -> [String] { try await base.tags(ofCustomer: id) }
        func addTags(_ tags: [CustomerTag], at instant: Int64) async throws -> Int { try await base.addTags(tags, at: instant) }
        func saveKey(_ key: StoredAPIKey) async throws { try await base.saveKey(key) }
        func key(id: String) async throws -> StoredAPIKey? { try await base.key(id: id) }
        func keys() async throws -> [StoredAPIKey] { try await base.keys() }
        func revokeKey(id: String, at instant: Int64) async throws -> Bool { try await base.revokeKey(id: id, at: instant) }
        func enqueue(_ messages: [OutboxMessage]) async throws -> Int { try await base.enqueue(messages) }
        func dueMessages(now: Int64, limit: Int) async throws -> [OutboxMessage] { try await base.dueMessages(now: now, limit: limit) }
        func markDelivered(id: String, attempts: Int, at: Int64) async throws { try await base.markDelivered(id: id, attempts: attempts, at: at) }
        func markFailed(id: String, attempts: Int, nextAttemptAt: Int64, error: String, dead: Bool) async throws {
            try await base.markFailed(id: id, attempts: attempts, nextAttemptAt: nextAttemptAt, error: error, dead: dead)
        }
        func outbox(status: OutboxStatus?, limit: Int) async throws -> [OutboxMessage] { try await base.outbox(status: status, limit: limit) }
        func retryDead(id: String, now: Int64) async throws -> Bool { try await base.retryDead(id: id, now: now) }
        func outboxCounts() async throws -> [OutboxStatus: Int] { try await base.outboxCounts() }
        func orderRecords() async throws -> [String: [OrderRecord]] { try await base.orderRecords() }
        func otherEvents() async throws -> [String: [StoredEvent]] { try await base.otherEvents() }
        func recordDecisions(_ records: [DecisionRecord]) async throws -> Int { try await base.recordDecisions(records) }
        func decisions(_ query: DecisionQuery) async throws -> [DecisionRecord] { try await base.decisions(query) }
        func purchaseLines() async throws -> [Purchase] { try await base.purchaseLines() }
        func products() async throws -> [Product] { try await base.products() }
        func saveRecommender(_ model: StoredRecommender) async throws { try await base.saveRecommender(model) }
        func latestRecommender() async throws -> StoredRecommender? { try await base.latestRecommender() }
        func storedCampaigns() async throws -> [StoredCampaign] { try await base.storedCampaigns() }
        func saveCampaigns(_ campaigns: [StoredCampaign], at instant: Int64) async throws { try await base.saveCampaigns(campaigns, at: instant) }
        func setCampaignActive(id: String, active: Bool, at instant: Int64) async throws -> Bool {
            try await base.setCampaignActive(id: id, active: active, at: instant)
        }
        func campaignCursor() async throws -> Int64? { try await base.campaignCursor() }
        func advanceCampaignCursor(to instant: Int64) async throws { try await base.advanceCampaignCursor(to: instant) }
        func savedThresholds() async throws -> String? { try await base.savedThresholds() }
        func saveThresholds(_ rules: String, at instant: Int64) async throws { try await base.saveThresholds(rules, at: instant) }
        func alertStates() async throws -> [String: String] { try await base.alertStates() }
        func saveAlertStates(_ states: [String: String], at instant: Int64) async throws { try await base.saveAlertStates(states, at: instant) }
        func sessionSecret(proposing candidate: String, at instant: Int64) async throws -> String {
            try await base.sessionSecret(proposing: candidate, at: instant)
        }
        func saveSession(tokenHash: String, keyID: String, createdAt: Int64, expiresAt: Int64) async throws {
            try await base.saveSession(tokenHash: tokenHash, keyID: keyID, createdAt: createdAt, expiresAt: expiresAt)
        }
        func sessionKey(tokenHash: String, now: Int64) async throws -> String? { try await base.sessionKey(tokenHash: tokenHash, now: now) }
        func endSession(tokenHash: String, now: Int64) async throws { try await base.endSession(tokenHash: tokenHash, now: now) }
    }

    @Test("a read that waits across a live update serves the old profile once and never caches it")
    func staleRead() async throws {
        let hand = try await ServerEventTests.handServer()
        let store = GatedStore(hand.store)
        let index = ProfileIndex(store: store, options: AnalysisOptions(asOf: HandFixtureTests.asOf))
        try await index.refresh()
        var configuration = ServerConfiguration()
        configuration.port = 0
        let app = await PerennialApplication.make(index: index, configuration: configuration)
        try await app.test(.live) { client in
            // 1004 has one order (hand_store.md). A read of 1004 stops inside its events query …
            store.arm()
            let slowRead = Task { try await ServerEventTests.get(client, "/v1/customers/1004", key: hand.admin).1["orders"] as? Int }
            await store.waitUntilHeld()
            // … while an order for 1004 is committed and applied.
            let line = OrderLine(sku: "KET-01", quantity: 1, unitPriceMillis: 40_000, amountMinor: 4_000)
            let order = Order(id: "G-1", customerID: "1004", placedAt: utc(2024, 6, 20), kind: .purchase, currency: Currency("GBP"), lines: [line])
            let report = try await store.record([CustomerEvent(id: "g-1", customerID: "1004", occurredAt: utc(2024, 6, 20),
                                                               payload: .order(order, couponCode: nil))], receivedAt: utc(2024, 6, 21))
            await index.enqueue(report.customers)
            await index.settle()
            store.release()
            let old = try await slowRead.value
            #expect(old == 1)
            // The next read shows the order: the slow read's body was not cached.
            let (_, fresh) = try await ServerEventTests.get(client, "/v1/customers/1004", key: hand.admin)
            #expect(fresh["orders"] as? Int == 2)
        }
    }
}
