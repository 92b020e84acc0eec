import Foundation
import PerennialCore
import PerennialIngestion
@testable import PerennialStorage
import PerennialTestSupport
import Testing

@Suite struct SQLiteStoreTests {
    /// Imports a file into a store and returns what was stored.
    static func importFile(_ path: String, format: OrderFormat, into store: SQLiteOrderStore) async throws -> ImportCounts {
        let reader = try OrderFileReader(path: path, options: ImportOptions(format: format, quarantinePath: "/dev/null"))
        let session = try await store.beginImport(source: path, format: format.rawValue)
        var batch: [OrderLineRecord] = []
        while try reader.nextBatch(into: &batch, limit: 7) { try await session.write(batch) }
        if let code = reader.summary.currency, try await store.setting("currency") == nil { try await store.setSetting("currency", code) }
        return try await session.finish()
    }

    @Test("a real SQLite file: import, re-import changes nothing, reload gives the same analysis")
    func roundTrip() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("perennial.db")
        let store = try SQLiteOrderStore(path: path)
        #expect(try store.schemaVersion() == 3)
        let first = try await Self.importFile(Fixtures.path("hand_store.csv"), format: .generic, into: store)
        // 32 lines in 29 orders (S018, C023 and S028 have two lines), 10 customers, 12 skus.
        #expect(first.linesInserted == 32 && first.linesUnchanged == 0)
        #expect(first.ordersInserted == 29 && first.customersInserted == 10 && first.productsInserted == 12)

        let again = try await Self.importFile(Fixtures.path("hand_store.csv"), format: .generic, into: store)
        #expect(again.linesInserted == 0 && again.linesUnchanged == 32 && again.ordersInserted == 0)
        let stats = try await store.statistics()
        #expect(stats.orders == 29 && stats.lines == 32 && stats.customers == 10 && stats.products == 12 && stats.imports == 2)

        // A second connection to the same file sees the same rows.
        let reopened = try SQLiteOrderStore(path: path)
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

    @Test("Online Retail imported twice into SQLite keeps the same counts")
    func onlineRetailTwice() async throws {
        guard let path = SharedDatasets.path("online_retail.csv.gz") else {
            print("skipped: ../shared/datasets/online_retail.csv.gz is absent")
            return
        }
        let directory = try TemporaryDirectory()
        let store = try SQLiteOrderStore(path: directory.path("retail.db"))
        let first = try await Self.importFile(path, format: .onlineRetail, into: store)
        #expect(first.linesInserted == 541_909 && first.ordersInserted == 25_900 && first.customersInserted == 4_372)
        let second = try await Self.importFile(path, format: .onlineRetail, into: store)
        #expect(second.linesInserted == 0 && second.linesUnchanged == 541_909 && second.ordersInserted == 0)
        let stats = try await store.statistics()
        #expect(stats.lines == 541_909 && stats.orders == 25_900 && stats.customers == 4_372 && stats.products == 4_070)
        let table = try #require(try await store.loadTransactions())
        #expect(table.orderAmount.reduce(0, +) == 974_774_793)
        #expect(try store.ordersWithWrongTotals() == 0)
    }

    @Test("order totals follow their stored lines: split orders, a re-import with one more line")
    func orderTotals() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteOrderStore(path: directory.path("totals.db"))
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
        #expect(try store.ordersWithWrongTotals() == 0)
    }

    @Test("a file that is not a database gives an error that names it")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("not.db", String(repeating: "this is not sqlite\n", count: 200))
        let error = #expect(throws: StorageError.self) { _ = try SQLiteOrderStore(path: path) }
        #expect(error?.description.contains("not a database") == true)
    }
}
