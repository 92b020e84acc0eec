/// One KPI's state under its rule, for the whole store or a scope: what alerts compare.
public struct AlertReading: Sendable, Hashable {
    /// ``KPIThreshold/key``: the KPI, and the scope when the rule has one.
    public var key: String
    public var kpi: String
    public var state: AlertState
    public var value: Double?
    public var rule: KPIThreshold?

    /// The tiles' readings (whole-store rules) and the scoped readings.
    public static func all(tiles: [KPITile], scoped: [ScopedReading], rules: [KPIThreshold]) -> [AlertReading] {
        tiles.map { tile in
            AlertReading(key: tile.id, kpi: tile.id, state: tile.state, value: tile.value, rule: rules.last { $0.kpi == tile.id && !$0.isScoped })
        } + scoped.map { AlertReading(key: $0.rule.key, kpi: $0.rule.kpi, state: $0.state, value: $0.value, rule: $0.rule) }
    }
}

/// A KPI whose red/amber/green state changed since the last evaluation: what an alert webhook reports.
public struct AlertCrossing: Sendable, Hashable {
    /// ``KPIThreshold/key``.
    public var key: String
    public var kpi: String
    /// The state at the last evaluation (`nil` on the first one).
    public var from: AlertState?
    public var to: AlertState
    /// The KPI's value now (rates as fractions, money in major units).
    public var value: Double
    /// The rule that gave the state.
    public var rule: KPIThreshold?

    public init(key: String? = nil, kpi: String, from: AlertState?, to: AlertState, value: Double, rule: KPIThreshold?) {
        self.key = key ?? kpi
        self.kpi = kpi
        self.from = from
        self.to = to
        self.value = value
        self.rule = rule
    }

    /// The crossings between the stored states and the readings now.
    ///
    /// A reading whose state differs from the stored one has crossed. On the first evaluation of a key
    /// (no stored state) only amber and red count, so a store does not announce that everything is
    /// fine; a KPI that loses its rule (state `none`) is forgotten without an alert.
    public static func crossings(_ readings: [AlertReading], stored: [String: AlertState]) -> [AlertCrossing] {
        var crossings: [AlertCrossing] = []
        for reading in readings where reading.state != .none {
            guard let value = reading.value else { continue }
            let before = stored[reading.key]
            let crossed = before.map { $0 != reading.state && $0 != .none } ?? (reading.state == .amber || reading.state == .red)
            if crossed {
                crossings.append(AlertCrossing(key: reading.key, kpi: reading.kpi, from: before, to: reading.state, value: value, rule: reading.rule))
            }
        }
        return crossings
    }

    /// The states to store after an evaluation.
    public static func states(_ readings: [AlertReading]) -> [String: AlertState] {
        Dictionary(readings.filter { $0.state != .none && $0.value != nil }.map { ($0.key, $0.state) }, uniquingKeysWith: { $1 })
    }
}
