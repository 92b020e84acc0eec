import Foundation
import PerennialCore
@testable import PerennialServer
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// The refresh and live-update rules of the profile index, first as a value with no I/O, then on a real
/// store with refreshes overlapping a stream of orders.
@Suite struct RefreshStateMachineTests {
    typealias Machine = ProfileIndex.StateMachine

    @Test("refreshes serialise, and every request queued behind a running one is served by one next refresh")
    func coalesce() {
        var machine = Machine()
        let r1 = machine.requestRefresh(refit: false, caller: 1)
        #expect(r1)
        let r2 = machine.requestRefresh(refit: false, caller: 2)
        #expect(!r2)
        let r3 = machine.requestRefresh(refit: true, caller: 3)
        #expect(!r3)
        _ = machine.install(ticket: machine.refreshLoading())
        let first = machine.refreshEnded()
        #expect(first.answered == [1])
        #expect(first.nextDriver == 2)
        #expect(first.nextRefit)
        #expect(machine.refreshing)
        let r4 = machine.requestRefresh(refit: false, caller: 4)
        #expect(!r4)
        _ = machine.install(ticket: machine.refreshLoading())
        let second = machine.refreshEnded()
        #expect(second.answered == [2, 3])
        #expect(second.nextDriver == 4 && !second.nextRefit)
        let third = machine.refreshEnded()
        #expect(third.answered == [4] && third.nextDriver == nil)
        #expect(!machine.refreshing)
    }

    @Test("an older snapshot never replaces a newer one")
    func installOrder() {
        var machine = Machine()
        let r5 = machine.install(ticket: 5)
        #expect(r5)
        let r6 = machine.install(ticket: 3)
        #expect(!r6)
        let r7 = machine.install(ticket: 5)
        #expect(!r7)
        let r8 = machine.install(ticket: 6)
        #expect(r8)
        #expect(machine.installedTicket == 6)
    }

    @Test("updates before the first snapshot wait for it instead of being dropped")
    func beforeFirstSnapshot() {
        var machine = Machine()
        let r9 = machine.requestRefresh(refit: false, caller: 1)
        #expect(r9)
        let ticket = machine.refreshLoading()
        let r10 = machine.enqueue(["x": true])
        #expect(!r10)
        let r11 = machine.nextBatch()
        #expect(r11 == nil)
        let r12 = machine.install(ticket: ticket)
        #expect(r12)
        let end = machine.refreshEnded()
        #expect(end.startDrain)
        let batch = machine.nextBatch()
        #expect(batch?.customers == ["x": true])
        let r13 = machine.batchRead(batch!)
        #expect(r13 == ["x"])
        let r14 = machine.nextBatch()
        #expect(r14 == nil)
        #expect(!machine.draining)
    }

    @Test("a batch read before the installed snapshot's table is read again, not applied")
    func staleBatch() {
        var machine = Machine()
        _ = machine.install(ticket: machine.refreshLoading())
        let r15 = machine.enqueue(["x": true])
        #expect(r15)
        let stale = machine.nextBatch()!
        // A refresh loads its table after the batch's read began, and installs first.
        let r16 = machine.requestRefresh(refit: false, caller: 1)
        #expect(r16)
        let r17 = machine.install(ticket: machine.refreshLoading())
        #expect(r17)
        _ = machine.refreshEnded()
        let r18 = machine.batchRead(stale)
        #expect(r18.isEmpty)
        #expect(machine.pending == ["x": true])
        let again = machine.nextBatch()!
        #expect(again.ticket > machine.installedTicket!)
        let r19 = machine.batchRead(again)
        #expect(r19 == ["x"])
    }

    @Test("customers updated while a refresh runs are queued again when its snapshot is installed")
    func touchedDuringRefresh() {
        var machine = Machine()
        _ = machine.install(ticket: machine.refreshLoading())
        let r20 = machine.requestRefresh(refit: false, caller: 1)
        #expect(r20)
        let loading = machine.refreshLoading()
        let r21 = machine.enqueue(["y": true])
        #expect(r21)
        let batch = machine.nextBatch()!
        let r22 = machine.batchRead(batch)
        #expect(r22 == ["y"])
        #expect(machine.touched == ["y"])
        let r23 = machine.nextBatch()
        #expect(r23 == nil)
        let r24 = machine.install(ticket: loading)
        #expect(r24)
        #expect(machine.pending == ["y": true])
        let r25 = machine.refreshEnded()
        #expect(r25.startDrain)
        #expect(machine.touched.isEmpty)
        let next = machine.nextBatch()!
        let r26 = machine.batchRead(next)
        #expect(r26 == ["y"])
    }

    @Test("overlapping refreshes while orders stream in leave every profile with its stored orders", arguments: StoreBackend.testable)
    func noDrift(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let store = try await openTestStore(location, durable: true)
        let start = utc(2024, 1, 1)
        let index = ProfileIndex(store: store, options: AnalysisOptions(asOf: start + 400 * 86_400))
        let customers = 1_000, history = 10_000, rounds = 40
        func order(_ n: Int) -> CustomerEvent {
            let customer = "c\(n % customers)"
            let pence = Int64(500 + (n * 37) % 4_000)
            let line = OrderLine(sku: "s\(n % 7)", quantity: 1, unitPriceMillis: pence * 10, amountMinor: pence)
            let placed = start + Int64(n) * 600
            return CustomerEvent(id: "e\(n)", customerID: customer, occurredAt: placed,
                                 payload: .order(Order(id: "o\(n)", customerID: customer, placedAt: placed, kind: .purchase, currency: Currency("GBP"), lines: [line]), couponCode: nil))
        }
        // A history to make each refresh take a while, then orders streaming in while three callers refresh.
        for batch in 0..<(history / 1_000) { _ = try await store.record((0..<1_000).map { order(batch * 1_000 + $0) }, receivedAt: start + 500 * 86_400) }
        try await index.refresh()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<rounds {
                    let report = try await store.record((0..<25).map { order(history + round * 25 + $0) }, receivedAt: start + 500 * 86_400)
                    await index.enqueue(report.customers)
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            for _ in 0..<3 {
                group.addTask {
                    for _ in 0..<8 { try await index.refresh() }
                }
            }
            try await group.waitForAll()
        }
        await index.settle()
        let snapshot = try #require(await index.current)
        var drifted: [String] = []
        for c in 0..<customers {
            let id = "c\(c)"
            let expected = (0..<(history + rounds * 25)).filter { $0 % customers == c }.count
            let position = try #require(snapshot.positions[id])
            if snapshot.report.profiles[position].summary?.orders != expected { drifted.append(id) }
        }
        #expect(drifted.isEmpty, "\(drifted.count) of \(customers) customers drifted, first \(drifted.prefix(3))")
    }

    @Test("concurrent recommendation requests with no stored model train one model, not one each")
    func singleFlightTraining() async throws {
        let server = try await ServerEventTests.handServer()
        let cache = RecommenderCache(store: server.store)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { try await cache.current() != nil } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
        #expect(await cache.loads == 1)
    }
}
