import Foundation
import PerennialCampaigns
import PerennialCore
import PerennialServer
import PerennialStorage
import PerennialTestSupport
import Testing

/// Campaign definitions, the decision engine's rules and the uplift statistics, without I/O.
@Suite struct CampaignTests {
    static var examples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/campaigns")
    }

    // MARK: Definitions

    @Test("every example definition in examples/campaigns is valid, with the steps the issue describes")
    func examples() throws {
        var campaigns: [String: Campaign] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.examples.path).sorted() where file.hasSuffix(".json") {
            let (parsed, problems) = CampaignParser.parse(try Data(contentsOf: Self.examples.appendingPathComponent(file)))
            #expect(problems.isEmpty, "\(file): \(problems)")
            for campaign in parsed { campaigns[campaign.id] = campaign }
        }
        #expect(Set(campaigns.keys) == ["welcome-series", "win-back", "cart-recovery", "loyalty-upgrade", "birthday", "replenishment"])
        let welcome = try #require(campaigns["welcome-series"])
        #expect(welcome.trigger == .event(type: "order", firstOrder: true, notFollowedBy: nil, within: nil))
        #expect(welcome.steps.count == 4 && welcome.steps[0] == .wait(.days(3), exitIf: nil) && welcome.steps[2] == .wait(.days(14), exitIf: "order"))
        guard case let .coupon(coupon) = welcome.steps[3] else { Issue.record("the welcome series ends with a coupon"); return }
        #expect(coupon.amountOff == 30 && coupon.minimumSpend == 200 && coupon.expiresIn == .days(7) && coupon.message.channel == .sms)
        let winBack = try #require(campaigns["win-back"])
        #expect(winBack.trigger == .thresholdCrossed(metric: .churnRisk, above: true, value: 0.7) && winBack.audience.minCLVPercentile == 70)
        guard case let .branch(branches) = winBack.steps[0] else { Issue.record("win-back branches"); return }
        #expect(branches.map(\.condition) == [.priceSensitive, .recentComplaint(.days(30)), nil])
        #expect(campaigns["cart-recovery"]?.trigger == .event(type: "add_to_cart", firstOrder: false, notFollowedBy: "order", within: .hours(4)))
        #expect(campaigns["loyalty-upgrade"]?.trigger == .stageEntered(.loyal) && campaigns["birthday"]?.trigger == .birthdayMonth)
        #expect(campaigns["replenishment"]?.trigger == .replenishmentDue(lead: .days(2), minPurchases: 3))
    }

    @Test("a YAML definition is the same campaign as its JSON; YAML mistakes are named with their line")
    func yaml() throws {
        let json = CampaignParser.parse(try Data(contentsOf: Self.examples.appendingPathComponent("welcome-series.json")))
        let yaml = CampaignParser.parse(try Data(contentsOf: Self.examples.appendingPathComponent("yaml/welcome-series.yaml")))
        #expect(json.problems.isEmpty && yaml.problems.isEmpty, "\(yaml.problems)")
        #expect(yaml.campaigns == json.campaigns && yaml.campaigns.count == 1)
        // Field problems carry the same paths as in JSON.
        let wrong = CampaignParser.parse(Data("id: w\ntrigger:\n  type: stage_entered\n  stage: vip\nsteps:\n  - wait: 3 days\n".utf8))
        #expect(wrong.problems.map(\.path) == ["trigger.stage", "steps[0].wait"], "\(wrong.problems)")
        // Broken YAML says so, with where.
        let broken = CampaignParser.parse(Data("id: w\ntrigger:\n  type: event\n   event: order\n".utf8))
        let problem = try #require(broken.problems.first)
        #expect(broken.campaigns.isEmpty && problem.path == "(document)" && problem.message.hasPrefix("not valid YAML") && problem.message.contains("4:"), "\(problem)")
        #expect(CampaignParser.parse(Data("# nothing\n".utf8)).problems.first?.message.contains("empty") == true)
    }

    @Test("invalid definitions are rejected with every problem named by its field")
    func problems() {
        let text = #"""
        {"campaigns": [
          {"id": "bad one", "priority": 5000, "holdout": 0.8, "trigger": {"type": "stage_entered", "stage": "vip"},
           "steps": [{"wait": "3 days"}, {"message": {"channel": "fax", "template": "x"}},
                     {"coupon": {"amount_off": 300, "min_spend": 200, "expires_in": "7d", "channel": "sms", "template": "c"}},
                     {"wait": "1d", "message": {"channel": "sms", "template": "x"}}], "colour": "red"},
          {"id": "ok", "trigger": {"type": "event", "event": "add_to_cart", "not_followed_by": "order"}, "steps": []}
        ]}
        """#
        let (campaigns, problems) = CampaignParser.parse(Data(text.utf8))
        #expect(campaigns.isEmpty)
        let paths = problems.map(\.path)
        for path in ["campaigns[0].id", "campaigns[0].priority", "campaigns[0].holdout", "campaigns[0].trigger.stage", "campaigns[0].steps[0].wait",
                     "campaigns[0].steps[1].message.channel", "campaigns[0].steps[2].coupon.amount_off", "campaigns[0].steps[3]",
                     "campaigns[0].colour", "campaigns[1].trigger.within", "campaigns[1].steps"] {
            #expect(paths.contains(path), "a problem at \(path); got \(problems)")
        }
        #expect(problems.first { $0.path == "campaigns[0].steps[1].message.channel" }?.message == "'fax' is not one of sms, email, push, wechat")
        #expect(CampaignParser.parse(Data("{".utf8)).problems.first?.path == "(document)")
    }

    // MARK: Holdout

    @Test("holdout: the same arm on every run, the share within 1% over 100,000 customers, campaigns independent")
    func holdout() {
        // Pinned: a change of the hash would move customers between arms of running campaigns.
        #expect(Holdout.position(campaign: "win-back", customer: "12347") == Holdout.position(campaign: "win-back", customer: "12347"))
        let pinned = (0..<8).map { Holdout.isHeldOut(campaign: "welcome-series", customer: "c\($0)", share: 0.5) }
        #expect(pinned == (0..<8).map { Holdout.isHeldOut(campaign: "welcome-series", customer: "c\($0)", share: 0.5) })
        for share in [0.05, 0.1, 0.3] {
            let held = (0..<100_000).filter { Holdout.isHeldOut(campaign: "win-back", customer: String(100_000 + $0), share: share) }.count
            #expect(abs(Double(held) / 100_000 - share) < 0.01, "share \(share): \(held) held out")
        }
        // In two campaigns at 10%, about 1% of customers are held out of both.
        let both = (0..<100_000).filter {
            Holdout.isHeldOut(campaign: "win-back", customer: "\($0)", share: 0.1) && Holdout.isHeldOut(campaign: "cart-recovery", customer: "\($0)", share: 0.1)
        }.count
        #expect(abs(Double(both) / 100_000 - 0.01) < 0.002)
    }

    // MARK: Decisions

    /// A customer who is never held out of the campaigns below (holdout 0).
    static func action(_ campaign: String, priority: Int, customer: String = "c1", channel: MessageChannel = .sms, at: Int64,
                       transactional: Bool = false, holdout: Double = 0) -> PlannedAction {
        PlannedAction(campaignID: campaign, priority: priority, holdout: holdout, customerID: customer, step: 0,
                      action: .message(Message(channel: channel, template: "t", transactional: transactional)), at: at)
    }

    static let noon = utc(2024, 6, 3, 12)

    @Test("consent: withdrawn or never given → no message, recorded with the reason; tags need none")
    func consent() {
        let engine = DecisionEngine()
        let states = ["c1": ContactState(consent: [.sms: false, .email: true]), "c2": ContactState(consent: [.email: true])]
        let decisions = engine.decide([Self.action("a", priority: 1, at: Self.noon), Self.action("b", priority: 1, customer: "c2", at: Self.noon),
                                       Self.action("c", priority: 1, channel: .email, at: Self.noon),
                                       PlannedAction(campaignID: "t", priority: 1, holdout: 0, customerID: "c2", step: 1, action: .tag("vip"), at: Self.noon)],
                                      states: states)
        let byCampaign = Dictionary(uniqueKeysWithValues: decisions.map { ($0.action.campaignID, $0) })
        #expect(byCampaign["a"]?.outcome == .suppressed(.consent) && byCampaign["a"]?.reason == "the customer withdrew consent for sms")
        #expect(byCampaign["b"]?.outcome == .suppressed(.consent) && byCampaign["b"]?.reason == "the customer has not consented to sms")
        #expect(byCampaign["c"]?.outcome == .send)
        #expect(byCampaign["t"]?.outcome == .send)
    }

    @Test("caps: the higher priority takes the day's one place, the other is suppressed with priority; earlier sends block with frequency_cap; transactional is exempt")
    func caps() {
        let engine = DecisionEngine(policy: ContactPolicy(perDay: 1, perWeek: 3))
        let consenting = ContactState(consent: [.sms: true, .push: true])
        let collide = engine.decide([Self.action("cart-recovery", priority: 70, at: Self.noon), Self.action("win-back", priority: 80, channel: .push, at: Self.noon)],
                                    states: ["c1": consenting])
        #expect(collide.map(\.action.campaignID) == ["win-back", "cart-recovery"])
        #expect(collide[0].outcome == .send)
        #expect(collide[1].outcome == .suppressed(.priority) && collide[1].reason == "the cap went to higher-priority win-back")
        // Sent 23 hours ago: today's place is taken; 25 hours ago it is not, but three in a week is the weekly cap.
        var state = consenting
        state.marketingSent = [Self.noon - 23 * 3600]
        #expect(engine.decide([Self.action("a", priority: 99, at: Self.noon)], states: ["c1": state])[0].outcome == .suppressed(.frequencyCap))
        state.marketingSent = [Self.noon - 25 * 3600]
        #expect(engine.decide([Self.action("a", priority: 99, at: Self.noon)], states: ["c1": state])[0].outcome == .send)
        state.marketingSent = [Self.noon - 2 * 86_400, Self.noon - 4 * 86_400, Self.noon - 6 * 86_400]
        let weekly = engine.decide([Self.action("a", priority: 99, at: Self.noon)], states: ["c1": state])[0]
        #expect(weekly.outcome == .suppressed(.frequencyCap) && weekly.reason == "the cap of 3 a week was already reached")
        state.marketingSent = [Self.noon - 3600]
        #expect(engine.decide([Self.action("receipt", priority: 1, at: Self.noon, transactional: true)], states: ["c1": state])[0].outcome == .send)
    }

    @Test("quiet hours: deferred to 09:00 in the customer's own time zone, across midnight")
    func quietHours() {
        let engine = DecisionEngine(policy: ContactPolicy(quietStart: 21, quietEnd: 9))
        let shanghai = ContactState(consent: [.sms: true], timeZone: "Asia/Shanghai")
        // 14:00 UTC is 22:00 in Shanghai: deferred to 09:00 the next local day, 01:00 UTC.
        let evening = engine.decide([Self.action("a", priority: 1, at: utc(2024, 6, 3, 14))], states: ["c1": shanghai])[0]
        #expect(evening.outcome == .deferred(until: utc(2024, 6, 4, 1)))
        // 20:00 UTC is 04:00 in Shanghai the next day: deferred to 09:00 that same local day.
        #expect(engine.decide([Self.action("a", priority: 1, at: utc(2024, 6, 3, 20))], states: ["c1": shanghai])[0].outcome == .deferred(until: utc(2024, 6, 4, 1)))
        // 02:00 UTC is 10:00 in Shanghai: sent.
        #expect(engine.decide([Self.action("a", priority: 1, at: utc(2024, 6, 3, 2))], states: ["c1": shanghai])[0].outcome == .send)
        // London in summer (UTC+1): 20:30 UTC is 21:30 local → 09:00 local = 08:00 UTC.
        let london = ContactState(consent: [.sms: true], timeZone: "Europe/London")
        #expect(engine.decide([Self.action("a", priority: 1, at: utc(2024, 6, 3, 20, 30))], states: ["c1": london])[0].outcome == .deferred(until: utc(2024, 6, 4, 8)))
    }

    @Test("held-out customers get nothing and do not use a cap place")
    func heldOut() throws {
        let engine = DecisionEngine()
        // A customer held out of a campaign at 50%, found by the hash.
        let customer = try #require((0..<100).map { "h\($0)" }.first { Holdout.isHeldOut(campaign: "win-back", customer: $0, share: 0.5) })
        let decisions = engine.decide([Self.action("win-back", priority: 80, customer: customer, at: Self.noon, holdout: 0.5),
                                       Self.action("cart-recovery", priority: 70, customer: customer, at: Self.noon)],
                                      states: [customer: ContactState(consent: [.sms: true])])
        #expect(decisions.map(\.outcome) == [.heldOut, .send])
    }

    // MARK: Simulation

    @Test("simulation: cart recovery and a welcome series over a hand-made June, with consent, quiet hours, a priority collision and an exit")
    func simulation() throws {
        let cart = #"{"id": "cart-recovery", "priority": 70, "holdout": 0, "trigger": {"type": "event", "event": "add_to_cart", "not_followed_by": "order", "within": "4h"}, "steps": [{"message": {"channel": "push", "template": "cart"}}]}"#
        let welcome = #"{"id": "welcome-series", "priority": 60, "holdout": 0, "trigger": {"type": "event", "event": "order", "first_order": true}, "steps": [{"wait": "3d"}, {"message": {"channel": "email", "template": "guide"}}, {"wait": "14d", "exit_if": {"event": "order"}}, {"coupon": {"amount_off": 30, "min_spend": 200, "expires_in": "7d", "channel": "sms", "template": "coupon"}}]}"#
        let (campaigns, problems) = CampaignParser.parse(Data("[\(cart), \(welcome)]".utf8))
        #expect(problems.isEmpty)
        let all: [CustomerHistory.ConsentChange] = MessageChannel.allCases.map { .init(at: utc(2024, 1, 1), channel: $0, granted: true) }
        let order = { (at: Int64) in CustomerHistory.Order(at: at, kind: .purchase, amountMinor: 10_000) }
        let histories = [
            // a: orders within 4 hours of the cart: no reminder.
            CustomerHistory(id: "a", orders: [order(utc(2023, 1, 5)), order(utc(2024, 6, 3, 11))], events: [.init(at: utc(2024, 6, 3, 10), type: "add_to_cart")], consent: all),
            // b: reminded at 14:00. c: no consent. d: due at 23:00, in quiet hours: sent at 09:00 the next day.
            CustomerHistory(id: "b", orders: [order(utc(2023, 1, 5))], events: [.init(at: utc(2024, 6, 3, 10), type: "add_to_cart")], consent: all),
            CustomerHistory(id: "c", orders: [order(utc(2023, 1, 5))], events: [.init(at: utc(2024, 6, 3, 10), type: "add_to_cart")]),
            CustomerHistory(id: "d", orders: [order(utc(2023, 1, 5))], events: [.init(at: utc(2024, 6, 3, 19), type: "add_to_cart")], consent: all),
            // e: first order on June 1, welcomed on June 4, orders again on June 10: leaves before the coupon.
            CustomerHistory(id: "e", orders: [order(utc(2024, 6, 1, 12)), order(utc(2024, 6, 10, 12))], consent: all),
            // f: first order on June 1; on June 4 at 12:00 the cart reminder (priority 70) takes the day's place
            // from the welcome email (60); no second order, so the coupon goes out on June 18.
            CustomerHistory(id: "f", orders: [order(utc(2024, 6, 1, 12))], events: [.init(at: utc(2024, 6, 4, 8), type: "add_to_cart")], consent: all),
        ]
        let simulator = Simulator(campaigns: campaigns, policy: ContactPolicy(perDay: 1, perWeek: 3, quietStart: 21, quietEnd: 9))
        let results = simulator.run(histories: histories, options: AnalysisOptions(asOf: nil, calendar: .utc), model: nil,
                                    from: utc(2024, 6, 1), to: utc(2024, 7, 1), currency: Currency("GBP"))
        let cartResult = results[0], welcomeResult = results[1]
        #expect(cartResult.entries == 4 && cartResult.customers == 4 && cartResult.heldOut == 0)
        #expect(cartResult.reached == 3 && cartResult.messages == 3 && cartResult.deferredQuietHours == 1)
        #expect(cartResult.suppressed == ["consent": 1] && cartResult.completed == 4 && cartResult.inProgress == 0)
        #expect(welcomeResult.entries == 2 && welcomeResult.reached == 2 && welcomeResult.messages == 1 && welcomeResult.coupons == 1)
        #expect(welcomeResult.suppressed == ["priority": 1] && welcomeResult.exited == 1 && welcomeResult.completed == 1)
        // With a 50% holdout, exactly the customers the hash holds out get nothing.
        var held = campaigns[0]
        held.holdout = 0.5
        let expected = ["b", "c", "d", "f"].filter { Holdout.isHeldOut(campaign: "cart-recovery", customer: $0, share: 0.5) }.count
        let heldResult = Simulator(campaigns: [held]).run(histories: histories, options: AnalysisOptions(calendar: .utc), model: nil,
                                                          from: utc(2024, 6, 1), to: utc(2024, 7, 1), currency: Currency("GBP"))[0]
        #expect(heldResult.heldOut == expected && heldResult.customers == 4)
    }

    @Test("per-step measurement: held-out customers follow the same waits and exits unsent, and each step compares those who came to it")
    func stepMeasurement() throws {
        let definition = #"{"id": "nudge", "holdout": 0.5, "attribution_days": 7, "trigger": {"type": "event", "event": "add_to_cart"}, "steps": [{"wait": "1d", "exit_if": {"event": "order"}}, {"message": {"channel": "push", "template": "reminder"}}, {"wait": "2d"}, {"tag": "nudged"}]}"#
        let campaigns = CampaignParser.parse(Data(definition.utf8)).campaigns
        let ids = (1...200).map { "s\($0)" }
        let treated = Array(ids.filter { !Holdout.isHeldOut(campaign: "nudge", customer: $0, share: 0.5) }.prefix(4))
        let held = Array(ids.filter { Holdout.isHeldOut(campaign: "nudge", customer: $0, share: 0.5) }.prefix(4))
        // Everyone leaves a cart on June 1 at 10:00. The first of each arm orders at 15:00 and exits before the
        // reminder (due June 2 at 10:00); T2, T3 and H2 order on June 4, inside the 7-day window after it.
        let early = utc(2024, 6, 1, 15), late = utc(2024, 6, 4, 12)
        let plan: [(String, Int64?)] = [(treated[0], early), (treated[1], late), (treated[2], late), (treated[3], nil),
                                        (held[0], early), (held[1], late), (held[2], nil), (held[3], nil)]
        let histories = plan.map { id, at in
            CustomerHistory(id: id, orders: at.map { [CustomerHistory.Order(at: $0, kind: .purchase, amountMinor: 5_000)] } ?? [],
                            events: [.init(at: utc(2024, 6, 1, 10), type: "add_to_cart")])
        }
        let replay = Simulator(campaigns: campaigns, assumeConsent: true)
            .replay(histories: histories, options: AnalysisOptions(asOf: nil, calendar: .utc), model: nil, from: utc(2024, 6, 1), to: utc(2024, 7, 1),
                    currency: Currency("GBP"))
        let result = try #require(replay.campaigns.first)
        // Only the treated are sent anything: reminders to T2–T4, tags to the same three.
        #expect(Set(replay.sent.map(\.customerID)) == Set(treated[1...3]) && result.messages == 3 && result.tags == 3 && result.reached == 3)
        #expect(result.exited == 1 && result.completed == 3, "the held-out journeys are not counted as the campaign's")
        // The campaign from entry: treated 3 of 4 converted, held out 2 of 4.
        let whole = try #require(result.measurement)
        #expect(whole.treated == 4 && whole.treatedConversions == 3 && whole.control == 4 && whole.controlConversions == 2)
        // The reminder step: those who came to it on June 2 (T2–T4 against H2–H4): 2 of 3 against 1 of 3.
        #expect(result.steps.map(\.step) == [1, 3] && result.steps.map(\.action) == ["message push reminder", "tag nudged"])
        let reminder = result.steps[0].measurement
        #expect(reminder.treated == 3 && reminder.treatedConversions == 2 && reminder.control == 3 && reminder.controlConversions == 1)
        let difference = try #require(reminder.conversion?.difference)
        #expect(abs(difference - (2.0 / 3 - 1.0 / 3)) < 1e-12)
        // The tag step comes due on June 4 at 10:00, before the 12:00 orders: the same arms, the same conversions.
        #expect(result.steps[1].measurement.treatedConversions == 2 && result.steps[1].measurement.controlConversions == 1)
        // No decision is recorded for a shadow step: held-out customers have only their entry.
        #expect(replay.decisions.filter { held.contains($0.customerID) }.map(\.outcome) == Array(repeating: .heldOut, count: 4))
    }

    @Test("measurement: conversions and revenue inside the attribution window only, treated against held out")
    func measurement() throws {
        let entry = utc(2024, 6, 1, 12)
        let order = { (at: Int64, pounds: Int64) in CustomerHistory.Order(at: at, kind: .purchase, amountMinor: pounds * 100) }
        let histories = [
            CustomerHistory(id: "t1", orders: [order(entry + 3600, 100)]),                      // converts
            CustomerHistory(id: "t2", orders: [order(entry + 7 * 86_400, 50)]),                 // on the window's last second: converts
            CustomerHistory(id: "t3", orders: [order(entry, 80), order(entry + 7 * 86_400 + 1, 60)]),  // at entry, and after the window: no
            CustomerHistory(id: "t4"),
            CustomerHistory(id: "c1", orders: [order(entry + 86_400, 30)]),
            CustomerHistory(id: "c2"), CustomerHistory(id: "c3"), CustomerHistory(id: "c4"),
        ]
        let entries = (0..<8).map { CampaignMeasurement.Entry(customer: $0, at: entry, heldOut: $0 >= 4) }
        let m = CampaignMeasurement.measure(entries, histories: histories, attributionDays: 7, holdout: 0.5, currency: Currency("GBP"))
        #expect(m.treated == 4 && m.control == 4 && m.treatedConversions == 2 && m.controlConversions == 1)
        #expect(m.conversion == Uplift.proportions(treated: 2, of: 4, control: 1, of: 4))
        #expect(m.revenuePerCustomer == Uplift.means(treated: [100, 50, 0, 0], control: [30, 0, 0, 0]))
        #expect(m.incrementalRevenue == (37.5 - 7.5) * 4)
        #expect(m.warnings == ["too few customers to conclude: 4 treated and 4 held out (at least 100 in each arm)"])
        // 900 treated and 50 held out at a 10% setting: the sample ratio check warns.
        let skewed = (0..<950).map { CampaignMeasurement.Entry(customer: $0 % 8, at: entry, heldOut: $0 < 50) }
        let warned = CampaignMeasurement.measure(skewed, histories: histories, attributionDays: 7, holdout: 0.1, currency: Currency("GBP"))
        #expect(warned.sampleRatioPValue < 0.001 && warned.warnings.contains { $0.hasPrefix("sample ratio mismatch: 50 of 950 held out against a 10% setting") })
    }

    @Test("coupon ledger: redeemed only by a purchase carrying the code before expiry; cost of amount-off and percent-off coupons")
    func ledger() {
        let issuedAt = utc(2024, 6, 1, 12)
        func coupon(_ customer: String, amount: Double?, percent: Double?) -> PlannedAction {
            PlannedAction(campaignID: "c", priority: 1, holdout: 0, customerID: customer, step: 0,
                          action: .coupon(Coupon(amountOff: amount, percentOff: percent, minimumSpend: 0, expiresIn: .days(7), codePrefix: "X",
                                                 message: Message(channel: .sms, template: "t"))), at: issuedAt)
        }
        let sent = [coupon("a", amount: 30, percent: nil), coupon("b", amount: nil, percent: 15), coupon("c", amount: 10, percent: nil),
                    coupon("d", amount: 10, percent: nil), coupon("e", amount: 10, percent: nil)]
        let histories = [
            "a": CustomerHistory(id: "a", orders: [.init(at: issuedAt + 86_400, kind: .purchase, amountMinor: 25_000, couponCode: "code-a")]),
            "b": CustomerHistory(id: "b", orders: [.init(at: issuedAt + 6 * 86_400, kind: .purchase, amountMinor: 20_000, couponCode: "code-b")]),
            // c used the code after it expired; d used another code; e has not used it yet.
            "c": CustomerHistory(id: "c", orders: [.init(at: issuedAt + 8 * 86_400, kind: .purchase, amountMinor: 5_000, couponCode: "code-c")]),
            "d": CustomerHistory(id: "d", orders: [.init(at: issuedAt + 86_400, kind: .purchase, amountMinor: 5_000, couponCode: "other")]),
        ]
        let code = { (action: PlannedAction) in "code-" + action.customerID }
        let ledger = CouponLedger.compute(sent, histories: histories, now: issuedAt + 30 * 86_400, currencyMinorPerMajor: 100, code: code)
        #expect(ledger.issued == 5 && ledger.redeemed == 2 && ledger.expired == 3 && ledger.open == 0)
        #expect(ledger.cost == 30 + 200 * 0.15)
        let early = CouponLedger.compute(sent, histories: histories, now: issuedAt + 3 * 86_400, currencyMinorPerMajor: 100, code: code)
        #expect(early.redeemed == 2 && early.open == 3 && early.expired == 0, "before expiry, unused coupons are open")
    }

    // MARK: Statistics

    @Test("uplift statistics against hand computation (and scipy 1.17.1): two-proportion z-test, Welch's t-test, sample ratio")
    func statistics() throws {
        // 120 of 1,000 treated converted, 90 of 1,000 held out. Pooled p = 210/2000 = 0.105,
        // SE = √(0.105 · 0.895 · 0.002) = 0.0137095, z = 0.03 / SE = 2.18827, p = 0.028650;
        // unpooled SE √(0.12·0.88/1000 + 0.09·0.91/1000) = 0.0136931, CI 0.03 ± 1.959964 · SE.
        let z = try #require(Uplift.proportions(treated: 120, of: 1_000, control: 90, of: 1_000))
        #expect(abs(z.statistic - 2.1882658846227234) < 1e-12)
        #expect(abs(z.pValue - 0.028650240398448473) < 1e-12)
        #expect(abs(z.lower - 0.003162087844242642) < 1e-12 && abs(z.upper - 0.056837912155757356) < 1e-12)
        // Revenue per customer: treated 12, 15, 11, 18, 14 (mean 14, variance 7.5); control 10, 9, 13, 8, 11, 10
        // (mean 10.1667, variance 2.96667). SE² = 7.5/5 + 2.96667/6 = 1.994444, t = 3.83333/1.412248 = 2.714349,
        // df = 1.994444² / (1.5²/4 + 0.494444²/5) = 6.50612.
        let t = try #require(Uplift.means(treated: [12, 15, 11, 18, 14], control: [10, 9, 13, 8, 11, 10]))
        #expect(abs(t.statistic - 2.7143485447311524) < 1e-10)
        #expect(abs(t.degreesOfFreedom! - 6.506118369242574) < 1e-10)
        #expect(abs(t.pValue - 0.03221402060047461) < 1e-9)
        #expect(abs(t.lower - 0.44181509147359366) < 1e-8 && abs(t.upper - 7.224851575193075) < 1e-8)
        #expect(abs(Distributions.studentCDF(2.0, df: 5.3) - 0.9506438234885671) < 1e-12)
        #expect(abs(Distributions.studentQuantile(0.975, df: 7) - 2.364624251592784) < 1e-10)
        // Sample ratio: 4,850 treated and 650 held out at a 10% setting (expected 4,950 and 550): χ² = 20.2020, p = 6.968e-6.
        let ratio = Uplift.sampleRatio(treated: 4_850, control: 650, holdout: 0.1)
        #expect(abs(ratio.statistic - 20.202020202020204) < 1e-9 && abs(ratio.pValue - 6.967931072849822e-06) < 1e-12)
        #expect(Uplift.proportions(treated: 0, of: 10, control: 0, of: 10) == nil && Uplift.means(treated: [1], control: [2, 3]) == nil)
    }
}

/// `perennial campaigns` through the real binary.
@Suite struct CampaignCommandTests {
    @Test("campaigns simulate over the Online Retail history (a generated store without ../shared): the JSON report, and no consent means no message")
    func simulateCommand() async throws {
        let directory = try TemporaryDirectory()
        let examples = CampaignTests.examples.path
        let files = ["welcome-series.json", "cart-recovery.json", "replenishment.json"].map { examples + "/" + $0 }
        let from: String, to: String
        if let retail = SharedDatasets.path("online_retail.csv.gz") {
            _ = try CommandLineTests.run(["import", "orders", retail, "--format", "online-retail"], in: directory.url)
            (from, to) = ("2011-11-01", "2011-12-01")
        } else {
            _ = try CommandLineTests.run(["generate", "--customers", "400", "--seed", "3", "--out", "store.csv"], in: directory.url)
            _ = try CommandLineTests.run(["import", "orders", "store.csv", "--format", "generic"], in: directory.url)
            (from, to) = ("2024-06-01", "2024-07-01")
        }
        func simulate(_ extra: [String]) throws -> [String: Any] {
            let run = try CommandLineTests.run(["campaigns", "simulate"] + files + ["--from", from, "--to", to, "--json"] + extra, in: directory.url)
            #expect(run.status == 0, "\(run.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        }
        // The store has no consent events: every message is suppressed for consent; nothing reaches anyone.
        let strict = try simulate([])
        #expect(strict["reached"] as? Int == 0)
        let rows = try #require(strict["campaigns"] as? [[String: Any]])
        let welcome = try #require(rows.first { $0["id"] as? String == "welcome-series" })
        let customers = try #require(welcome["customers"] as? Int), heldOut = try #require(welcome["held_out"] as? Int)
        #expect(customers > 0 && heldOut < customers)
        #expect(((welcome["suppressed"] as? [String: Int])?["consent"] ?? 0) > 0)
        // Assuming consent, customers are reached, and a held-out customer never is.
        let open = try simulate(["--assume-consent"])
        let reached = try #require(open["reached"] as? Int), held = try #require(open["held_out"] as? Int)
        #expect(reached > 0 && held == strict["held_out"] as? Int)
        for row in try #require(open["campaigns"] as? [[String: Any]]) {
            let entered = row["customers"] as? Int ?? 0
            #expect((row["reached"] as? Int ?? 0) + (row["held_out"] as? Int ?? 0) <= entered, "\(row)")
        }
        let suppressed = try #require(open["suppressed"] as? [String: Int])
        #expect(Set(suppressed.keys) == ["consent", "frequency_cap", "priority"] && suppressed["consent"] == 0)
        // Stored campaigns: apply, list, pause, report.
        #expect(try CommandLineTests.run(["campaigns", "apply", files[0]], in: directory.url).status == 0)
        let listed = try CommandLineTests.run(["campaigns", "list", "--json"], in: directory.url)
        #expect(listed.stdout.contains(#""id" : "welcome-series""#) && listed.stdout.contains(#""active" : true"#))
        #expect(try CommandLineTests.run(["campaigns", "pause", "welcome-series"], in: directory.url).status == 0)
        #expect(try CommandLineTests.run(["campaigns", "list", "--json"], in: directory.url).stdout.contains(#""active" : false"#))
        #expect(try CommandLineTests.run(["campaigns", "pause", "nope"], in: directory.url).status != 0)
        #expect(try CommandLineTests.run(["campaigns", "resume", "welcome-series"], in: directory.url).status == 0)
        let report = try CommandLineTests.run(["campaigns", "report", "--from", from, "--to", to, "--json"], in: directory.url)
        #expect(report.status == 0, "\(report.stderr)")
        let reportObject = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let reportRow = try #require((reportObject["campaigns"] as? [[String: Any]])?.first)
        #expect(reportRow["id"] as? String == "welcome-series" && reportRow["customers"] as? Int == customers)
        #expect((reportRow["coupons"] as? [String: Any])?["issued"] as? Int == 0, "no consent in the store: no coupon went out")
        // What the live runner decides is on record: run it over the last 30 days of the period, then list.
        let day = to.split(separator: "-").compactMap { Int($0) }
        let end = utc(day[0], day[1], day[2])
        do {
            let store = try await StoreLocation.open(directory.path("perennial.db"))
            try await setCampaignCursor(store, end - 30 * 86_400)
            let tick = try await CampaignRunner(store: store).tick(now: end)
            #expect(tick.decisions > 0 && tick.enqueued == 0)
        }
        let decisions = try CommandLineTests.run(["campaigns", "decisions", "--outcome", "suppressed", "--json"], in: directory.url)
        let recorded = try #require(try JSONSerialization.jsonObject(with: Data(decisions.stdout.utf8)) as? [[String: Any]], "\(decisions.stderr)")
        #expect(!recorded.isEmpty && recorded.allSatisfy { $0["reason"] as? String == "consent" && $0["campaign_id"] as? String == "welcome-series" })
        let badOutcome = try CommandLineTests.run(["campaigns", "decisions", "--outcome", "bounced"], in: directory.url)
        #expect(badOutcome.status != 0 && badOutcome.stderr.contains("--outcome 'bounced' is not one of entered, held_out, sent, deferred, suppressed"))
        // Bad definitions stop the command with the field named.
        let bad = directory.url.appendingPathComponent("bad.json")
        try #"{"id": "x", "trigger": {"type": "stage_entered", "stage": "vip"}, "steps": [{"tag": "t"}]}"#.write(to: bad, atomically: true, encoding: .utf8)
        let failed = try CommandLineTests.run(["campaigns", "validate", bad.path], in: directory.url)
        #expect(failed.status != 0 && failed.stderr.contains("trigger.stage: 'vip' is not one of potential, new, active, loyal, declining, churned"))
    }
}
