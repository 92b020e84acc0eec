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

/// The outbox, written once for both databases (table `outbox`).
extension SQLDatabase {
    public func enqueue(_ messages: [OutboxMessage]) async throws -> Int {
        guard !messages.isEmpty else { return 0 }
        let results = try await transaction(messages.map { message in
            """
            INSERT INTO outbox (message_id, campaign_id, customer_id, channel, payload, status, attempts, next_attempt_at, created_at)
            VALUES (\(message.id), \(message.campaignID), \(message.customerID), \(message.channel), \(message.payload), \(message.status.rawValue),
                    \(message.attempts), \(message.nextAttemptAt), \(message.createdAt))
            ON CONFLICT (message_id) DO NOTHING RETURNING message_id
            """
        })
        return results.reduce(0) { $0 + $1.count }
    }

    public func dueMessages(now: Int64, limit: Int) async throws -> [OutboxMessage] {
        try await rows("""
            SELECT \(raw: OutboxMessage.columns) FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(now)
            ORDER BY next_attempt_at, created_at, message_id LIMIT \(limit)
            """).map(OutboxMessage.init(row:))
    }

    public func markDelivered(id: String, attempts: Int, at instant: Int64) async throws {
        try await write("UPDATE outbox SET status = 'delivered', attempts = \(attempts), delivered_at = \(instant), last_error = NULL WHERE message_id = \(id)")
    }

    public func markFailed(id: String, attempts: Int, nextAttemptAt: Int64, error: String, dead: Bool) async throws {
        try await write("""
            UPDATE outbox SET status = \(dead ? "dead" : "pending"), attempts = \(attempts), next_attempt_at = \(nextAttemptAt), last_error = \(error)
            WHERE message_id = \(id) AND status = 'pending'
            """)
    }

    public func outbox(status: OutboxStatus?, limit: Int) async throws -> [OutboxMessage] {
        var query: SQLQuery = "SELECT \(raw: OutboxMessage.columns) FROM outbox"
        if let status { query.append(" WHERE status = \(status.rawValue)") }
        query.append(" ORDER BY created_at, message_id LIMIT \(limit)")
        return try await rows(query).map(OutboxMessage.init(row:))
    }

    public func retryDead(id: String, now: Int64) async throws -> Bool {
        !(try await write("""
            UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = \(now) WHERE message_id = \(id) AND status = 'dead' RETURNING message_id
            """)).isEmpty
    }

    public func outboxCounts() async throws -> [OutboxStatus: Int] {
        var counts: [OutboxStatus: Int] = [:]
        for row in try await rows("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status") {
            if let status = OutboxStatus(rawValue: try row.decode("status")) { counts[status] = try row.decode("n") }
        }
        return counts
    }
}

extension OutboxMessage {
    static let columns = "message_id, campaign_id, customer_id, channel, payload, status, attempts, next_attempt_at, last_error, created_at, delivered_at"

    /// A message from a row of ``columns``.
    init(row: SQLRow) throws {
        self.init(id: try row.decode("message_id"), campaignID: try row.decode("campaign_id"), customerID: try row.decode("customer_id"),
                  channel: try row.decode("channel"), payload: try row.decode("payload"), createdAt: try row.decode("created_at"),
                  status: OutboxStatus(rawValue: try row.decode("status")) ?? .pending, attempts: try row.decode("attempts"),
                  nextAttemptAt: try row.decode("next_attempt_at"), lastError: try row.decode("last_error"), deliveredAt: try row.decode("delivered_at"))
    }
}
