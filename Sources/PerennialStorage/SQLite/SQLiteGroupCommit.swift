import Dispatch
import Foundation
import PerennialCore

/// Commits event batches that arrive together in one transaction (group commit).
///
/// Batches wait in a queue; one writer, on its own thread (a commit blocks on `fsync`, which must not
/// hold a thread of Swift's cooperative pool), takes every waiting batch, writes each inside its own
/// savepoint (a batch that fails is rolled back alone and gets its error), commits once, and only then
/// answers every batch. Each batch is decided after the ones before it, exactly as if committed one by
/// one, and no batch is answered before its commit is durable; the commit's page writes and sync are
/// shared by the group.
final class SQLiteGroupCommit: @unchecked Sendable {
    private struct Waiting {
        var events: [CustomerEvent]
        var receivedAt: Int64
        var continuation: CheckedContinuation<EventWriteReport, any Error>
    }

    private let database: SQLiteDatabase
    /// Created by the first group, used only on the commit thread.
    private var writer: SQLiteEventWriter?
    private let lock = NSLock()
    private var waiting: [Waiting] = []
    private var running = false
    private let queue = DispatchQueue(label: "perennial.sqlite.group-commit")

    init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Writes a batch with whatever other batches are waiting, and returns once it is committed.
    func record(_ events: [CustomerEvent], receivedAt: Int64) async throws -> EventWriteReport {
        try await withCheckedThrowingContinuation { continuation in
            let start = lock.withLock {
                waiting.append(Waiting(events: events, receivedAt: receivedAt, continuation: continuation))
                defer { running = true }
                return !running
            }
            if start { queue.async { self.drain() } }
        }
    }

    /// Runs other writes in a transaction of their own on the commit thread, between groups, so that
    /// they never land inside a group's transaction (and its savepoints) on the shared connection.
    func perform<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    try self.database.execute("BEGIN IMMEDIATE")
                    let value = try body(self.database)
                    try self.database.execute("COMMIT")
                    continuation.resume(returning: value)
                } catch {
                    try? self.database.execute("ROLLBACK")
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private func drain() {
        while true {
            let group: [Waiting] = lock.withLock {
                let taken = waiting
                waiting = []
                if taken.isEmpty { running = false }
                return taken
            }
            if group.isEmpty { return }
            commit(group)
        }
    }

    private func commit(_ group: [Waiting]) {
        var results: [Result<EventWriteReport, any Error>] = []
        do {
            let writer = try self.writer ?? SQLiteEventWriter(database: database)
            self.writer = writer
            try database.execute("BEGIN IMMEDIATE")
            for batch in group {
                do {
                    try database.execute("SAVEPOINT batch")
                    let report = try writer.record(batch.events, receivedAt: batch.receivedAt)
                    try database.execute("RELEASE batch")
                    results.append(.success(report))
                } catch {
                    try? database.execute("ROLLBACK TO batch; RELEASE batch")
                    results.append(.failure(error))
                }
            }
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            for batch in group { batch.continuation.resume(throwing: error) }
            return
        }
        for (batch, result) in zip(group, results) { batch.continuation.resume(with: result) }
    }
}
