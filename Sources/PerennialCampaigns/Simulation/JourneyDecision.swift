/// One decision of a replay, in time order: a customer entering a campaign (treated or held out), or
/// what the ``DecisionEngine`` did with one step's action. The live runner stores these, so every
/// decision is on record with its reason.
public struct JourneyDecision: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Entered the campaign in the treated group.
        case entered
        /// Entered the campaign in the control group: nothing will be sent.
        case heldOut
        /// The action went ahead.
        case sent
        /// Due in quiet hours: decided again at `until`.
        case deferred(until: Int64)
        /// Not sent, for the reason.
        case suppressed(Decision.SuppressionReason)

        /// `entered`, `held_out`, `sent`, `deferred` or `suppressed`.
        public var name: String {
            switch self {
            case .entered: "entered"
            case .heldOut: "held_out"
            case .sent: "sent"
            case .deferred: "deferred"
            case .suppressed: "suppressed"
            }
        }

        /// Why: the suppression's reason, or `quiet_hours` for a deferral.
        public var reason: String? {
            switch self {
            case .deferred: "quiet_hours"
            case let .suppressed(reason): reason.rawValue
            default: nil
            }
        }
    }

    public var campaignID: String
    public var customerID: String
    /// The step's index; `nil` for an entry.
    public var step: Int?
    public var at: Int64
    public var outcome: Outcome
    /// The step's action; `nil` for an entry.
    public var action: PlannedAction.Action?

    public init(campaignID: String, customerID: String, step: Int?, at: Int64, outcome: Outcome, action: PlannedAction.Action? = nil) {
        self.campaignID = campaignID
        self.customerID = customerID
        self.step = step
        self.at = at
        self.outcome = outcome
        self.action = action
    }

    /// The same whenever the same decision is made again: `campaign:customer:step:instant`, with
    /// `entry` for an entry. A sent action's id is its outbox message's id.
    public var id: String { "\(campaignID):\(customerID):\(step.map(String.init) ?? "entry"):\(at)" }

    /// `message`, `coupon` or `tag`; `nil` for an entry.
    public var actionKind: String? {
        switch action {
        case .message: "message"
        case .coupon: "coupon"
        case .tag: "tag"
        case nil: nil
        }
    }

    /// The channel of the message that carries the action, if any.
    public var channel: MessageChannel? { action?.message?.channel }
}
