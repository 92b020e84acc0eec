import Foundation
import PerennialCore
import PerennialIngestion
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// The store protocols on a real SQLite file and a real PostgreSQL server: the same tests, the same
/// numbers.
@Suite struct StoreTests {
    /// Imports a file into a store in batches of `batchSize` lines (small by default, so that orders
    /// straddle batches) and returns what was stored.
    static func importFile(_ path: String, format: OrderFormat, into store: any OrderStore, batchSize: Int = 7) async throws -> ImportCounts {
        let reader = try OrderFileReader(path: path, options: ImportOptions(format: format, quarantinePath: "/dev/null"))
        let session = try await store.beginImport(source: path, format: format.rawValue)
        var batch: [OrderLineRecord] = []
        while try reader.nextBatch(into: &batch, limit: batchSize) { try await session.write(batch) }
        if let code = reader.summary.currency, try await store.setting("currency") == nil { try await store.setSetting("currency", code) }
        return try await session.finish()
    }

    @Test("import, re-import changes nothing, reload gives the same analysis", arguments: StoreBackend.testable)
    func roundTrip(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let path = try backend.newLocation(in: directory)
        let store = try await openTestStore(path)
        #expect(try await store.schemaVersion() == 8)
        let first = try await Self.importFile(Fixtures.path("hand_store.csv"), format: .generic, into: store)
        // 32 lines in 29 orders (S018, C023 and S028 have two lines), 10 customers, 12 skus.
        #expect(first.linesInserted == 32 && first.linesUnchanged == 0)
        #expect(first.ordersInserted == 29 && first.customersInserted == 10 && first.productsInserted == 12)

        let again = try await Self.importFile(Fixtures.path("hand_store.csv"), format: .generic, into: store)
        #expect(again.linesInserted == 0 && again.linesUnchanged == 32 && again.ordersInserted == 0)
        let stats = try await store.statistics()
        #expect(stats.orders == 29 && stats.lines == 32 && stats.customers == 10 && stats.products == 12 && stats.imports == 2)

        // A second connection to the same file sees the same rows.
        let reopened = try await openTestStore(path)
        let table = try #require(try await reopened.loadTransactions())
        #expect(table.currency.code == "GBP")
        let fromStore = LifecycleAnalysis.run(table, options: AnalysisOptions(asOf: utc(2024, 7, 1)))
        let fromFile = try HandFixtureTests.report()
        #expect(fromStore.kpis == fromFile.kpis)
        #expect(fromStore.stages == fromFile.stages)
        #expect(fromStore.segments == fromFile.segments)
        #expect(fromStore.cohorts == fromFile.cohorts)

        let history = try await reopened.orders(ofCustomer: "1009")
        #expect(history.map(\.id) == ["S008", "S018", "R019"])
        #expect(history[1].lines.map(\.sku) == ["MUG-02", "INF-01"] && history[1].amountMinor == 4_000)
        #expect(history[2].kind == .cancellation && history[2].amountMinor == -2_000)
        let known = try await reopened.customerExists("1009")
        let unknown = try await reopened.customerExists("9999")
        #expect(known && !unknown)
    }

    @Test("Online Retail imported twice keeps the same counts", .enabled(if: SharedDatasets.isPresent("online_retail.csv.gz"), "needs online_retail.csv.gz, one of the public datasets (README, Data)"), arguments: StoreBackend.testable)
    func onlineRetailTwice(backend: StoreBackend) async throws {
        let path = try #require(SharedDatasets.path("online_retail.csv.gz"))
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let store = try await openTestStore(location)
        let first = try await Self.importFile(path, format: .onlineRetail, into: store, batchSize: 10_000)
        #expect(first.linesInserted == 541_909 && first.ordersInserted == 25_900 && first.customersInserted == 4_372)
        let second = try await Self.importFile(path, format: .onlineRetail, into: store, batchSize: 10_000)
        #expect(second.linesInserted == 0 && second.linesUnchanged == 541_909 && second.ordersInserted == 0)
        let stats = try await store.statistics()
        #expect(stats.lines == 541_909 && stats.orders == 25_900 && stats.customers == 4_372 && stats.products == 4_070)
        let table = try #require(try await store.loadTransactions())
        #expect(table.orderAmount.reduce(0, +) == 974_774_793)
        #expect(try await store.ordersWithWrongTotals() == 0)
    }

    @Test("order totals follow their stored lines: split orders, a re-import with one more line", arguments: StoreBackend.testable)
    func orderTotals(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let store = try await openTestStore(location)
        let header = "order_id,customer_id,timestamp,sku,quantity,unit_price\n"
        let rows = "A,c1,2024-01-01T10:00:00Z,x,1,10\nB,c2,2024-01-02T10:00:00Z,y,1,5\nA,c1,2024-01-01T10:00:00Z,z,2,3\n"
        let first = try directory.write("first.csv", header + rows)
        let counts = try await Self.importFile(first, format: .generic, into: store)
        #expect(counts.ordersInserted == 2 && counts.linesInserted == 3)
        // A = 10 + 2 × 3 = 16.00, B = 5.00, although A's lines are not next to each other.
        var table = try #require(try await store.loadTransactions())
        #expect(table.orderAmount == [1_600, 500])
        // The same rows plus a third line of A: only that line is new, and A's total grows by 1.00.
        let second = try directory.write("second.csv", header + rows + "A,c1,2024-01-01T10:00:00Z,w,1,1\n")
        let again = try await Self.importFile(second, format: .generic, into: store)
        #expect(again.ordersInserted == 0 && again.linesInserted == 1 && again.linesUnchanged == 3)
        table = try #require(try await store.loadTransactions())
        #expect(table.orderAmount == [1_700, 500])
        #expect(try await store.ordersWithWrongTotals() == 0)
    }

