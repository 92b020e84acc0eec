import ArgumentParser
import Foundation
import PerennialCampaigns
import PerennialCore
import PerennialReports
import PerennialStorage
import PerennialServer

struct Campaigns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check campaign definitions and replay them over the stored history before sending anything.",
        discussion: """
        Definitions are JSON (docs/CAMPAIGNS.md; one of each kind in examples/campaigns/):
          perennial campaigns validate examples/campaigns/*.json
          perennial campaigns apply examples/campaigns/cart-recovery.json     # perennial serve runs it
          perennial campaigns list · pause ID · resume ID
          perennial campaigns report --from 2024-05-01 --json
          perennial campaigns simulate examples/campaigns/win-back.json --from 2011-06-01 --to 2011-12-01 --json
          perennial campaigns outbox --status dead
          perennial campaigns retry MESSAGE_ID
        """,
        subcommands: [Validate.self, Apply.self, List.self, Pause.self, Resume.self, Simulate.self, Report.self, Outbox.self, Retry.self])

    /// Reads and checks definition files; throws with every problem, by file and field.
    static func read(_ files: [String]) throws -> [Campaign] {
        var campaigns: [Campaign] = []
        var problems: [String] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                problems.append("\(file): cannot read the file; check the path")
                continue
            }
            let parsed = CampaignParser.parse(data)
            problems += parsed.problems.map { "\(file): \($0)" }
            campaigns += parsed.campaigns
        }
        let ids = campaigns.map(\.id)
        for id in Set(ids) where ids.filter({ $0 == id }).count > 1 { problems.append("the campaign id '\(id)' is defined more than once") }
        if !problems.isEmpty { throw ValidationError("the definitions have \(problems.count) problem(s):\n  " + problems.joined(separator: "\n  ")) }
        return campaigns
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check definition files and list the campaigns they define.")

        @Argument(help: ArgumentHelp("Definition files (JSON).", valueName: "file"))
        var files: [String]

        func run() throws {
            let campaigns = try Campaigns.read(files)
            var table = TextTable(["campaign", "priority", "holdout", "steps"], leftColumns: [0])
            for campaign in campaigns {
                table.add([campaign.id, "\(campaign.priority)", Formatting.percent(campaign.holdout), "\(campaign.steps.count)"])
            }
            print(table.render())
            Terminal.note("\(campaigns.count) campaign(s) valid")
        }
    }

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay the stored history through campaigns: who would have been reached, suppressed and held out.",
            discussion: """
            Triggers fire from the stored orders and events between --from and --to; each customer goes through \
            the steps, and every message passes the same decisions as live (holdout, consent, quiet hours, \
            caps, priority). Nothing is sent or stored. Stores without consent events suppress every message \
            for consent: --assume-consent asks what would happen if everyone had consented.
            """)

        @Argument(help: ArgumentHelp("Definition files (JSON).", valueName: "file"))
        var files: [String]

        @Option(help: ArgumentHelp("The first day (YYYY-MM-DD, the store's time zone).", valueName: "date"))
        var from: String

        @Option(help: ArgumentHelp("The day after the last (YYYY-MM-DD).", valueName: "date"))
        var to: String

        @Flag(help: "Treat every customer as consenting to every channel.")
        var assumeConsent = false

        @Option(help: "Marketing messages a customer may get in any 24 hours.")
        var perDay = 1

        @Option(help: "Marketing messages a customer may get in any 7 days.")
        var perWeek = 3

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON: reached, suppressed, held_out and per-campaign figures.")
        var json = false

        func run() async throws {
            let campaigns = try Campaigns.read(files)
            let store = try await database.open(create: false)
            guard let table = try await store.loadTransactions() else { throw ValidationError("the store at \(database.shown) has no customers yet.") }
            let zone = try await store.setting("timezone") ?? "UTC"
            let calendar = StoreCalendar(identifier: zone) ?? .utc
            func day(_ text: String, _ flag: String) throws -> Int64 { calendar.startOfDay(try ModelTimeOptions.day(text, flag: flag).dayNumber) }
            let start = try day(from, "--from"), end = try day(to, "--to")
            guard start < end else { throw ValidationError("--from must be before --to.") }
            let histories = try await CampaignHistoryLoader.load(store, table: table)
            let model = try await store.latestModelRecord()?.model
            var options = AnalysisOptions(calendar: calendar)
            options.asOf = nil
            let simulator = Simulator(campaigns: campaigns, policy: ContactPolicy(perDay: perDay, perWeek: perWeek, defaultTimeZone: zone),
                                      assumeConsent: assumeConsent)
            let results = simulator.run(histories: histories, channels: try await store.acquisitionChannels(), options: options, model: model,
                                        from: start, to: end, currency: table.currency)
            let report = SimulationReport(from: from, to: to, assumeConsent: assumeConsent, campaigns: results)
            print(json ? try ReportJSON.encode(report) : report.text)
        }
    }
}

