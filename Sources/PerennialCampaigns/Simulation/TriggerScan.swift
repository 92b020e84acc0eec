import PerennialCore

/// When a campaign's trigger fires for a customer.
struct Entry: Hashable {
    var campaign: Int
    var customer: Int
    var at: Int64
}

/// Finds every firing of a campaign's trigger in a period of a recorded history.
struct TriggerScan {
    let histories: [CustomerHistory]
    let states: DailyStates?
    let calendar: StoreCalendar
    let from: Int64
    let to: Int64

    func entries(_ trigger: Trigger, campaign: Int) -> [Entry] {
        var entries: [Entry] = []
        func add(_ customer: Int, _ at: Int64) { if at >= from && at < to { entries.append(Entry(campaign: campaign, customer: customer, at: at)) } }
        let firstDay = calendar.dayNumber(of: from), lastDay = calendar.dayNumber(of: to - 1)
        for (c, history) in histories.enumerated() {
            switch trigger {
            case let .stageEntered(stage), let .stageLeft(stage):
                let entering: Bool = if case .stageEntered = trigger { true } else { false }
                guard let states else { continue }
                for day in firstDay...max(firstDay, lastDay) {
                    let now = states.stage(c, day: day), before = states.stage(c, day: day - 1)
                    if entering ? (now == stage && before != stage && before != nil) : (before == stage && now != stage) {
                        add(c, calendar.startOfDay(day))
                    }
                }
            case let .segmentEntered(segment):
                guard let states else { continue }
                for day in firstDay...max(firstDay, lastDay) {
                    let now = states.segment(c, day: day), before = states.segment(c, day: day - 1)
                    if now == segment && before != segment && before != nil { add(c, calendar.startOfDay(day)) }
                }
            case let .thresholdCrossed(metric, above, value):
                guard let states else { continue }
                for day in firstDay...max(firstDay, lastDay) {
                    let read = { (d: Int) in metric == .churnRisk ? states.churnRisk(c, day: d) : states.clv(c, day: d) }
                    guard let now = read(day), let before = read(day - 1) else { continue }
                    if above ? (before <= value && now > value) : (before >= value && now < value) { add(c, calendar.startOfDay(day)) }
                }
            case let .event(type, firstOrder, notFollowedBy, within):
                var times = history.times(of: type, from: Int64.min, to: Int64.max)
                if firstOrder { times = Array(times.prefix(1)) }
                for t in times {
                    if let notFollowedBy, let within {
                        if history.times(of: notFollowedBy, from: t + 1, to: t + within.seconds + 1).isEmpty { add(c, t + within.seconds) }
                    } else {
                        add(c, t)
                    }
                }
            case let .timeSinceEvent(type, after):
                let times = history.times(of: type, from: Int64.min, to: Int64.max)
                for (i, t) in times.enumerated() where i + 1 == times.count || times[i + 1] > t + after.seconds {
                    add(c, t + after.seconds)
                }
            case let .replenishmentDue(lead, minPurchases):
                for at in replenishments(history, lead: lead, minPurchases: minPurchases) { add(c, at) }
            case .birthdayMonth:
                guard let month = history.birthMonth else { continue }
                for day in firstDay...max(firstDay, lastDay) {
                    let date = CivilDate(dayNumber: day)
                    if date.day == 1 && date.month == month { add(c, calendar.startOfDay(day)) }
                }
            case let .schedule(cron):
                for day in firstDay...max(firstDay, lastDay) {
                    let date = CivilDate(dayNumber: day)
                    let weekday = ((day % 7) + 7 + 4) % 7  // day 0 (1970-01-01) was a Thursday
                    for hour in 0..<24 {
                        for minute in (cron.minutes ?? [0]).sorted()
                        where cron.matches(minute: minute, hour: hour, day: date.day, month: date.month, weekday: weekday) {
                            add(c, calendar.startOfDay(day) + Int64(hour * 3600 + minute * 60))
                        }
                    }
                }
            }
        }
        return entries
    }

    /// For each sku bought on at least `minPurchases` days, after each purchase from the
    /// `minPurchases`-th on: the next purchase is due a mean gap later; the reminder fires `lead`
    /// before that, unless the customer bought the sku again first.
    func replenishments(_ history: CustomerHistory, lead: Span, minPurchases: Int) -> [Int64] {
        var days: [String: [Int]] = [:]
        for order in history.orders where order.kind == .purchase {
            let day = calendar.dayNumber(of: order.at)
            for sku in Set(order.skus) where days[sku]?.last != day { days[sku, default: []].append(day) }
        }
        var times: [Int64] = []
        for (_, purchases) in days where purchases.count >= minPurchases {
            for i in (minPurchases - 1)..<purchases.count {
                let gap = Double(purchases[i] - purchases[0]) / Double(i)
                let due = calendar.startOfDay(purchases[i]) + Int64(gap * 86_400) - lead.seconds
                let next = i + 1 < purchases.count ? calendar.startOfDay(purchases[i + 1]) : Int64.max
                if due > calendar.startOfDay(purchases[i]), due < next { times.append(due) }
            }
        }
        return times.sorted()
    }
}