    @Test("events: aliases follow identify, an order placed and cancelled in one batch, a refund, another currency, replays", arguments: StoreBackend.testable)
    func events(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let store = try await openTestStore(location)
        func order(_ id: String, _ customer: String, at instant: Int64, _ orderID: String, currency: String = "GBP") -> CustomerEvent {
            let line = OrderLine(sku: "X", quantity: 2, unitPriceMillis: 5_000, amountMinor: 1_000)
            return CustomerEvent(id: id, customerID: customer, occurredAt: instant, payload: .order(
                Order(id: orderID, customerID: customer, placedAt: instant, kind: .purchase, currency: Currency(currency), lines: [line]), couponCode: nil))
        }
        func identify(_ id: String, _ customer: String, at instant: Int64, _ identifiers: [Identifier]) -> CustomerEvent {
            CustomerEvent(id: id, customerID: customer, occurredAt: instant, payload: .identify(identifiers))
        }
        func labels(_ report: EventWriteReport) -> [String] {
            report.outcomes.map {
                switch $0 {
                case .accepted: "accepted"
                case .duplicate: "duplicate"
                case let .rejected(field, _): "rejected \(field)"
                }
            }
        }
        let view = CustomerEvent(id: "e7", customerID: "u-9", occurredAt: 500, payload: .pageView(url: "/tea"))
        let first = [
            identify("e1", "c1", at: 100, [Identifier(kind: "user_id", value: "u-9"), Identifier(kind: "device_id", value: "d-1")]),
            order("e2", "u-9", at: 200, "A"),
            CustomerEvent(id: "e3", customerID: "d-1", occurredAt: 300, payload: .orderCancelled(orderID: "A", reason: nil)),
            CustomerEvent(id: "e4", customerID: "c1", occurredAt: 400, payload: .refund(orderID: "A", amountMinor: 300, currency: Currency("GBP"), reason: nil)),
            order("e5", "c2", at: 400, "B", currency: "USD"),
            // An older link does not take u-9 from c1.
            identify("e6", "c2", at: 50, [Identifier(kind: "user_id", value: "u-9")]),
            view,
            identify("e1", "c1", at: 100, []),
            CustomerEvent(id: "e8", customerID: "c1", occurredAt: 450, payload: .orderCancelled(orderID: "A", reason: nil)),
        ]
        let report = try await store.record(first, receivedAt: 1_000)
        #expect(labels(report) == ["accepted", "accepted", "accepted", "accepted", "rejected currency", "accepted", "accepted", "duplicate", "duplicate"])
        #expect(report.customers == ["c1": true, "c2": false])
        let history = try await store.orders(ofCustomer: "c1")
        #expect(history.map(\.id) == ["A", "A/cancelled", "A/refund/e4"])
        #expect(history.map(\.amountMinor) == [1_000, -1_000, -300])
        #expect(history.map(\.kind) == [.purchase, .cancellation, .adjustment])
        let recent = try await store.recentEvents(ofCustomer: "c1", limit: 10)
        #expect(recent.map(\.id) == ["e7", "e4", "e3", "e2", "e1"])
        #expect(recent.first?.fieldsJSON == #"{"url":"/tea"}"#)
        #expect(try await store.setting("currency") == "GBP")

        // A newer link moves u-9 to c2; the replayed batch changes nothing.
        let moved = try await store.record([identify("e9", "c2", at: 600, [Identifier(kind: "user_id", value: "u-9")]),
                                            CustomerEvent(id: "e10", customerID: "u-9", occurredAt: 700, payload: .nps(score: 9, comment: nil))],
                                           receivedAt: 1_001)
        #expect(labels(moved) == ["accepted", "accepted"] && moved.customers == ["c2": false])
        let replay = try await store.record(first, receivedAt: 1_002)
        #expect(labels(replay) == ["duplicate", "duplicate", "duplicate", "duplicate", "rejected currency", "duplicate", "duplicate", "duplicate", "duplicate"])
        #expect(replay.customers.isEmpty)
        #expect(try await store.eventCount() == 8)
        #expect(try await store.ordersWithWrongTotals() == 0)
        let stats = try await store.statistics()
        #expect(stats.orders == 3 && stats.lines == 3 && stats.customers == 2 && stats.products == 1)
    }

    @Test("a file that is not a database gives an error that names it")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("not.db", String(repeating: "this is not sqlite\n", count: 200))
        let error = #expect(throws: StorageError.self) { _ = try SQLiteOrderStore(path: path) }
        #expect(error?.description.contains("not a database") == true)
    }
}
