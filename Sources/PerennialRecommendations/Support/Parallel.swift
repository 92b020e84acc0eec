import Dispatch

/// Runs independent pieces of work on several threads.
enum Parallel {
    /// Calls `body` for `0..<count`, on up to `threads` threads at once (inline when `threads` is 1).
    ///
    /// Callers give each index its own slice of output, so pieces never write the same memory; that is
    /// what makes handing a non-`Sendable` closure to Dispatch sound here.
    static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        guard threads > 1, count > 1 else {
            for index in 0..<count { body(index) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { shared.value($0) }
        }
    }
}

/// A value handed across threads by code that guarantees the accesses do not race.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
