import Foundation

/// Slows down guessing: a client (an IP address) that fails to authenticate ``limit`` times within
/// ``window`` is refused (429 with `Retry-After`) until the oldest of those failures leaves the window.
/// An attempt is counted before the key is checked (``begin(_:)``) and refunded when it succeeds
/// (``succeeded(_:)``), so concurrent guesses cannot all slip past the check. Memory stays bounded: at
/// most ``maximumClients`` clients are tracked; past that, those whose last failure is oldest are
/// forgotten first.
public actor FailureLimiter {
    /// Failures allowed per client within the window.
    public let limit: Int
    /// The window, in seconds.
    public let window: Double
    /// The most clients tracked at once.
    public let maximumClients: Int
    private var failures: [String: [Double]] = [:]
    private let clock: @Sendable () -> Double

    /// A limiter; `clock` gives seconds (tests pass their own).
    public init(limit: Int = 10, window: Double = 60, maximumClients: Int = 10_000,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.limit = limit
        self.window = window
        self.maximumClients = maximumClients
        self.clock = clock
    }

    /// Whole seconds until `client` may try again, or `nil` when it may try now.
    public func retryAfter(_ client: String) -> Int? {
        let now = clock()
        let recent = (failures[client] ?? []).filter { $0 > now - window }
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((oldest + window - now).rounded(.up)))
    }

    /// Starts an attempt by `client`: `nil` when it may go on (and it is counted as a failure until
    /// ``succeeded(_:)`` refunds it), else the seconds it must wait.
    public func begin(_ client: String) -> Int? {
        if let wait = retryAfter(client) { return wait }
        recordFailure(client)
        return nil
    }

    /// Refunds the attempt ``begin(_:)`` counted: the key was right.
    public func succeeded(_ client: String) {
        guard var recent = failures[client], !recent.isEmpty else { return }
        recent.removeLast()
        failures[client] = recent.isEmpty ? nil : recent
    }

    /// Records a failed attempt by `client`.
    public func recordFailure(_ client: String) {
        let now = clock()
        var recent = (failures[client] ?? []).filter { $0 > now - window }
        recent.append(now)
        failures[client] = Array(recent.suffix(limit))
        if failures.count > maximumClients {
            failures = failures.filter { $0.value.last.map { $0 > now - window } ?? false }
            if failures.count > maximumClients {
                // Still full of recent failures: forget those whose last failure is oldest.
                let keep = failures.sorted { ($0.value.last ?? 0) > ($1.value.last ?? 0) }.prefix(maximumClients)
                failures = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
            }
        }
    }

    /// The number of clients tracked (tests).
    public var trackedClients: Int { failures.count }
}

extension APIError {
    /// 429 `too_many_attempts`, with the seconds to wait in the message (and in `Retry-After`).
    static func tooManyAttempts(retryAfter seconds: Int) -> APIError {
        var error = APIError(.tooManyRequests, code: "too_many_attempts",
                             message: "too many failed attempts from this address; try again in \(seconds) s")
        error.retryAfter = seconds
        return error
    }
}
