import ArgumentParser
import PerennialReports
import PerennialStorage

extension Campaigns {
    struct Decisions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List what the live campaign engine decided, newest first, each with its reason.",
            discussion: """
            perennial serve records every decision it acts on: a customer entering a campaign (entered, or \
            held_out in the control group), and each step's action: sent, deferred (quiet_hours) or suppressed \
            (consent, frequency_cap, priority). A sent decision's id is its outbox message's id.
              perennial campaigns decisions --customer 12347
              perennial campaigns decisions --campaign win-back --outcome suppressed --json
            """)

        @Option(help: ArgumentHelp("Only this campaign's.", valueName: "id"))
        var campaign: String?

        @Option(help: ArgumentHelp("Only this customer's.", valueName: "id"))
        var customer: String?

        @Option(help: ArgumentHelp("entered, held_out, sent, deferred or suppressed.", valueName: "outcome"))
        var outcome: String?

        @Option(help: "At most this many.")
        var limit = 100

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        static let outcomes = ["entered", "held_out", "sent", "deferred", "suppressed"]

        func validate() throws {
            if let outcome, !Self.outcomes.contains(outcome) {
                throw ValidationError("--outcome '\(outcome)' is not one of \(Self.outcomes.joined(separator: ", ")).")
            }
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 100000.") }
        }

        struct Row: Encodable {
            var decision_id, campaign_id, customer_id: String
            var step: Int?
            var decided_at, outcome: String
            var reason, action, channel: String?

            init(_ record: DecisionRecord) {
                decision_id = record.id
                campaign_id = record.campaignID
                customer_id = record.customerID
                step = record.step
                decided_at = Formatting.iso(record.decidedAt)
                outcome = record.outcome
                reason = record.reason
                action = record.action
                channel = record.channel
            }
        }

        func run() async throws {
            let store = try await database.open(create: false)
            let records = try await store.decisions(DecisionQuery(campaignID: campaign, customerID: customer, outcome: outcome, limit: limit))
            if json {
                print(try ReportJSON.encode(records.map(Row.init)))
                return
            }
            var table = TextTable(["decided at", "campaign", "customer", "step", "outcome", "reason", "action", "channel"], leftColumns: [0, 1, 2, 4, 5, 6, 7])
            for r in records {
                table.add([Formatting.iso(r.decidedAt), r.campaignID, r.customerID, r.step.map { "\($0)" } ?? "entry", r.outcome, r.reason ?? "",
                           r.action ?? "", r.channel ?? ""])
            }
            print(table.render())
            if records.isEmpty { Terminal.note("no decisions recorded yet: perennial serve records them as it runs the stored campaigns") }
        }
    }
}
