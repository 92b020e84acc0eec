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
        Definitions are JSON or YAML (docs/CAMPAIGNS.md; one of each kind in examples/campaigns/):
          perennial campaigns validate examples/campaigns/*.json
          perennial campaigns apply examples/campaigns/cart-recovery.json     # perennial serve runs it
          perennial campaigns list · pause ID · resume ID
          perennial campaigns report --from 2024-05-01 --json
          perennial campaigns simulate examples/campaigns/win-back.json --from 2011-06-01 --to 2011-12-01 --json
          perennial campaigns decisions --customer 12347     # what the engine decided, and why
          perennial campaigns outbox --status dead
          perennial campaigns retry MESSAGE_ID
        """,
        subcommands: [Validate.self, Apply.self, List.self, Pause.self, Resume.self, Simulate.self, Report.self, Decisions.self, Outbox.self, Retry.self])

    /// Reads and checks definition files; throws with every problem, by file and field.
    static func read(_ files: [String]) throws -> [Campaign] {
        try CampaignRegistry.check(try documents(files)).map(\.campaign)
    }

    /// The files as definition documents, checked with ``CampaignRegistry/check(_:)`` (the same checks
    /// as `PUT /v1/campaigns`).
    static func documents(_ files: [String]) throws -> [CampaignRegistry.Document] {
        let unreadable = files.filter { !FileManager.default.isReadableFile(atPath: $0) }
        guard unreadable.isEmpty else {
            throw ValidationError(unreadable.map { "\($0): cannot read the file; check the path" }.joined(separator: "\n"))
        }
        let documents = files.map { CampaignRegistry.Document(name: $0, data: FileManager.default.contents(atPath: $0) ?? Data()) }
        do {
            _ = try CampaignRegistry.check(documents)
        } catch {
            throw ValidationError("the definitions have \(error.problems.count) problem(s):\n  " + error.problems.map(\.description).joined(separator: "\n  "))
        }
        return documents
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check definition files and list the campaigns they define.")

        @Argument(help: ArgumentHelp("Definition files (JSON or YAML).", valueName: "file"))
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

        @Argument(help: ArgumentHelp("Definition files (JSON or YAML).", valueName: "file"))
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

