import Foundation

/// Reads a ``ByteSource`` ahead on a thread of its own, so that inflating gzip (or waiting on the disk)
/// runs on one core while the caller parses on another.
///
/// Four 1 MiB chunks circulate between the reading thread and the caller; semaphores hand each one over,
/// which also orders the memory writes. ``close()`` stops the thread early.
final class ReadAhead: @unchecked Sendable {
    let source: ByteSource
    private static let chunkCount = 4
    private let chunkSize: Int
    private let chunks: [UnsafeMutablePointer<UInt8>]
    private let lengths: UnsafeMutablePointer<Int>
    private var failure: (any Error)?
    private let filled = DispatchSemaphore(value: 0)
    // Starts at 0 and is raised to the chunk count in init: libdispatch traps when a semaphore is released
    // below its initial value.
    private let free = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var stopped = false
    private var closed = false
    // The caller's position.
    private var current = 0
    private var offset = 0
    private var holding = false
    private var atEnd = false

    init(source: ByteSource, chunkSize: Int = 1 << 20) {
        self.source = source
        self.chunkSize = chunkSize
        chunks = (0..<ReadAhead.chunkCount).map { _ in UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize) }
        lengths = .allocate(capacity: ReadAhead.chunkCount)
        lengths.initialize(repeating: 0, count: ReadAhead.chunkCount)
        for _ in 0..<ReadAhead.chunkCount { free.signal() }
        let thread = Thread { [self] in produce() }
        thread.name = "perennial-read-ahead"
        thread.start()
    }

    deinit {
        for chunk in chunks { chunk.deallocate() }
        lengths.deallocate()
    }

    private func produce() {
        var index = 0
        while true {
            free.wait()
            if stopped { break }
            var length = 0
            do {
                while length < chunkSize {
                    let n = try source.read(into: chunks[index] + length, count: chunkSize - length)
                    if n == 0 { break }
                    length += n
                }
            } catch {
                failure = error
                length = 0
            }
            lengths[index] = length
            filled.signal()
            if length == 0 { break }
            index = (index + 1) % ReadAhead.chunkCount
        }
        finished.signal()
    }

    /// Copies up to `count` bytes into `buffer`; 0 at the end of the data.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        if atEnd { return 0 }
        if !holding {
            filled.wait()
            holding = true
            offset = 0
        }
        let length = lengths[current]
        if length == 0 {
            atEnd = true
            if let failure { throw failure }
            return 0
        }
        let n = min(count, length - offset)
        buffer.update(from: chunks[current] + offset, count: n)
        offset += n
        if offset == length {
            holding = false
            free.signal()
            current = (current + 1) % ReadAhead.chunkCount
        }
        return n
    }

    /// Stops the reading thread and waits for it; safe to call more than once.
    func close() {
        guard !closed else { return }
        closed = true
        stopped = true
        free.signal()
        finished.wait()
    }
}
