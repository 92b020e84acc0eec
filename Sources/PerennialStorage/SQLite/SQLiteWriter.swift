import Dispatch
import Foundation
import PerennialCore
import VaporCSQLite

/// The one writer of a SQLite file in this process: every write (event batches, settings, keys, models,
/// campaigns, the outbox, imports) runs on its own thread, one transaction at a time, on the only
/// connection that may write.
///
/// Event batches that arrive together share one transaction (group commit): the writer takes every
/// waiting batch, writes each inside its own savepoint (a batch that fails is rolled back alone and gets
/// its error), commits once, and only then answers every batch. Each batch is decided after the ones
/// before it, exactly as if committed one by one, and no batch is answered before its commit is
/// durable. Other writes (``perform(_:)``) run between groups in a transaction of their own, so they
/// never land inside a group's transaction, and their caller hears back only after the commit.
///
/// A commit blocks on `fsync`, which must not hold a thread of Swift's cooperative pool: the thread is
/// a `DispatchQueue`'s. Another process writing the same file (a CLI beside the server) is waited for:
/// `BEGIN IMMEDIATE` retries while the file is locked, up to ``busyLimit``. Every ``checkpointEvery``
/// commits the writer checks the write-ahead log and, once it passes ``walLimitPages``, checkpoints and
/// truncates it (without waiting on readers), so it stays bounded under a steady ingest.
final class SQLiteWriter: @unchecked Sendable {
    private struct Waiting {
        var events: [CustomerEvent]
        var receivedAt: Int64
        var continuation: CheckedContinuation<EventWriteReport, any Error>
    }

    /// How long a write waits for another process's lock before it fails.
    static let busyLimit: Duration = .seconds(60)
    /// The log size, in pages, past which the writer checkpoints and truncates it (16,384 pages of 4 KiB:
    /// 64 MiB).
    static let walLimitPages: Int32 = 16_384
    /// Commits between checks of the log's size (SQLite's own automatic checkpoint runs meanwhile).
    static let checkpointEvery = 64

    private let database: SQLiteDatabase
    /// Created by the first group, used only on the writer's thread.
    private var eventWriter: SQLiteEventWriter?
    private let lock = NSLock()
    private var waiting: [Waiting] = []
    private var running = false
    /// Commits since the log's size was last checked (writer's thread only).
    private var commitsSinceCheck = 0
    private let queue = DispatchQueue(label: "perennial.sqlite.writer")

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

    /// Runs `body` in a transaction of its own on the writer's thread and returns once it is committed
    /// (rolled back, and the error thrown, when `body` throws).
    func perform<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.inTransaction { try body(self.database) } })
            }
        }
    }

    /// Runs `body` in a transaction on the writer's thread, synchronously (opening the store).
    func performNow<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try queue.sync { try inTransaction { try body(database) } }
    }

    private func inTransaction<T>(_ body: () throws -> T) throws -> T {
        try begin()
        do {
            let value = try body()
            try database.execute("COMMIT")
            commitsSinceCheck += 1
            if commitsSinceCheck >= Self.checkpointEvery {
                commitsSinceCheck = 0
                checkpointIfLarge()
            }
            return value
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    /// `BEGIN IMMEDIATE`, retried while another process holds the file's write lock (the busy timeout
    /// waits inside each try).
    private func begin() throws {
        let deadline = ContinuousClock.now + Self.busyLimit
        while true {
            do {
                try database.execute("BEGIN IMMEDIATE")
                return
            } catch let error as StorageError where error.isBusy && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    /// Truncates the write-ahead log when it has grown past ``walLimitPages`` and every reader has moved
    /// past it; a checkpoint that cannot finish now is left for a later commit.
    private func checkpointIfLarge() {
        var logPages: Int32 = 0, checkpointed: Int32 = 0
        let status = sqlite_nio_sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logPages, &checkpointed)
        guard status == SQLITE_OK, logPages > Self.walLimitPages, checkpointed == logPages else { return }
        // Truncating waits for readers through the busy handler: never on the writer's thread.
        sqlite_nio_sqlite3_busy_timeout(database.handle, 0)
        _ = sqlite_nio_sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
        sqlite_nio_sqlite3_busy_timeout(database.handle, SQLiteDatabase.busyMilliseconds)
    }

    /// Commits the waiting batches as one group, then queues itself again behind whatever ``perform(_:)``
    /// work arrived meanwhile, so a steady stream of batches never starves other writes.
    private func drain() {
        let group: [Waiting] = lock.withLock {
            let taken = waiting
            waiting = []
            if taken.isEmpty { running = false }
            return taken
        }
        if group.isEmpty { return }
        commit(group)
        queue.async { self.drain() }
    }

    private func commit(_ group: [Waiting]) {
        var results: [Result<EventWriteReport, any Error>] = []
        do {
            let writer = try self.eventWriter ?? SQLiteEventWriter(database: database)
            self.eventWriter = writer
            try inTransaction {
                for batch in group {
                    do {
                        try database.execute("SAVEPOINT batch")
                        let report = try writer.record(batch.events, receivedAt: batch.receivedAt)
                        try database.execute("RELEASE batch")
                        results.append(.success(report))
                    } catch {
                        // Some errors (a full disk, an I/O error) end the whole transaction: then no later
                        // batch may run outside it, and the group fails together.
                        guard !database.isAutocommit else { throw error }
                        try? database.execute("ROLLBACK TO batch; RELEASE batch")
                        results.append(.failure(error))
                    }
                }
            }
        } catch {
            for batch in group { batch.continuation.resume(throwing: error) }
            return
        }
        for (batch, result) in zip(group, results) { batch.continuation.resume(with: result) }
    }
}