extension Campaigns {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store campaign definitions in the database (replacing those with the same id); perennial serve runs them.",
            discussion: "Every file is checked first; if any definition has a problem, nothing is stored.")

        @Argument(help: ArgumentHelp("Definition files (JSON).", valueName: "file"))
        var files: [String]

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            _ = try Campaigns.read(files)
            let documents = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
            let ids = try await CampaignRegistry.apply(documents, to: try await database.open(create: true))
            Terminal.note("applied \(ids.joined(separator: ", ")) to \(database.shown); a running perennial serve picks them up at its next tick")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the campaigns stored in the database.")

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let campaigns = try await CampaignRegistry.campaigns(in: try await database.open(create: false))
            if json {
                struct Row: Encodable { var id, name: String; var priority: Int; var holdout: Double; var active: Bool }
                print(try ReportJSON.encode(campaigns.map { Row(id: $0.id, name: $0.name, priority: $0.priority, holdout: $0.holdout, active: $0.active) }))
                return
            }
            var table = TextTable(["campaign", "name", "priority", "holdout", "state"], leftColumns: [0, 1, 4])
            for c in campaigns { table.add([c.id, c.name, "\(c.priority)", Formatting.percent(c.holdout), c.active ? "active" : "paused"]) }
            print(table.render())
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a stored campaign (its definition is kept; resume it later).")

        @Argument(help: "The campaign id.")
        var id: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard try await CampaignRegistry.setActive(id, false, in: try await database.open(create: false)) else {
                throw ValidationError("no campaign '\(id)' in \(database.shown); list them with perennial campaigns list.")
            }
            Terminal.note("paused \(id)")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a paused campaign again.")

        @Argument(help: "The campaign id.")
        var id: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard try await CampaignRegistry.setActive(id, true, in: try await database.open(create: false)) else {
                throw ValidationError("no campaign '\(id)' in \(database.shown); list them with perennial campaigns list.")
            }
            Terminal.note("resumed \(id)")
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the stored campaigns did: reach, treated against held out, coupons issued and redeemed, ROI.",
            discussion: """
            Replays the period through the stored campaigns with the engine that ran them (the decisions are \
            deterministic, so this is what was sent), then measures each campaign's treated against held-out \
            customers over its attribution window, and follows each coupon it issued: redeemed (an order carried \
            its code before expiry), expired or open. ROI = (incremental revenue − coupon cost) / coupon cost.
            """)

        @Option(help: ArgumentHelp("The first day (default: 90 days before --to).", valueName: "date"))
        var from: String?

        @Option(help: ArgumentHelp("The day after the last (default: tomorrow).", valueName: "date"))
        var to: String?

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        struct Row: Encodable {
            var id: String
            var customers, held_out, reached, messages: Int
            var coupons: CouponLedger
            var measurement: SimulationReport.Measurement?
            var roi: Double?
        }

        func run() async throws {
            let store = try await database.open(create: false)
            let campaigns = try await CampaignRegistry.campaigns(in: store)
            guard !campaigns.isEmpty else { throw ValidationError("no campaigns are stored in \(database.shown); store some with perennial campaigns apply FILE.") }
            guard let table = try await store.loadTransactions() else { throw ValidationError("the store at \(database.shown) has no customers yet.") }
            let zone = try await store.setting("timezone") ?? "UTC"
            let calendar = StoreCalendar(identifier: zone) ?? .utc
            let now = Int64(Date().timeIntervalSince1970)
            let end = try to.map { calendar.startOfDay(try ModelTimeOptions.day($0, flag: "--to").dayNumber) } ?? calendar.startOfDay(calendar.dayNumber(of: now) + 1)
            let start = try from.map { calendar.startOfDay(try ModelTimeOptions.day($0, flag: "--from").dayNumber) } ?? end - 90 * 86_400
            guard start < end else { throw ValidationError("--from must be before --to.") }
            let histories = try await CampaignHistoryLoader.load(store, table: table)
            let byID = Dictionary(uniqueKeysWithValues: histories.map { ($0.id, $0) })
            let replay = Simulator(campaigns: campaigns, policy: ContactPolicy(defaultTimeZone: zone))
                .replay(histories: histories, channels: try await store.acquisitionChannels(), options: AnalysisOptions(calendar: calendar),
                        model: try await store.latestModelRecord()?.model, from: start, to: end, currency: table.currency)
            let rows = replay.campaigns.map { result -> Row in
                let ledger = CouponLedger.compute(replay.sent.filter { $0.campaignID == result.id }, histories: byID, now: now,
                                                  currencyMinorPerMajor: table.currency.minorPerMajor) { CampaignRunner.couponCode($0) ?? "" }
                let incremental = result.measurement?.incrementalRevenue
                return Row(id: result.id, customers: result.customers, held_out: result.heldOut, reached: result.reached, messages: result.messages,
                           coupons: ledger, measurement: result.measurement.map(SimulationReport.Measurement.init),
                           roi: ledger.cost > 0 ? incremental.map { ($0 - ledger.cost) / ledger.cost } : nil)
            }
            if json {
                struct Output: Encodable { var from, to: String; var campaigns: [Row] }
                print(try ReportJSON.encode(Output(from: Formatting.iso(start), to: Formatting.iso(end), campaigns: rows)))
                return
            }
            var text = TextTable(["campaign", "entered", "held out", "reached", "conversion t / c", "p", "incremental revenue", "coupons issued / redeemed", "coupon cost", "ROI"])
            var warnings: [String] = []
            for row in rows {
                let m = row.measurement
                text.add([row.id, Formatting.count(row.customers), Formatting.count(row.held_out), Formatting.count(row.reached),
                          m?.conversion.map { Formatting.percent($0.treated) + " / " + Formatting.percent($0.control) } ?? "—",
                          m?.conversion.map { Formatting.decimal($0.p_value, places: 3) } ?? "—",
                          m?.incremental_revenue.map { Formatting.decimal($0, places: 2) } ?? "—",
                          "\(row.coupons.issued) / \(row.coupons.redeemed)", Formatting.decimal(row.coupons.cost, places: 2),
                          row.roi.map { Formatting.percent($0) } ?? "—"])
                warnings += (m?.warnings ?? []).map { "  \(row.id): \($0)" }
            }
            print("Campaigns from \(Formatting.iso(start)) to \(Formatting.iso(end)) (\(table.currency.code)):\n" + text.render()
                  + (warnings.isEmpty ? "" : "\n" + warnings.joined(separator: "\n")))
        }
    }

    struct Outbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the campaign messages in the outbox: pending, delivered or dead (every attempt failed).")

        @Option(help: ArgumentHelp("pending, delivered or dead (default: all).", valueName: "status"))
        var status: String?

        @Option(help: "At most this many, oldest first.")
        var limit = 100

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            var wanted: OutboxStatus?
            if let status {
                guard let value = OutboxStatus(rawValue: status) else { throw ValidationError("--status '\(status)' is not pending, delivered or dead.") }
                wanted = value
            }
            let messages = try await database.open(create: false).outbox(status: wanted, limit: limit)
            if json {
                struct Row: Encodable { var message_id, campaign_id, customer_id, channel, status: String; var attempts: Int; var last_error: String? }
                print(try ReportJSON.encode(messages.map { Row(message_id: $0.id, campaign_id: $0.campaignID, customer_id: $0.customerID, channel: $0.channel,
                                                               status: $0.status.rawValue, attempts: $0.attempts, last_error: $0.lastError) }))
                return
            }
            var table = TextTable(["message", "campaign", "customer", "channel", "status", "attempts", "last error"], leftColumns: [0, 1, 2, 3, 4, 6])
            for message in messages {
                table.add([message.id, message.campaignID, message.customerID, message.channel, message.status.rawValue, "\(message.attempts)", message.lastError ?? ""])
            }
            print(table.render())
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliver dead outbox messages again (a running server picks them up).")

        @Argument(help: ArgumentHelp("Message ids (see perennial campaigns outbox --status dead).", valueName: "id"))
        var ids: [String]

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await database.open(create: false)
            var missing: [String] = []
            for id in ids where !(try await store.retryDead(id: id, now: Int64(Date().timeIntervalSince1970))) { missing.append(id) }
            Terminal.note("\(ids.count - missing.count) message(s) pending again")
            if !missing.isEmpty { throw ValidationError("not dead or not in the outbox: \(missing.joined(separator: ", ")); list dead messages with perennial campaigns outbox --status dead.") }
        }
    }
}

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
    struct Measurement: Encodable {
        var treated, control, treated_conversions, control_conversions: Int
        var conversion: Test?
        var revenue_per_customer: Test?
        var incremental_revenue: Double?
        var sample_ratio_p_value: Double
        var warnings: [String]

        struct Test: Encodable {
            var treated, control, difference, ci_low, ci_high, p_value: Double

            init(_ c: Uplift.Comparison) {
                treated = c.treated
                control = c.control
                difference = c.difference
                ci_low = c.lower
                ci_high = c.upper
                p_value = c.pValue
            }
        }

        init(_ m: CampaignMeasurement) {
            treated = m.treated
            control = m.control
            treated_conversions = m.treatedConversions
            control_conversions = m.controlConversions
            conversion = m.conversion.map(Test.init)
            revenue_per_customer = m.revenuePerCustomer.map(Test.init)
            incremental_revenue = m.incrementalRevenue
            sample_ratio_p_value = m.sampleRatioPValue
            warnings = m.warnings
        }
    }

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
