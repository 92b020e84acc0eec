import PerennialCore
import PerennialModels

/// What a simulation found for one campaign.
public struct CampaignSimulation: Sendable, Hashable, Codable {
    public var id: String
    /// Firings of the trigger in the period that matched the audience.
    public var entries = 0
    /// Distinct customers who entered, and of them those held out as the control group.
    public var customers = 0
    public var heldOut = 0
    /// Distinct customers who would have received at least one action.
    public var reached = 0
    /// Actions that would have been sent, by kind.
    public var messages = 0
    public var coupons = 0
    public var tags = 0
    /// Distinct customers with at least one action suppressed, by reason (`consent`, `frequency_cap`, `priority`).
    public var suppressed: [String: Int] = [:]
    /// Actions due in quiet hours, sent at their end.
    public var deferredQuietHours = 0
    /// Journeys that left at a wait's `exit_if` event, that ended, and that were still running at the end.
    public var exited = 0
    public var completed = 0
    public var inProgress = 0
    /// Firings ignored because the customer was already in the campaign.
    public var alreadyIn = 0
    /// Each action step measured on its own: treated customers who came to it against held-out
    /// customers who would have (they follow the same waits, exits and branches, and are sent nothing).
    public var steps: [StepMeasurement] = []
    /// Treated against held-out entrants over the attribution window, from what the history shows
    /// after entry. Nothing was sent in a simulation, so this is an A/A comparison: a significant
    /// difference would point at the assignment or the measurement, not at the campaign.
    public var measurement: CampaignMeasurement?
}

/// One action step of a campaign, treated against held out from the moment each customer came to it.
public struct StepMeasurement: Sendable, Hashable, Codable {
    /// The step's index in the customer's journey (branches splice their steps in place).
    public var step: Int
    /// What the step does: `message email welcome-guide`, `coupon sms welcome-coupon`, `tag vip`.
    public var action: String
    public var measurement: CampaignMeasurement
}

/// Replays a recorded history through campaigns, as the live engine would have run them: triggers
/// fire from the history, customers go through the steps, and every action is decided by the
/// ``DecisionEngine`` in time order (so caps and priorities act across campaigns) — nothing is sent.
///
/// Stages and segments follow the silence rules at the start of each day; churn risk and CLV come from
/// the given model scored on the history before each day.
public struct Simulator: Sendable {
    public var campaigns: [Campaign]
    public var policy: ContactPolicy
    /// Treat every customer as consenting to every channel (a what-if for stores without consent data).
    public var assumeConsent: Bool

    public init(campaigns: [Campaign], policy: ContactPolicy = ContactPolicy(), assumeConsent: Bool = false) {
        self.campaigns = campaigns
        self.policy = policy
        self.assumeConsent = assumeConsent
    }

    /// Runs the campaigns from `from` (inclusive) to `to` (exclusive).
    public func run(histories: [CustomerHistory], channels: [String: String] = [:], options: AnalysisOptions, model: FittedModel?,
                    from: Int64, to: Int64, currency: Currency) -> [CampaignSimulation] {
        replay(histories: histories, channels: channels, options: options, model: model, from: from, to: to, currency: currency).campaigns
    }

    /// What a replay did: the figures of each campaign, every action it decided to send, in time
    /// order (what the live runner hands to the outbox), and every decision with its reason.
    public struct Replay: Sendable {
        public var campaigns: [CampaignSimulation]
        public var sent: [PlannedAction]
        /// Entries and step decisions, in time order.
        public var decisions: [JourneyDecision]
    }

    /// Runs the campaigns from `from` to `to` and also returns the actions sent.
    public func replay(histories: [CustomerHistory], channels: [String: String] = [:], options: AnalysisOptions, model: FittedModel?,
                       from: Int64, to: Int64, currency: Currency) -> Replay {
        let calendar = options.calendar
        let active = campaigns.filter(\.active)
        var index: [String: Int] = [:]
        for (i, history) in histories.enumerated() { index[history.id] = i }
        let needsStates = active.contains { campaign in
            switch campaign.trigger {
            case .stageEntered, .stageLeft, .segmentEntered, .thresholdCrossed: true
            default: !campaign.audience.stages.isEmpty || !campaign.audience.segments.isEmpty || campaign.audience.minCLVPercentile != nil
                || campaign.steps.contains { if case .branch = $0 { true } else { false } }
            }
        }
        let needsModel = active.contains { campaign in
            if case .thresholdCrossed = campaign.trigger { return true }
            return campaign.audience.minCLVPercentile != nil
        }
        var states: DailyStates?
        if needsStates {
            var builder = TransactionTableBuilder(currency: currency)
            for history in histories {
                builder.customer(history.id)
                for order in history.orders {
                    _ = builder.appendOrder(customerID: history.id, placedAt: order.at, kind: order.kind, amountMinor: order.amountMinor)
                }
            }
            let firstDay = calendar.dayNumber(of: from) - 1
            states = DailyStates(table: builder.build(), customerIndex: index, options: options, model: model, firstDay: firstDay,
                                 days: calendar.dayNumber(of: to - 1) - firstDay + 1, needsModel: needsModel)
        }
        let scan = TriggerScan(histories: histories, states: states, calendar: calendar, from: from, to: to)
        var run = Run(campaigns: active, histories: histories, states: states, channels: channels, calendar: calendar, to: to,
                      engine: DecisionEngine(policy: policy), assumeConsent: assumeConsent, currency: currency)
        for (c, campaign) in active.enumerated() {
            for entry in scan.entries(campaign.trigger, campaign: c) { run.schedule(.enter(entry), at: entry.at) }
        }
        run.drain()
        return Replay(campaigns: run.results(), sent: run.sent, decisions: run.decisions)
    }
}

