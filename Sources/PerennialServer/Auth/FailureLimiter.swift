import Foundation

/// Slows down guessing: a client (an IP address) that fails to authenticate ``limit`` times within
/// ``window`` is refused (429 with `Retry-After`) until the oldest of those failures leaves the window.
/// Successful attempts cost nothing. Memory stays bounded: at most ``maximumClients`` clients are
/// tracked; past that, clients with no failure in the window are forgotten first.
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

    /// Records a failed attempt by `client`.
    public func recordFailure(_ client: String) {
        let now = clock()
        var recent = (failures[client] ?? []).filter { $0 > now - window }
        recent.append(now)
        failures[client] = Array(recent.suffix(limit))
        if failures.count > maximumClients {
            failures = failures.filter { $0.value.last.map { $0 > now - window } ?? false }
            if failures.count > maximumClients { failures = [client: failures[client] ?? []] }
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
