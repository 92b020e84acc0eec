import Foundation
import PerennialCore
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// Writers beside each other on one database: event batches from this process while another process
/// (the `perennial` CLI) writes keys, and settings written from this process. Every write must succeed
/// and every acknowledged write must be there afterwards.
@Suite struct ConcurrentWriteTests {
    static func events(batch: Int, size: Int, at start: Int64) -> [CustomerEvent] {
        (0..<size).map { i in
            let n = batch * size + i
            return CustomerEvent(id: "b\(batch)-\(i)", customerID: "c\(n % 97)", occurredAt: start + Int64(n), payload: .pageView(url: "/p/\(n)"))
        }
    }

    @Test("event batches keep committing while another process creates and revokes keys on the same database", arguments: StoreBackend.testable)
    func cliBesideIngest(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let store = try await openTestStore(location, durable: true)
        // A store with a currency, as every store with orders has: the writer reads it on every batch.
        try await store.setSetting("currency", "GBP")
        let start = utc(2024, 6, 1)
        let batches = 60, size = 50
        async let cli = offPool { () -> [CommandLineTests.Run] in
            var runs: [CommandLineTests.Run] = []
            for i in 0..<4 {
                runs.append(try CommandLineTests.run(["keys", "create", "--role", "analyst", "--label", "cli-\(i)", "--db", location, "--json"], in: directory.url))
            }
            return runs
        }
        var failures: [String] = []
        var accepted = 0
        for batch in 0..<batches {
            do {
                let report = try await store.record(Self.events(batch: batch, size: size, at: start), receivedAt: start + 86_400)
                accepted += report.outcomes.filter { $0 == .accepted }.count
            } catch {
                failures.append("batch \(batch): \(error)")
            }
            if batch % 10 == 0 { try await store.setSetting("probe", "\(batch)") }
        }
        let runs = try await cli
        for run in runs { #expect(run.status == 0, "\(run.stderr)") }
        // Every batch after the other process's writes still commits (a read snapshot left open used to
        // fail them all with SQLITE_BUSY until a restart).
        let after = try await store.record(Self.events(batch: batches, size: size, at: start), receivedAt: start + 86_400)
        accepted += after.outcomes.filter { $0 == .accepted }.count
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(accepted == (batches + 1) * size)
        #expect(try await store.eventCount() == (batches + 1) * size)
        #expect(try await store.keys().compactMap(\.label).sorted() == ["cli-0", "cli-1", "cli-2", "cli-3"])
        #expect(try await store.setting("probe") == "50")
        // The key this process revokes is revoked, the others are not.
        let first = try #require(try await store.keys().first { $0.label == "cli-0" })
        #expect(try await store.revokeKey(id: first.id, at: start + 2 * 86_400))
        #expect(try await store.keys().filter { $0.revokedAt != nil }.map(\.label) == ["cli-0"])
    }

    @Test("the SQLite write-ahead log stays bounded under a steady ingest while a reader keeps reading")
    func walBounded() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.db")
        let store = try SQLiteOrderStore(path: path, durable: false)
        try await store.setSetting("currency", "GBP")
        let start = utc(2024, 6, 1)
        // About 1,500 events of ~2 KB each: 3 MB of events a round, 40 rounds; a reader runs between batches.
        let body = String(repeating: "x", count: 2_000)
        for batch in 0..<40 {
            let events = (0..<1_500).map { i in
                CustomerEvent(id: "w\(batch)-\(i)", customerID: "c\(i % 50)", occurredAt: start + Int64(batch * 1_500 + i),
                              payload: .pageView(url: "/\(body)/\(i)"))
            }
            _ = try await store.record(events, receivedAt: start + 86_400)
            _ = try await store.orderFacts(ofCustomers: ["c1", "c2"])
            _ = try await store.recentEvents(ofCustomer: "c3", limit: 5)
        }
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        let main = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        // 120 MB went through the log; the writer truncates it past 64 MiB, so it never holds it all.
        #expect(main > 100_000_000)
        #expect(wal <= 80 * 1_048_576, "WAL is \(wal) bytes")
    }
}