/// The event loop of one simulation: entries and journeys' steps in time order.
private struct Run {
    enum Task: Hashable {
        case enter(Entry)
        case resume(Int)
        case act(Int)
    }

    struct Journey {
        var campaign: Int
        var customer: Int
        var steps: [Step]
        var next = 0
        var exitIf: (event: String, since: Int64)?
        /// A held-out customer's shadow journey: it follows the steps so each step can be measured
        /// against the treated, but nothing is decided or sent.
        var heldOut = false
    }

    let campaigns: [Campaign]
    let histories: [CustomerHistory]
    let states: DailyStates?
    let channels: [String: String]
    let calendar: StoreCalendar
    let to: Int64
    let engine: DecisionEngine
    let assumeConsent: Bool
    var queue = MinHeap<TimedKey, Task>()
    var sequence = 0
    var journeys: [Journey] = []
    var activeJourney: [Int: [Int: Int]] = [:]
    var marketingSent: [Int: [Int64]] = [:]
    var tallies: [CampaignSimulation]
    var customersIn: [Set<Int>], heldOutCustomers: [Set<Int>], reachedCustomers: [Set<Int>]
    var suppressedCustomers: [[String: Set<Int>]]
    /// The actions sent, in time order.
    var sent: [PlannedAction] = []
    /// Every entry and step decision, in time order.
    var decisions: [JourneyDecision] = []
    /// Each customer's first entry into each campaign, with their arm.
    var firstEntries: [[Int: CampaignMeasurement.Entry]]
    /// Each customer's first arrival at each action step, by campaign and step key (index and action).
    var stepEntries: [[StepKey: [Int: CampaignMeasurement.Entry]]]

    struct StepKey: Hashable {
        var step: Int
        var action: String
    }
    let currency: Currency

    init(campaigns: [Campaign], histories: [CustomerHistory], states: DailyStates?, channels: [String: String], calendar: StoreCalendar,
         to: Int64, engine: DecisionEngine, assumeConsent: Bool, currency: Currency) {
        self.currency = currency
        firstEntries = campaigns.map { _ in [:] }
        stepEntries = campaigns.map { _ in [:] }
        self.campaigns = campaigns
        self.histories = histories
        self.states = states
        self.channels = channels
        self.calendar = calendar
        self.to = to
        self.engine = engine
        self.assumeConsent = assumeConsent
        tallies = campaigns.map { CampaignSimulation(id: $0.id) }
        customersIn = campaigns.map { _ in [] }
        heldOutCustomers = customersIn
        reachedCustomers = customersIn
        suppressedCustomers = campaigns.map { _ in [:] }
    }

    mutating func schedule(_ task: Task, at: Int64) {
        sequence += 1
        queue.push(task, key: TimedKey(at: at, order: sequence))
    }

    /// Runs every task in time order; actions due at the same instant are decided together.
    mutating func drain() {
        while let now = queue.minimumKey?.at {
            // Entries and resumed journeys first (they may add actions due now), then every action due now at once.
            var acts: [Int] = []
            while queue.minimumKey?.at == now, let item = queue.pop() {
                switch item.element {
                case let .enter(entry): enter(entry)
                case let .resume(j): advance(j, at: now)
                case let .act(j): acts.append(j)
                }
            }
            if !acts.isEmpty { decide(acts, at: now) }
        }
        for (j, journey) in journeys.enumerated() where !journey.heldOut && journey.next < Int.max && activeJourney[journey.campaign]?[journey.customer] == j {
            tallies[journey.campaign].inProgress += 1
        }
    }

