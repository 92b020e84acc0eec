import PerennialCore

/// What a campaign wants to do for one customer now: the action of the step they reached.
public struct PlannedAction: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case message(Message)
        case coupon(Coupon)
        case tag(String)

        /// The message that carries the action, if any (a coupon is announced by one).
        var message: Message? {
            switch self {
            case let .message(message): message
            case let .coupon(coupon): coupon.message
            case .tag: nil
            }
        }
    }

    public var campaignID: String
    public var priority: Int
    public var holdout: Double
    public var customerID: String
    /// The step's index in the campaign (for the record).
    public var step: Int
    public var action: Action
    /// When it is due.
    public var at: Int64

    public init(campaignID: String, priority: Int, holdout: Double, customerID: String, step: Int, action: Action, at: Int64) {
        self.campaignID = campaignID
        self.priority = priority
        self.holdout = holdout
        self.customerID = customerID
        self.step = step
        self.action = action
        self.at = at
    }
}

/// What the engine knows about a customer when it decides.
public struct ContactState: Sendable, Hashable {
    /// Consent by channel: `true` granted, `false` withdrawn; a channel not listed has no consent.
    public var consent: [MessageChannel: Bool]
    /// The customer's IANA time zone, when known.
    public var timeZone: String?
    /// When marketing messages were sent to the customer (recent ones suffice: the last 7 days).
    public var marketingSent: [Int64]

    public init(consent: [MessageChannel: Bool] = [:], timeZone: String? = nil, marketingSent: [Int64] = []) {
        self.consent = consent
        self.timeZone = timeZone
        self.marketingSent = marketingSent
    }
}

/// The engine's decision on one planned action, with its reason.
public struct Decision: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Go ahead now.
        case send
        /// In the campaign's control group: nothing is sent, the customer is measured.
        case heldOut
        /// Due in quiet hours: decide again at `until`.
        case deferred(until: Int64)
        /// Not sent, for the reason.
        case suppressed(SuppressionReason)
    }

    public enum SuppressionReason: String, Sendable, Hashable, CaseIterable {
        /// No consent for the channel (or it was withdrawn).
        case consent
        /// The daily or weekly cap was already reached by earlier messages.
        case frequencyCap = "frequency_cap"
        /// A higher-priority campaign took the last place under the cap at the same time.
        case priority
    }

    public var action: PlannedAction
    public var outcome: Outcome
    /// Why, in words (kept with the decision record).
    public var reason: String
}

/// Decides what happens to campaigns' planned actions, pure and deterministic:
///
/// 1. **Holdout** first, by ``Holdout`` on the campaign and customer ids: the control group is
///    assigned on entry to the campaign, before anything else, so that treated and held-out customers
///    are comparable (intent to treat).
/// 2. **Consent** for the message's channel: none, or withdrawn → suppressed (`consent`).
/// 3. **Quiet hours** in the customer's time zone → deferred to the end of the quiet hours.
/// 4. **Frequency caps** on marketing messages (transactional ones are exempt): at most
///    ``ContactPolicy/perDay`` in any 24 hours and ``ContactPolicy/perWeek`` in any 7 days, counting
///    earlier sends and this batch's. Actions are taken highest priority first (then campaign id), so
///    when the cap leaves room for only some, the higher priority wins and the others are suppressed
///    with `priority`; an action the earlier sends already block is suppressed with `frequency_cap`.
///
/// Tags are neither messages nor capped: they only pass the holdout.
public struct DecisionEngine: Sendable {
    public var policy: ContactPolicy

    public init(policy: ContactPolicy = ContactPolicy()) { self.policy = policy }

    /// Decides a batch of actions due together, in the order given back: by customer, then highest
    /// priority first.
    public func decide(_ actions: [PlannedAction], states: [String: ContactState]) -> [Decision] {
        let ordered = actions.sorted { ($0.customerID, -$0.priority, $0.campaignID, $0.step) < ($1.customerID, -$1.priority, $1.campaignID, $1.step) }
        var decisions: [Decision] = []
        var sentInBatch: [String: [Int64]] = [:]
        var blockedBy: [String: [String]] = [:]
        for action in ordered {
            let state = states[action.customerID] ?? ContactState()
            if Holdout.isHeldOut(campaign: action.campaignID, customer: action.customerID, share: action.holdout) {
                decisions.append(Decision(action: action, outcome: .heldOut, reason: "in the control group of \(action.campaignID) (\(Int((action.holdout * 100).rounded()))% held out)"))
                continue
            }
            guard let message = action.action.message else {
                decisions.append(Decision(action: action, outcome: .send, reason: "tags are not messages"))
                continue
            }
            guard state.consent[message.channel] == true else {
                let why = state.consent[message.channel] == false ? "withdrew consent for \(message.channel.rawValue)" : "has not consented to \(message.channel.rawValue)"
                decisions.append(Decision(action: action, outcome: .suppressed(.consent), reason: "the customer \(why)"))
                continue
            }
            let calendar = StoreCalendar(identifier: state.timeZone ?? policy.defaultTimeZone) ?? .utc
            let allowed = policy.nextAllowed(after: action.at, in: calendar)
            if allowed != action.at {
                decisions.append(Decision(action: action, outcome: .deferred(until: allowed),
                                          reason: "quiet hours \(policy.quietStart):00–\(policy.quietEnd):00 in \(calendar.identifier)"))
                continue
            }
            if message.transactional {
                decisions.append(Decision(action: action, outcome: .send, reason: "transactional: not capped"))
                continue
            }
            let earlier = state.marketingSent.filter { $0 <= action.at }
            let batch = sentInBatch[action.customerID] ?? []
            func within(_ span: Int64, _ times: [Int64]) -> Int { times.filter { action.at - $0 < span }.count }
            let dayEarlier = within(86_400, earlier), weekEarlier = within(7 * 86_400, earlier)
            if dayEarlier >= policy.perDay || weekEarlier >= policy.perWeek {
                let cap = dayEarlier >= policy.perDay ? "\(policy.perDay) a day" : "\(policy.perWeek) a week"
                decisions.append(Decision(action: action, outcome: .suppressed(.frequencyCap), reason: "the cap of \(cap) was already reached"))
                continue
            }
            if dayEarlier + within(86_400, batch) >= policy.perDay || weekEarlier + within(7 * 86_400, batch) >= policy.perWeek {
                let winners = (blockedBy[action.customerID] ?? []).joined(separator: ", ")
                decisions.append(Decision(action: action, outcome: .suppressed(.priority), reason: "the cap went to higher-priority \(winners)"))
                continue
            }
            sentInBatch[action.customerID, default: []].append(action.at)
            blockedBy[action.customerID, default: []].append(action.campaignID)
            decisions.append(Decision(action: action, outcome: .send, reason: "consent, outside quiet hours, under the caps"))
        }
        return decisions
    }
}
