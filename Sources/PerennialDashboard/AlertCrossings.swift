/// A KPI whose red/amber/green state changed since the last evaluation: what an alert webhook reports.
public struct AlertCrossing: Sendable, Hashable {
    public var kpi: String
    /// The state at the last evaluation (`nil` on the first one).
    public var from: AlertState?
    public var to: AlertState
    /// The KPI's value now (rates as fractions, money in major units).
    public var value: Double
    /// The rule that gave the state.
    public var rule: KPIThreshold?

    public init(kpi: String, from: AlertState?, to: AlertState, value: Double, rule: KPIThreshold?) {
        self.kpi = kpi
        self.from = from
        self.to = to
        self.value = value
        self.rule = rule
    }

    /// The crossings between the stored states and the tiles' states now.
    ///
    /// A KPI whose state differs from the stored one has crossed. On the first evaluation (no stored
    /// state) only amber and red count, so a store does not announce that everything is fine; a KPI
    /// that loses its rule (state `none`) is forgotten without an alert.
    public static func crossings(tiles: [KPITile], stored: [String: AlertState], rules: [KPIThreshold]) -> [AlertCrossing] {
        var crossings: [AlertCrossing] = []
        for tile in tiles where tile.state != .none {
            guard let value = tile.value else { continue }
            let before = stored[tile.id]
            let crossed = before.map { $0 != tile.state && $0 != .none } ?? (tile.state == .amber || tile.state == .red)
            if crossed {
                crossings.append(AlertCrossing(kpi: tile.id, from: before, to: tile.state, value: value, rule: rules.last { $0.kpi == tile.id }))
            }
        }
        return crossings
    }

    /// The states to store after an evaluation.
    public static func states(_ tiles: [KPITile]) -> [String: AlertState] {
        Dictionary(uniqueKeysWithValues: tiles.filter { $0.state != .none && $0.value != nil }.map { ($0.id, $0.state) })
    }
}
