import PerennialCore

/// A red/amber/green state.
public enum AlertState: String, Sendable, Codable, CaseIterable, Comparable {
    /// No threshold is set for the figure.
    case none
    case green
    case amber
    case red

    public static func < (a: AlertState, b: AlertState) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A threshold rule on a KPI: `{"kpi": "churn_rate", "direction": "above", "amber": 0.05, "red": 0.08}`
/// makes the churn rate amber above 5% and red above 8%.
public struct KPIThreshold: Sendable, Codable, Hashable {
    /// Which way is bad.
    public enum Direction: String, Sendable, Codable, Hashable {
        /// Higher values are worse (churn rate).
        case above
        /// Lower values are worse (repeat rate).
        case below
    }

    /// The KPI's id (``KPITile/ids``).
    public var kpi: String
    public var direction: Direction
    /// The value past which the state is amber (rates as fractions, money in major units).
    public var amber: Double?
    /// The value past which the state is red.
    public var red: Double?
    /// Limits the rule to the customers now in this RFM segment (`champions`, …).
    public var segment: String?
    /// Limits the rule to the customers acquired through this channel (their first purchase's).
    public var channel: String?

    public init(kpi: String, direction: Direction, amber: Double?, red: Double?, segment: String? = nil, channel: String? = nil) {
        self.kpi = kpi
        self.direction = direction
        self.amber = amber
        self.red = red
        self.segment = segment
        self.channel = channel
    }

    /// Whether the rule is for a part of the store rather than all of it.
    public var isScoped: Bool { segment != nil || channel != nil }

    /// The rule's scope as a stable key: `churn_rate`, `churn_rate@channel=app`, `churn_rate@segment=lost`.
    public var key: String {
        var key = kpi
        if let segment { key += "@segment=\(segment)" }
        if let channel { key += "@channel=\(channel)" }
        return key
    }

    /// The state of a value: red past `red`, amber past `amber`, otherwise green. "Past" is strictly
    /// above (or below): a value equal to a threshold is not past it.
    public func state(of value: Double) -> AlertState {
        func past(_ limit: Double?) -> Bool {
            guard let limit else { return false }
            return direction == .above ? value > limit : value < limit
        }
        if past(red) { return .red }
        if past(amber) { return .amber }
        return .green
    }

    /// The defaults: churn rate amber above 5%, red above 8%; 30-day new repeat rate amber below 20%,
    /// red below 10%.
    public static let defaults = [
        KPIThreshold(kpi: "churn_rate", direction: .above, amber: 0.05, red: 0.08),
        KPIThreshold(kpi: "repeat_rate_30d", direction: .below, amber: 0.20, red: 0.10),
    ]

    /// Problems with a list of rules, each naming the rule and field (empty when valid).
    public static func problems(_ rules: [KPIThreshold]) -> [String] {
        var problems: [String] = []
        for (i, rule) in rules.enumerated() {
            if !KPITile.ids.contains(rule.kpi) {
                problems.append("thresholds[\(i)].kpi: unknown KPI \"\(rule.kpi)\"; use one of \(KPITile.ids.joined(separator: ", "))")
            }
            if rule.amber == nil && rule.red == nil { problems.append("thresholds[\(i)]: set amber, red or both") }
            if let segment = rule.segment, RFMSegment(rawValue: segment) == nil {
                problems.append("thresholds[\(i)].segment: unknown segment \"\(segment)\"; use one of \(RFMSegment.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if rule.channel?.isEmpty == true { problems.append("thresholds[\(i)].channel: name a channel (web, app, …) or leave it out") }
            if let amber = rule.amber, let red = rule.red, rule.direction == .above ? red < amber : red > amber {
                problems.append("thresholds[\(i)].red: red must be past amber in the rule's direction (\(rule.direction.rawValue))")
            }
        }
        return problems
    }
}
