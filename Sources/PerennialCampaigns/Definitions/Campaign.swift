import PerennialCore

/// A lifecycle campaign: who may enter, what makes them enter, and the steps they go through
/// (docs/CAMPAIGNS.md describes the JSON format, `examples/campaigns/` has one of each kind).
public struct Campaign: Sendable, Hashable {
    /// A stable id (`welcome-series`): holdout assignment and reports key on it.
    public var id: String
    public var name: String
    /// When caps let only some campaigns through, the higher priority wins.
    public var priority: Int
    /// The share of entering customers kept out as the control group (0 to 0.5).
    public var holdout: Double
    /// Who may enter.
    public var audience: Audience
    public var trigger: Trigger
    public var steps: [Step]
    /// Days after entry in which conversions count for the campaign's report.
    public var attributionDays: Int
    /// Whether the campaign runs (`perennial campaigns pause` stops it).
    public var active: Bool

    /// The longest a customer can spend in the campaign: the waits along its longest path (a branch
    /// counts its longest branch).
    public var longestJourney: Span { Span(seconds: Self.waits(steps)) }

    private static func waits(_ steps: [Step]) -> Int64 {
        steps.reduce(0) { total, step in
            switch step {
            case let .wait(span, _): total + span.seconds
            case let .branch(branches): total + (branches.map { waits($0.steps) }.max() ?? 0)
            default: total
            }
        }
    }
}

/// Who may enter a campaign; every condition given must hold (an empty audience admits everyone).
public struct Audience: Sendable, Hashable {
    public var stages: Set<LifecycleStage> = []
    public var segments: Set<RFMSegment> = []
    /// Acquisition channels.
    public var channels: Set<String> = []
    /// Only customers whose CLV is at or above this percentile of the store's (0–100).
    public var minCLVPercentile: Double?
    /// Only customers with at least this many purchase orders.
    public var minOrders: Int?

    public init() {}
}

/// What makes a customer enter a campaign.
public enum Trigger: Sendable, Hashable {
    case stageEntered(LifecycleStage)
    case stageLeft(LifecycleStage)
    case segmentEntered(RFMSegment)
    /// Churn risk or CLV crossing a value upwards (`above`) or downwards.
    case thresholdCrossed(metric: Metric, above: Bool, value: Double)
    /// An event; with `notFollowedBy`, only when that event does not follow within the window.
    case event(type: String, firstOrder: Bool, notFollowedBy: String?, within: Span?)
    /// A span after the customer's last event of a type (no newer one since).
    case timeSinceEvent(type: String, after: Span)
    /// A consumable bought on a regular cycle is due: `lead` before the expected repurchase day, for
    /// customers with at least `minPurchases` purchases of it.
    case replenishmentDue(lead: Span, minPurchases: Int)
    /// The customer's birthday month begins.
    case birthdayMonth
    /// A cron-like schedule (`minute hour day-of-month month day-of-week`, `*` or numbers).
    case schedule(Cron)

    public enum Metric: String, Sendable, Hashable, CaseIterable {
        case churnRisk = "churn_risk"
        case clv
    }

    /// The trigger's `type` in a definition.
    public var typeName: String {
        switch self {
        case .stageEntered: "stage_entered"
        case .stageLeft: "stage_left"
        case .segmentEntered: "segment_entered"
        case .thresholdCrossed: "threshold_crossed"
        case .event: "event"
        case .timeSinceEvent: "time_since_event"
        case .replenishmentDue: "replenishment_due"
        case .birthdayMonth: "birthday_month"
        case .schedule: "schedule"
        }
    }
}

/// One step of a campaign.
public indirect enum Step: Sendable, Hashable {
    /// Wait; with `exitIf`, the customer leaves the campaign when that event happens meanwhile.
    case wait(Span, exitIf: String?)
    case message(Message)
    case coupon(Coupon)
    case tag(String)
    /// The first branch whose condition holds; a branch without a condition is the default.
    case branch([Branch])
}

/// A message sent through the store's sender.
public struct Message: Sendable, Hashable {
    public var channel: MessageChannel
    public var template: String
    /// Transactional messages (receipts, service notices) are exempt from frequency caps.
    public var transactional: Bool

    public init(channel: MessageChannel, template: String, transactional: Bool = false) {
        self.channel = channel
        self.template = template
        self.transactional = transactional
    }
}

/// The channels messages go out on.
public enum MessageChannel: String, Sendable, Hashable, CaseIterable {
    case sms, email, push, wechat
}

/// A coupon, issued and announced on a channel.
public struct Coupon: Sendable, Hashable {
    /// Money off in major units, or a percentage: exactly one is set.
    public var amountOff: Double?
    public var percentOff: Double?
    /// The smallest order (major units) it applies to.
    public var minimumSpend: Double
    public var expiresIn: Span
    public var codePrefix: String
    /// How the customer hears of it.
    public var message: Message

    public init(amountOff: Double?, percentOff: Double?, minimumSpend: Double, expiresIn: Span, codePrefix: String, message: Message) {
        self.amountOff = amountOff
        self.percentOff = percentOff
        self.minimumSpend = minimumSpend
        self.expiresIn = expiresIn
        self.codePrefix = codePrefix
        self.message = message
    }
}

/// A conditional part of a campaign.
public struct Branch: Sendable, Hashable {
    public var condition: Condition?
    public var steps: [Step]
}

/// What a branch tests about the customer when they reach it.
public enum Condition: Sendable, Hashable {
    /// Most (over half) of the customer's purchase orders used a coupon.
    case priceSensitive
    /// A review of at most 2 stars or a support ticket within the span.
    case recentComplaint(Span)
    case stage(LifecycleStage)
    case segment(RFMSegment)
    case churnRiskAbove(Double)
}

/// A schedule: five fields, each `*` or a comma-separated list of numbers.
public struct Cron: Sendable, Hashable {
    public var minutes, hours, days, months, weekdays: Set<Int>?

    /// Whether a local time matches (weekday 0 = Sunday).
    public func matches(minute: Int, hour: Int, day: Int, month: Int, weekday: Int) -> Bool {
        (minutes?.contains(minute) ?? true) && (hours?.contains(hour) ?? true) && (days?.contains(day) ?? true)
            && (months?.contains(month) ?? true) && (weekdays?.contains(weekday) ?? true)
    }
}
