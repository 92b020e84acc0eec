import Dispatch

/// Runs blocking work (a child process, a socket read) on a Dispatch thread and awaits its result, so it
/// never holds one of the few threads of Swift's cooperative pool that every other test needs.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
