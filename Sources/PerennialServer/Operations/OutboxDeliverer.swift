import Foundation
import Logging
import PerennialStorage

/// Drains the durable outbox to the store's sender webhook, at least once: each due message is
/// posted with its id as the idempotency key and marked delivered only after a 2xx. A failure (an
/// error status, no answer within the timeout) makes it due again after an exponential backoff with
/// jitter; after ``RetryPolicy/attempts`` failures it is dead, kept for `GET /v1/outbox?status=dead`
/// and a retry. A crash between the post and the mark resends the message with the same key, which the
/// receiver uses to apply it once.
public actor OutboxDeliverer {
    let store: any OutboxStore
    let target: WebhookTarget
    let policy: RetryPolicy
    let concurrency: Int
    let logger: Logger
    let now: @Sendable () -> Int64

    public init(store: any OutboxStore, target: WebhookTarget, policy: RetryPolicy = RetryPolicy(), concurrency: Int = 8,
                logger: Logger = Logger(label: "perennial"), now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.store = store
        self.target = target
        self.policy = policy
        self.concurrency = max(1, concurrency)
        self.logger = logger
        self.now = now
    }

    /// What one pass did.
    public struct Pass: Sendable, Equatable {
        public var delivered = 0
        public var retrying = 0
        public var dead = 0
        public var attempted: Int { delivered + retrying + dead }
    }

    /// Posts every message due now (up to `limit`), `concurrency` at a time, and records each outcome.
    @discardableResult
    public func deliverDue(limit: Int = 200) async throws -> Pass {
        let due = try await store.dueMessages(now: now(), limit: limit)
        var pass = Pass()
        var start = 0
        while start < due.count {
            let slice = due[start..<min(due.count, start + concurrency)]
            start += slice.count
            let results = await withTaskGroup(of: (OutboxMessage, Int?, String).self) { group in
                for message in slice {
                    group.addTask { [target, policy] in
                        let (status, error) = await WebhookPoster.post(Data(message.payload.utf8), to: target, id: message.id,
                                                                       attempt: message.attempts + 1, timeout: policy.timeout)
                        return (message, status, error)
                    }
                }
                var results: [(OutboxMessage, Int?, String)] = []
                for await result in group { results.append(result) }
                return results
            }
            for (message, status, error) in results {
                let attempts = message.attempts + 1
                if let status, (200..<300).contains(status) {
                    try await store.markDelivered(id: message.id, attempts: attempts, at: now())
                    pass.delivered += 1
                } else if attempts >= policy.attempts {
                    try await store.markFailed(id: message.id, attempts: attempts, nextAttemptAt: now(), error: error, dead: true)
                    logger.error("outbox message dead", metadata: ["message": .string(message.id), "attempts": .stringConvertible(attempts), "error": .string(error)])
                    pass.dead += 1
                } else {
                    let wait = Int64(policy.delay(after: attempts).rounded(.up))
                    try await store.markFailed(id: message.id, attempts: attempts, nextAttemptAt: now() + max(1, wait), error: error, dead: false)
                    logger.warning("outbox delivery failed", metadata: ["message": .string(message.id), "attempt": .stringConvertible(attempts), "error": .string(error)])
                    pass.retrying += 1
                }
            }
        }
        return pass
    }

    /// Delivers until cancelled: a pass, then a pause of `interval` seconds when nothing was due or the
    /// pass failed (a store error, given to `onFailure`).
    public func run(interval: Double = 1, onFailure: @Sendable (any Error) -> Void = { _ in }) async {
        while !Task.isCancelled {
            var pass = Pass()
            do { pass = try await deliverDue() } catch { onFailure(error) }
            if pass.attempted == 0 { try? await Task.sleep(for: .seconds(interval)) }
        }
    }
}
