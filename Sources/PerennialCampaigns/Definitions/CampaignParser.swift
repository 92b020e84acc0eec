import Foundation
import PerennialCore

/// Reads campaign definitions from JSON or YAML (``DefinitionDocument``): one campaign object, a list
/// of them, or `{"campaigns": [...]}`. Every problem is reported with the path of its field; a
/// definition with any problem is not returned.
public enum CampaignParser {
    /// The campaigns of a JSON or YAML document and the problems found (empty when all are valid).
    public static func parse(_ document: Data) -> (campaigns: [Campaign], problems: [CampaignProblem]) {
        let problems = JSONReader.ProblemList()
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: try DefinitionDocument.json(document))
        } catch let problem as CampaignProblem {
            return ([], [problem])
        } catch {
            return ([], [CampaignProblem(path: "(document)", message: "not valid JSON (\(error.localizedDescription)); check brackets, commas and quotes")])
        }
        var readers: [JSONReader] = []
        if let list = root as? [Any] {
            readers = list.enumerated().map { JSONReader($1, path: "[\($0)]", problems: problems) }
        } else if let object = root as? [String: Any], object["campaigns"] != nil {
            readers = JSONReader(root, path: "", problems: problems).array("campaigns") ?? []
        } else {
            readers = [JSONReader(root, path: "", problems: problems)]
        }
        var campaigns: [Campaign] = []
        for reader in readers {
            let before = problems.items.count
            if let campaign = campaign(reader), problems.items.count == before { campaigns.append(campaign) }
        }
        var seen: Set<String> = []
        for (i, campaign) in campaigns.enumerated() where !seen.insert(campaign.id).inserted {
            problems.add(readers.count > 1 ? "campaigns[\(i)].id" : "id", "the id '\(campaign.id)' is used twice; ids must be unique")
        }
        return (problems.items.isEmpty ? campaigns : [], problems.items)
    }

    static let fields: Set<String> = ["id", "name", "priority", "holdout", "audience", "trigger", "steps", "attribution_days", "active"]

    private static func campaign(_ r: JSONReader) -> Campaign? {
        guard r.object != nil else {
            r.fail("expected a campaign object with id, name, trigger and steps")
            return nil
        }
        r.only(fields)
        let id = r.string("id", hint: "a stable id such as welcome-series")
        if let id, id.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            r.child("id")?.fail("use letters, digits, - and _ only")
        }
        let name = r.string("name", required: false) ?? id ?? ""
        let priority = r.number("priority", required: false) ?? 50
        if priority != priority.rounded() || !(0...1000).contains(priority) { r.child("priority")?.fail("a whole number from 0 to 1000 (higher wins)") }
        let holdout = r.number("holdout", required: false) ?? 0.1
        if !(0...0.5).contains(holdout) { r.child("holdout")?.fail("a share from 0 to 0.5 (0.1 keeps 10% of entrants as the control group)") }
        let attribution = r.number("attribution_days", required: false) ?? 14
        if attribution != attribution.rounded() || !(1...365).contains(attribution) { r.child("attribution_days")?.fail("a whole number of days from 1 to 365") }
        let audience = r.child("audience").map(audience) ?? Audience()
        var trigger: Trigger?
        if let t = r.child("trigger") { trigger = self.trigger(t) } else {
            r.problems.add(r.path.isEmpty ? "trigger" : r.path + ".trigger", "required: what makes a customer enter, e.g. {\"type\": \"stage_entered\", \"stage\": \"loyal\"}")
        }
        var steps: [Step] = []
        if let list = r.array("steps") {
            if list.isEmpty { r.child("steps")?.fail("at least one step") }
            steps = list.compactMap(step)
        }
        guard let id, let trigger else { return nil }
        return Campaign(id: id, name: name, priority: Int(priority), holdout: holdout, audience: audience, trigger: trigger, steps: steps,
                        attributionDays: Int(attribution), active: r.bool("active") ?? true)
    }

    private static func audience(_ r: JSONReader) -> Audience {
        r.only(["stages", "segments", "channels", "min_clv_percentile", "min_orders"])
        var audience = Audience()
        for item in r.array("stages", required: false) ?? [] {
            if let stage = (item.value as? String).flatMap(LifecycleStage.init(rawValue:)) { audience.stages.insert(stage) } else {
                item.fail("not a stage; use \(LifecycleStage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        for item in r.array("segments", required: false) ?? [] {
            if let segment = (item.value as? String).flatMap(RFMSegment.init(rawValue:)) { audience.segments.insert(segment) } else {
                item.fail("not an RFM segment; use \(RFMSegment.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        for item in r.array("channels", required: false) ?? [] {
            if let channel = item.value as? String, !channel.isEmpty { audience.channels.insert(channel) } else { item.fail("expected a channel name") }
        }
        if let percentile = r.number("min_clv_percentile", required: false) {
            if (0...100).contains(percentile) { audience.minCLVPercentile = percentile } else {
                r.child("min_clv_percentile")?.fail("a percentile from 0 to 100 (70 keeps the top 30% by CLV)")
            }
        }
        if let orders = r.number("min_orders", required: false) {
            if orders >= 0, orders == orders.rounded() { audience.minOrders = Int(orders) } else { r.child("min_orders")?.fail("a whole number, 0 or more") }
        }
        return audience
    }

    static let triggerTypes = ["stage_entered", "stage_left", "segment_entered", "threshold_crossed", "event", "time_since_event",
                               "replenishment_due", "birthday_month", "schedule"]

    private static func trigger(_ r: JSONReader) -> Trigger? {
        guard let type = r.string("type", hint: "one of \(triggerTypes.joined(separator: ", "))") else { return nil }
        switch type {
        case "stage_entered", "stage_left":
            r.only(["type", "stage"])
            guard let stage = r.choice("stage", LifecycleStage.self) else { return nil }
            return type == "stage_entered" ? .stageEntered(stage) : .stageLeft(stage)
        case "segment_entered":
            r.only(["type", "segment"])
            return r.choice("segment", RFMSegment.self).map { .segmentEntered($0) }
        case "threshold_crossed":
            r.only(["type", "metric", "above", "below"])
            let metric = r.choice("metric", Trigger.Metric.self)
            let above = r.number("above", required: false), below = r.number("below", required: false)
            guard (above == nil) != (below == nil) else {
                r.fail("set exactly one of above or below (the value the metric crosses)")
                return nil
            }
            if metric == .churnRisk, let value = above ?? below, !(0...1).contains(value) {
                r.child(above != nil ? "above" : "below")?.fail("churn risk is a probability from 0 to 1")
            }
            guard let metric else { return nil }
            return .thresholdCrossed(metric: metric, above: above != nil, value: above ?? below!)
        case "event":
            r.only(["type", "event", "first_order", "not_followed_by", "within"])
            let event = r.string("event", hint: "an event type such as order or add_to_cart")
            let notFollowedBy = r.string("not_followed_by", required: false)
            let within = r.span("within", required: notFollowedBy != nil)
            if notFollowedBy == nil, r.has("within") { r.child("within")?.fail("within goes with not_followed_by") }
            let first = r.bool("first_order") ?? false
            if first, event != "order" { r.child("first_order")?.fail("first_order applies to the order event only") }
            guard let event else { return nil }
            return .event(type: event, firstOrder: first, notFollowedBy: notFollowedBy, within: within)
        case "time_since_event":
            r.only(["type", "event", "after"])
            guard let event = r.string("event"), let after = r.span("after") else { return nil }
            return .timeSinceEvent(type: event, after: after)
        case "replenishment_due":
            r.only(["type", "lead", "min_purchases"])
            let lead = r.span("lead", required: false) ?? .days(2)
            let minimum = r.number("min_purchases", required: false) ?? 3
            if minimum < 2 || minimum != minimum.rounded() { r.child("min_purchases")?.fail("a whole number, at least 2 (a cycle needs two purchases)") }
            return .replenishmentDue(lead: lead, minPurchases: Int(max(2, minimum)))
        case "birthday_month":
            r.only(["type"])
            return .birthdayMonth
        case "schedule":
            r.only(["type", "cron"])
            guard let text = r.string("cron", hint: "five fields: minute hour day month weekday, e.g. 0 9 * * 1") else { return nil }
            guard let cron = cron(text) else {
                r.child("cron")?.fail("'\(text)' is not five fields of * or numbers (minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-6)")
                return nil
            }
            return .schedule(cron)
        default:
            r.child("type")?.fail("'\(type)' is not a trigger; use one of \(triggerTypes.joined(separator: ", "))")
            return nil
        }
    }

    static func cron(_ text: String) -> Cron? {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        let ranges = [0...59, 0...23, 1...31, 1...12, 0...6]
        guard fields.count == 5 else { return nil }
        var sets: [Set<Int>?] = []
        for (field, range) in zip(fields, ranges) {
            if field == "*" { sets.append(nil); continue }
            var values: Set<Int> = []
            for part in field.split(separator: ",") {
                guard let value = Int(part), range.contains(value) else { return nil }
                values.insert(value)
            }
            sets.append(values)
        }
        return Cron(minutes: sets[0], hours: sets[1], days: sets[2], months: sets[3], weekdays: sets[4])
    }

    static let stepKinds = ["wait", "message", "coupon", "tag", "branch"]

    private static func step(_ r: JSONReader) -> Step? {
        guard let object = r.object else {
            r.fail("expected a step object with one of \(stepKinds.joined(separator: ", "))")
            return nil
        }
        let kinds = stepKinds.filter { object[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first else {
            r.fail("a step has exactly one of \(stepKinds.joined(separator: ", "))")
            return nil
        }
        switch kind {
        case "wait":
            r.only(["wait", "exit_if"])
            let exit = r.child("exit_if").flatMap { e -> String? in
                e.only(["event"])
                return e.string("event")
            }
            return r.span("wait").map { .wait($0, exitIf: exit) }
        case "message":
            r.only(["message"])
            return r.child("message").flatMap(message).map { .message($0) }
        case "coupon":
            r.only(["coupon"])
            return r.child("coupon").flatMap(coupon).map { .coupon($0) }
        case "tag":
            r.only(["tag"])
            return r.string("tag").map { .tag($0) }
        default:
            r.only(["branch"])
            guard let branches = r.array("branch") else { return nil }
            var result: [Branch] = []
            for (i, b) in branches.enumerated() {
                b.only(["if", "steps"])
                let condition = b.child("if").flatMap(self.condition)
                if !b.has("if") && i != branches.count - 1 { b.fail("only the last branch may leave out if (it is the default)") }
                let steps = (b.array("steps") ?? []).compactMap(step)
                result.append(Branch(condition: condition, steps: steps))
            }
            return .branch(result)
        }
    }

    private static func message(_ r: JSONReader) -> Message? {
        r.only(["channel", "template", "transactional"])
        let channel = r.choice("channel", MessageChannel.self)
        let template = r.string("template", hint: "the name of the template the store's sender renders")
        guard let channel, let template else { return nil }
        return Message(channel: channel, template: template, transactional: r.bool("transactional") ?? false)
    }

    private static func coupon(_ r: JSONReader) -> Coupon? {
        r.only(["amount_off", "percent_off", "min_spend", "expires_in", "code_prefix", "channel", "template"])
        let amount = r.number("amount_off", required: false), percent = r.number("percent_off", required: false)
        if (amount == nil) == (percent == nil) { r.fail("set exactly one of amount_off (money off, major units) or percent_off") }
        if let amount, amount <= 0 { r.child("amount_off")?.fail("a positive amount (30 = 30 off)") }
        if let percent, !(percent > 0 && percent <= 100) { r.child("percent_off")?.fail("a percentage above 0 and at most 100") }
        let minimum = r.number("min_spend", required: false) ?? 0
        if minimum < 0 { r.child("min_spend")?.fail("0 or more (major units)") }
        if let amount, minimum > 0, amount >= minimum { r.child("amount_off")?.fail("must be less than min_spend, or the order is free") }
        let expires = r.span("expires_in")
        let prefix = r.string("code_prefix", required: false) ?? "PRN"
        let channel = r.choice("channel", MessageChannel.self)
        let template = r.string("template")
        guard let expires, let channel, let template else { return nil }
        return Coupon(amountOff: amount, percentOff: percent, minimumSpend: minimum, expiresIn: expires, codePrefix: prefix,
                      message: Message(channel: channel, template: template, transactional: false))
    }

    static let conditionKinds = ["price_sensitive", "recent_complaint", "stage", "segment", "churn_risk_above"]

    private static func condition(_ r: JSONReader) -> Condition? {
        guard let object = r.object, object.count == 1, let kind = object.keys.first, conditionKinds.contains(kind) else {
            r.fail("a condition has exactly one of \(conditionKinds.joined(separator: ", "))")
            return nil
        }
        switch kind {
        case "price_sensitive":
            if r.bool("price_sensitive") != true { r.child("price_sensitive")?.fail("write true") }
            return .priceSensitive
        case "recent_complaint": return r.span("recent_complaint").map { .recentComplaint($0) }
        case "stage": return r.choice("stage", LifecycleStage.self).map { .stage($0) }
        case "segment": return r.choice("segment", RFMSegment.self).map { .segment($0) }
        default:
            guard let value = r.number("churn_risk_above") else { return nil }
            if !(0...1).contains(value) { r.child("churn_risk_above")?.fail("a probability from 0 to 1") }
            return .churnRiskAbove(value)
        }
    }
}
