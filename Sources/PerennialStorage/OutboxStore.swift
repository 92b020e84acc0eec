/// Where a message waits for delivery.
public enum OutboxStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Not delivered yet: due at ``OutboxMessage/nextAttemptAt``.
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Every attempt failed: kept for inspection and a manual retry.
    case dead
}

/// A message to deliver to the store's sender (a webhook), kept durably until it is delivered.
public struct OutboxMessage: Sendable, Hashable {
    /// The idempotency key: the same on every attempt, so the receiver applies each message once.
    public var id: String
    public var campaignID: String
    public var customerID: String
    public var channel: String
    /// The JSON body to post.
    public var payload: String
    public var status: OutboxStatus
    public var attempts: Int
    public var nextAttemptAt: Int64
    public var lastError: String?
    public var createdAt: Int64
    public var deliveredAt: Int64?

    public init(id: String, campaignID: String, customerID: String, channel: String, payload: String, createdAt: Int64,
                status: OutboxStatus = .pending, attempts: Int = 0, nextAttemptAt: Int64? = nil, lastError: String? = nil, deliveredAt: Int64? = nil) {
        self.id = id
        self.campaignID = campaignID
        self.customerID = customerID
        self.channel = channel
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt ?? createdAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// The durable outbox of campaign messages: written in the same store as everything else, drained by
/// the delivery worker, at least once (a message is marked delivered only after the receiver's 2xx).
public protocol OutboxStore: Sendable {
    /// Adds messages; an id already in the outbox is left as it is. Returns how many were new.
    @discardableResult
    func enqueue(_ messages: [OutboxMessage]) async throws -> Int
    /// Pending messages due at `now`, earliest first.
    func dueMessages(now: Int64, limit: Int) async throws -> [OutboxMessage]
    /// Records a 2xx.
    func markDelivered(id: String, attempts: Int, at: Int64) async throws
    /// Records a failed attempt: pending again at `nextAttemptAt`, or dead when `dead`.
    func markFailed(id: String, attempts: Int, nextAttemptAt: Int64, error: String, dead: Bool) async throws
    /// Messages by status (all when `nil`), oldest first.
    func outbox(status: OutboxStatus?, limit: Int) async throws -> [OutboxMessage]
    /// Makes a dead message pending again, due now, with its attempts reset; `false` when it is not dead.
    func retryDead(id: String, now: Int64) async throws -> Bool
    /// How many messages are in each state (states with none left out).
    func outboxCounts() async throws -> [OutboxStatus: Int]
}