    private func day(_ at: Int64) -> Int { calendar.dayNumber(of: at) }

    private func admits(_ campaign: Campaign, _ customer: Int, at: Int64) -> Bool {
        let audience = campaign.audience
        let d = day(at)
        if !audience.stages.isEmpty { guard let stage = states?.stage(customer, day: d), audience.stages.contains(stage) else { return false } }
        if !audience.segments.isEmpty { guard let segment = states?.segment(customer, day: d), audience.segments.contains(segment) else { return false } }
        if !audience.channels.isEmpty { guard let channel = channels[histories[customer].id], audience.channels.contains(channel) else { return false } }
        if let percentile = audience.minCLVPercentile, states?.clvAtLeast(percentile: percentile, customer, day: d) != true { return false }
        if let minimum = audience.minOrders, histories[customer].orders.filter({ $0.kind == .purchase && $0.at < at }).count < minimum { return false }
        return true
    }

    private mutating func enter(_ entry: Entry) {
        let campaign = campaigns[entry.campaign]
        guard admits(campaign, entry.customer, at: entry.at) else { return }
        if activeJourney[entry.campaign]?[entry.customer] != nil {
            tallies[entry.campaign].alreadyIn += 1
            return
        }
        tallies[entry.campaign].entries += 1
        customersIn[entry.campaign].insert(entry.customer)
        let heldOut = Holdout.isHeldOut(campaign: campaign.id, customer: histories[entry.customer].id, share: campaign.holdout)
        if firstEntries[entry.campaign][entry.customer] == nil {
            firstEntries[entry.campaign][entry.customer] = CampaignMeasurement.Entry(customer: entry.customer, at: entry.at, heldOut: heldOut)
        }
        decisions.append(JourneyDecision(campaignID: campaign.id, customerID: histories[entry.customer].id, step: nil, at: entry.at,
                                         outcome: heldOut ? .heldOut : .entered))
        if heldOut { heldOutCustomers[entry.campaign].insert(entry.customer) }
        journeys.append(Journey(campaign: entry.campaign, customer: entry.customer, steps: campaign.steps, heldOut: heldOut))
        activeJourney[entry.campaign, default: [:]][entry.customer] = journeys.count - 1
        advance(journeys.count - 1, at: entry.at)
    }

    /// Moves a journey on from `now` until it waits, acts or ends.
    private mutating func advance(_ j: Int, at now: Int64) {
        if let exit = journeys[j].exitIf {
            journeys[j].exitIf = nil
            if !histories[journeys[j].customer].times(of: exit.event, from: exit.since + 1, to: now + 1).isEmpty {
                if !journeys[j].heldOut { tallies[journeys[j].campaign].exited += 1 }
                finish(j)
                return
            }
        }
        while journeys[j].next < journeys[j].steps.count {
            let step = journeys[j].steps[journeys[j].next]
            journeys[j].next += 1
            switch step {
            case let .wait(span, exitIf):
                if let exitIf { journeys[j].exitIf = (exitIf, now) }
                if now + span.seconds >= to { return }  // still waiting when the period ends
                schedule(.resume(j), at: now + span.seconds)
                return
            case let .branch(branches):
                let chosen = branches.first { $0.condition.map { holds($0, customer: journeys[j].customer, at: now) } ?? true }
                journeys[j].steps.replaceSubrange(journeys[j].next..<journeys[j].next, with: chosen?.steps ?? [])
            case .message, .coupon, .tag:
                journeys[j].next -= 1
                schedule(.act(j), at: now)
                return
            }
        }
        if !journeys[j].heldOut { tallies[journeys[j].campaign].completed += 1 }
        finish(j)
    }

    private mutating func finish(_ j: Int) {
        activeJourney[journeys[j].campaign]?[journeys[j].customer] = nil
        journeys[j].next = Int.max
    }

    private func holds(_ condition: Condition, customer: Int, at now: Int64) -> Bool {
        let history = histories[customer]
        switch condition {
        case .priceSensitive:
            let purchases = history.orders.filter { $0.kind == .purchase && $0.at < now }
            return !purchases.isEmpty && Double(purchases.filter { $0.couponCode != nil }.count) / Double(purchases.count) > 0.5
        case let .recentComplaint(span):
            return history.events.contains { $0.at < now && $0.at >= now - span.seconds && ($0.type == "support_ticket" || ($0.type == "review" && ($0.rating ?? 5) <= 2)) }
        case let .stage(stage): return states?.stage(customer, day: day(now)) == stage
        case let .segment(segment): return states?.segment(customer, day: day(now)) == segment
        case let .churnRiskAbove(value): return (states?.churnRisk(customer, day: day(now)) ?? 0) > value
        }
    }

