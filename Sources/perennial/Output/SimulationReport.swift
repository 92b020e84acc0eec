import PerennialCampaigns
import PerennialReports
import PerennialServer

/// `campaigns simulate`'s report: totals over campaigns (distinct customers per campaign, summed),
/// then each campaign.
struct SimulationReport: Encodable {
    var from: String
    var to: String
    var assume_consent: Bool
    var reached: Int
    var held_out: Int
    var suppressed: [String: Int]
    var campaigns: [Row]

    struct Row: Encodable {
        var id: String
        var entries, customers, held_out, reached, messages, coupons, tags, deferred_quiet_hours, exited, completed, in_progress, already_in: Int
        var suppressed: [String: Int]
        var measurement: Measurement?
    }

    /// Treated against held out over the attribution window (an A/A check in a simulation).
    typealias Measurement = CampaignReport.Measurement

    init(from: String, to: String, assumeConsent: Bool, campaigns: [CampaignSimulation]) {
        self.from = from
        self.to = to
        assume_consent = assumeConsent
        reached = campaigns.map(\.reached).reduce(0, +)
        held_out = campaigns.map(\.heldOut).reduce(0, +)
        var suppressed: [String: Int] = [:]
        for reason in Decision.SuppressionReason.allCases { suppressed[reason.rawValue] = campaigns.map { $0.suppressed[reason.rawValue] ?? 0 }.reduce(0, +) }
        self.suppressed = suppressed
        self.campaigns = campaigns.map {
            Row(id: $0.id, entries: $0.entries, customers: $0.customers, held_out: $0.heldOut, reached: $0.reached, messages: $0.messages,
                coupons: $0.coupons, tags: $0.tags, deferred_quiet_hours: $0.deferredQuietHours, exited: $0.exited, completed: $0.completed,
                in_progress: $0.inProgress, already_in: $0.alreadyIn, suppressed: $0.suppressed, measurement: $0.measurement.map(Measurement.init))
        }
    }

    var text: String {
        var table = TextTable(["campaign", "entered", "held out", "reached", "messages", "coupons", "consent", "cap", "priority", "quiet hours", "exited"])
        for row in campaigns {
            table.add([row.id, Formatting.count(row.customers), Formatting.count(row.held_out), Formatting.count(row.reached), Formatting.count(row.messages),
                       Formatting.count(row.coupons), Formatting.count(row.suppressed["consent"] ?? 0), Formatting.count(row.suppressed["frequency_cap"] ?? 0),
                       Formatting.count(row.suppressed["priority"] ?? 0), Formatting.count(row.deferred_quiet_hours), Formatting.count(row.exited)])
        }
        var uplift = TextTable(["campaign", "treated", "held out", "conversion t / c", "difference (95% CI)", "p", "revenue/customer t / c", "p"])
        var warnings: [String] = []
        for row in campaigns {
            guard let m = row.measurement else { continue }
            let conversion = m.conversion, revenue = m.revenue_per_customer
            uplift.add([row.id, Formatting.count(m.treated), Formatting.count(m.control),
                        conversion.map { Formatting.percent($0.treated) + " / " + Formatting.percent($0.control) } ?? "—",
                        conversion.map { Formatting.percent($0.difference) + " (" + Formatting.percent($0.ci_low) + " to " + Formatting.percent($0.ci_high) + ")" } ?? "—",
                        conversion.map { Formatting.decimal($0.p_value, places: 3) } ?? "—",
                        revenue.map { Formatting.decimal($0.treated, places: 2) + " / " + Formatting.decimal($0.control, places: 2) } ?? "—",
                        revenue.map { Formatting.decimal($0.p_value, places: 3) } ?? "—"])
            warnings += m.warnings.map { "  \(row.id): \($0)" }
        }
        return "Simulated \(from) to \(to)\(assume_consent ? " (assuming every customer consented)" : ""); nothing was sent.\n" + table.render()
            + "\nCustomers: entered and held out are distinct per campaign; consent, cap and priority count customers with a message suppressed; quiet hours counts messages moved to the morning.\n"
            + "\nTreated against held out over each campaign's attribution window (nothing was sent, so differences should be chance):\n" + uplift.render()
            + (warnings.isEmpty ? "" : "\n" + warnings.joined(separator: "\n"))
    }
}
