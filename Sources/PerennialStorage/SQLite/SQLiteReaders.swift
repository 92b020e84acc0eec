import Dispatch
import Foundation

/// Read connections to a SQLite file, used off Swift's cooperative pool: each read runs on a thread of
/// a concurrent `DispatchQueue` (a read can block on the disk), on a connection it holds alone. Up to
/// ``limit`` reads run at once, each on its own connection, opened as needed and kept.
final class SQLiteReaders: @unchecked Sendable {
    /// Reads that may run at once.
    static let limit = 4

    private let path: String
    private let lock = NSLock()
    private var idle: [SQLiteDatabase] = []
    private let slots = DispatchSemaphore(value: SQLiteReaders.limit)
    private let queue = DispatchQueue(label: "perennial.sqlite.readers", attributes: .concurrent)

    init(path: String) {
        self.path = path
    }

    /// Runs `body` with a read connection on a reader thread.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                self.slots.wait()
                defer { self.slots.signal() }
                continuation.resume(with: Result {
                    let connection = try self.take()
                    defer { self.lock.withLock { self.idle.append(connection) } }
                    return try body(connection)
                })
            }
        }
    }

    private func take() throws -> SQLiteDatabase {
        if let connection = lock.withLock({ idle.popLast() }) { return connection }
        let connection = try SQLiteDatabase(path: path)
        try connection.execute("PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY; PRAGMA query_only = ON;")
        return connection
    }
}
