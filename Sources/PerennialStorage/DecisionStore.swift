/// One decision of the campaign engine, as recorded: a customer entering a campaign (treated or held
/// out), or what became of one step's action (sent, deferred for quiet hours, suppressed with the reason).
public struct DecisionRecord: Sendable, Hashable {
    /// The same whenever the same decision is made again: `campaign:customer:step:instant`
    /// (`entry` in place of the step for an entry). A sent message's outbox id is its decision's id.
    public var id: String
    public var campaignID: String
    public var customerID: String
    /// The step's index in the campaign; `nil` for an entry.
    public var step: Int?
    /// When it was decided (seconds since 1970 UTC).
    public var decidedAt: Int64
    /// `entered`, `held_out`, `sent`, `deferred` or `suppressed`.
    public var outcome: String
    /// Why: `consent`, `frequency_cap` or `priority` for a suppression; `quiet_hours` for a deferral.
    public var reason: String?
    /// `message`, `coupon` or `tag` for a step.
    public var action: String?
    /// The message's channel, for a message or coupon.
    public var channel: String?
    /// When the runner stored it.
    public var recordedAt: Int64

    public init(id: String, campaignID: String, customerID: String, step: Int?, decidedAt: Int64, outcome: String, reason: String? = nil,
                action: String? = nil, channel: String? = nil, recordedAt: Int64) {
        self.id = id
        self.campaignID = campaignID
        self.customerID = customerID
        self.step = step
        self.decidedAt = decidedAt
        self.outcome = outcome
        self.reason = reason
        self.action = action
        self.channel = channel
        self.recordedAt = recordedAt
    }
}

/// Which decisions to list.
public struct DecisionQuery: Sendable, Hashable {
    public var campaignID: String?
    public var customerID: String?
    public var outcome: String?
    public var limit: Int

    public init(campaignID: String? = nil, customerID: String? = nil, outcome: String? = nil, limit: Int = 100) {
        self.campaignID = campaignID
        self.customerID = customerID
        self.outcome = outcome
        self.limit = limit
    }
}

/// The record of every decision the live campaign runner made, with its reason.
public protocol DecisionStore: Sendable {
    /// Adds decisions; an id already recorded is left as it is. Returns how many were new.
    @discardableResult
    func recordDecisions(_ records: [DecisionRecord]) async throws -> Int
    /// The decisions matching the query, newest first.
    func decisions(_ query: DecisionQuery) async throws -> [DecisionRecord]
}
