import Foundation
import PerennialCore

extension OrderFileReader {
    /// Reads the file in batches on a thread of its own while `write` stores the batches already read, so
    /// parsing and storing run on two cores; at most four batches wait in between.
    ///
    /// - Parameters:
    ///   - batchSize: valid lines per batch.
    ///   - progress: called from the reading thread about every 65,536 rows.
    ///   - write: stores one batch; an error it throws stops the read and is rethrown.
    /// - Returns: the read's summary.
    public func pipeline(batchSize: Int = 8_192, progress: (@Sendable (ImportProgress) -> Void)? = nil,
                         write: ([OrderLineRecord]) async throws -> Void) async throws -> ImportSummary {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: [OrderLineRecord].self)
        // Created at 0 and raised to 4: libdispatch traps when a semaphore is released below its initial
        // value, which the reading thread's last wait leaves it at.
        let slots = DispatchSemaphore(value: 0)
        for _ in 0..<4 { slots.signal() }
        let stop = StopFlag()
        nonisolated(unsafe) let reader = self
        let thread = Thread {
            var batch: [OrderLineRecord] = []
            do {
                while true {
                    slots.wait()
                    if stop.isSet { break }
                    guard try reader.nextBatch(into: &batch, limit: batchSize, progress: progress) else { break }
                    continuation.yield(batch)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "perennial-import-reader"
        thread.start()
        do {
            for try await batch in stream {
                try await write(batch)
                slots.signal()
            }
        } catch {
            // Wake the reading thread whatever it is waiting for; it sees the flag and ends.
            stop.set()
            for _ in 0..<8 { slots.signal() }
            throw error
        }
        return summary
    }
}

/// A flag one thread sets and another reads, ordered by the semaphore signal that follows the set.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}