    /// Decides the actions due now together (caps and priority act across campaigns).
    private mutating func decide(_ due: [Int], at now: Int64) {
        var planned: [PlannedAction] = []
        var contact: [String: ContactState] = [:]
        var journeyOf: [PlannedAction: Int] = [:]
        var shadows: [Int] = []
        for j in due {
            let journey = journeys[j]
            let campaign = campaigns[journey.campaign]
            let action: PlannedAction.Action
            switch journey.steps[journey.next] {
            case let .message(message): action = .message(message)
            case let .coupon(coupon): action = .coupon(coupon)
            case let .tag(tag): action = .tag(tag)
            default: continue
            }
            let key = StepKey(step: journey.next, action: Self.describe(action))
            if stepEntries[journey.campaign][key, default: [:]][journey.customer] == nil {
                stepEntries[journey.campaign][key, default: [:]][journey.customer] = CampaignMeasurement.Entry(customer: journey.customer, at: now, heldOut: journey.heldOut)
            }
            if journey.heldOut {
                shadows.append(j)
                continue
            }
            let history = histories[journey.customer]
            // Holdout was decided on entry: the engine sees 0 here.
            let plan = PlannedAction(campaignID: campaign.id, priority: campaign.priority, holdout: 0, customerID: history.id, step: journey.next, action: action, at: now)
            planned.append(plan)
            journeyOf[plan] = j
            let consent = assumeConsent ? Dictionary(uniqueKeysWithValues: MessageChannel.allCases.map { ($0, true) }) : history.consent(at: now)
            contact[history.id] = ContactState(consent: consent, timeZone: history.timeZone,
                                               marketingSent: (marketingSent[journey.customer] ?? []).filter { now - $0 < 7 * 86_400 })
        }
        for j in shadows {
            journeys[j].next += 1
            advance(j, at: now)
        }
        for decision in engine.decide(planned, states: contact) {
            guard let j = journeyOf[decision.action] else { continue }
            let c = journeys[j].campaign, customer = journeys[j].customer
            let planned = decision.action
            func record(_ outcome: JourneyDecision.Outcome) {
                decisions.append(JourneyDecision(campaignID: planned.campaignID, customerID: planned.customerID, step: planned.step, at: planned.at,
                                                 outcome: outcome, action: planned.action))
            }
            switch decision.outcome {
            case .deferred(let until):
                record(.deferred(until: until))
                tallies[c].deferredQuietHours += 1
                if until < to { schedule(.act(j), at: until) }
                continue
            case .send, .heldOut:
                record(.sent)
                reachedCustomers[c].insert(customer)
                sent.append(decision.action)
                switch decision.action.action {
                case .message: tallies[c].messages += 1
                case .coupon: tallies[c].coupons += 1
                case .tag: tallies[c].tags += 1
                }
                if let message = decision.action.action.message, !message.transactional { marketingSent[customer, default: []].append(now) }
            case .suppressed(let reason):
                record(.suppressed(reason))
                suppressedCustomers[c][reason.rawValue, default: []].insert(customer)
            }
            journeys[j].next += 1
            advance(j, at: now)
        }
    }

    /// A step's action in a few words: `message email welcome-guide`, `coupon sms welcome-coupon`, `tag vip`.
    static func describe(_ action: PlannedAction.Action) -> String {
        switch action {
        case let .message(m): "message \(m.channel.rawValue) \(m.template)"
        case let .coupon(c): "coupon \(c.message.channel.rawValue) \(c.message.template)"
        case let .tag(tag): "tag \(tag)"
        }
    }

    func results() -> [CampaignSimulation] {
        tallies.enumerated().map { c, tally in
            var result = tally
            result.customers = customersIn[c].count
            result.heldOut = heldOutCustomers[c].count
            result.reached = reachedCustomers[c].count
            result.suppressed = suppressedCustomers[c].mapValues(\.count)
            result.steps = stepEntries[c].sorted { ($0.key.step, $0.key.action) < ($1.key.step, $1.key.action) }.map { key, entries in
                StepMeasurement(step: key.step, action: key.action,
                                measurement: CampaignMeasurement.measure(entries.values.sorted { $0.customer < $1.customer }, histories: histories,
                                                                         attributionDays: campaigns[c].attributionDays, holdout: campaigns[c].holdout,
                                                                         currency: currency))
            }
            if !firstEntries[c].isEmpty {
                let entries = firstEntries[c].values.sorted { $0.customer < $1.customer }
                result.measurement = CampaignMeasurement.measure(entries, histories: histories, attributionDays: campaigns[c].attributionDays,
                                                                 holdout: campaigns[c].holdout, currency: currency)
            }
            return result
        }
    }
}
