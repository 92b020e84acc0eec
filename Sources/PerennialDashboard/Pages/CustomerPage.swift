import PerennialCore
import PerennialModels

/// One thing that happened to a customer, for their timeline.
public struct TimelineEntry: Sendable, Hashable {
    public enum Kind: String, Sendable { case order, cancellation, event, stage, campaign }
    public var at: Int64
    public var kind: Kind
    /// What happened, already in the reader's language or a stored value (an order id, an event type).
    public var title: String
    public var detail: String

    public init(at: Int64, kind: Kind, title: String, detail: String) {
        self.at = at
        self.kind = kind
        self.title = title
        self.detail = detail
    }
}

/// `/customers/{id}`: one customer's scores, predictions and timeline of orders, events and stage
/// changes.
struct CustomerPage {
    var input: DashboardInput
    var l: Localizer
    var position: Int
    /// The customer's orders (for the stage changes) and their order and event entries.
    var orders: [LiveProfile.OrderRow]
    var entries: [TimelineEntry]
    var tags: [String]
    var boundaries: RFMBoundaries

    func content() -> String {
        let profile = input.report.profiles[position]
        let prediction = input.predictions[position]
        var rows: [[String]] = [
            [l["axis.stage"], l["stage.\(profile.stage.rawValue)"]],
            [l["axis.segment"], profile.segment.map { l["segment.\($0.rawValue)"] } ?? "—"],
            [l["customer.rfm"], profile.rfm.map { "R\($0.r) F\($0.f) M\($0.m)" } ?? "—"],
            [l["axis.orders"], l.count(profile.summary?.orders ?? 0)],
            [l["axis.revenue"], l.money(profile.revenueMinor, input.currency)],
        ]
        if let summary = profile.summary {
            rows.append([l["customer.first_order"], l.date(input.calendar.date(of: summary.firstOrder))])
            rows.append([l["customer.last_order"], l.date(input.calendar.date(of: summary.lastOrder))])
            rows.append([l["axis.recency"], l.format("common.days", l.count(summary.recencyDays))])
            rows.append([l["customer.aov"], l.money(summary.averageOrderValueMinor, input.currency)])
            if let gap = summary.medianDaysBetweenOrders { rows.append([l["customer.median_gap"], l.format("common.days", l.decimal(gap))]) }
        }
        if let prediction {
            rows.append([l["customer.p_alive"], l.percent(prediction.alive)])
            rows.append([l["predictions.churn_risk"], l.percent(prediction.churnRisk)])
            rows.append([l["customer.expected_90d"], l.decimal(prediction.purchases, places: 2)])
            if let clv = prediction.clv { rows.append([l["predictions.clv"], l.money(major: clv, input.currency)]) }
        }
        if !tags.isEmpty { rows.append([l["customer.tags"], tags.joined(separator: ", ")]) }
        var out = "<div class=\"grid2\"><section><h2>\(HTML.escape(l["customer.profile"]))</h2>"
        out += HTML.table([l["customer.field"], l["customer.value"]], rows, numericFrom: 2) + "</section>"
        out += "<section><h2>\(HTML.escape(l["customer.timeline"]))</h2>"
        let timeline = (entries + stageChanges()).sorted { ($0.at, $0.kind.rawValue) > ($1.at, $1.kind.rawValue) }
        if timeline.isEmpty {
            out += "<p class=\"note\">\(HTML.escape(l["customer.no_history"]))</p>"
        } else {
            out += HTML.table([l["customer.when"], l["customer.what"], l["customer.detail"]],
                              timeline.map { [l.dateTime($0.at, input.calendar), $0.title, $0.detail] }, numericFrom: 3)
        }
        return out + "</section></div>"
    }

    /// The customer's stage after each order day and at the start of each month, where it changed
    /// (silence rules, the store's current RFM boundaries).
    func stageChanges() -> [TimelineEntry] {
        let calendar = input.calendar
        let asOf = input.report.asOf
        guard let first = orders.map(\.placedAt).min(), first < asOf else { return [] }
        var instants = Set(orders.filter { $0.placedAt < asOf }.map { calendar.startOfDay(calendar.dayNumber(of: $0.placedAt) + 1) })
        let firstMonth = calendar.date(of: first).monthNumber, lastMonth = calendar.date(of: asOf - 1).monthNumber
        if lastMonth > firstMonth {
            for month in (firstMonth + 1)...lastMonth {
                instants.insert(calendar.startOfDay(CivilDate(year: month / 12, month: month % 12 + 1, day: 1).dayNumber))
            }
        }
        instants.insert(asOf)
        var changes: [TimelineEntry] = []
        var previous: LifecycleStage?
        for instant in instants.sorted() where instant <= asOf {
            let stage = LiveProfile.profile(customerID: "", orders: orders, asOf: instant, calendar: calendar, rules: input.report.stageRules,
                                            boundaries: boundaries, probabilityAlive: nil).stage
            if stage != previous {
                changes.append(TimelineEntry(at: instant, kind: .stage, title: l["customer.stage_change"],
                                             detail: previous.map { l.format("customer.stage_from_to", l["stage.\($0.rawValue)"], l["stage.\(stage.rawValue)"]) }
                                                 ?? l["stage.\(stage.rawValue)"]))
                previous = stage
            }
        }
        return changes
    }
}
