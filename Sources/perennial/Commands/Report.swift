import ArgumentParser
import Foundation
import PerennialDashboard
import PerennialReports
import PerennialServer

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the dashboard's views as one self-contained HTML file to share.",
        discussion: """
        The overview (KPIs with 12-month trends and red/amber/green states), lifecycle stages and migrations, \
        the RFM map and segments, cohort retention and predictions, as on `perennial serve`'s dashboard, in one \
        file with no scripts and nothing loaded from elsewhere: attach it to an email or open it offline.
          perennial report --out store-report.html
          perennial report --out 报告.html --lang zh-Hans
        Predictions need a fitted model (perennial fit). Thresholds come from --config (its "thresholds" key).
        """)

    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var out: String = "store-report.html"

    @Option(help: ArgumentHelp("The language: en or zh-Hans.", valueName: "lang"))
    var lang: String = "en"

    @Option(help: ArgumentHelp("A JSON config file whose \"thresholds\" key sets the KPI thresholds (see README, Configuration).", valueName: "file"))
    var config: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard Language(tag: lang) != nil else { throw ValidationError("--lang '\(lang)' is not a language of the report; use en or zh-Hans.") }
    }

    func run() async throws {
        guard database.exists else {
            throw ValidationError("no database at \(database.shown); import orders first (perennial import orders FILE) or name one with --db.")
        }
        let thresholds = try config.map { try ServeSettings.resolve(flags: [:], environment: [:], configPath: $0).thresholds } ?? KPIThreshold.defaults
        let store = try await database.open(create: false)
        let index = ProfileIndex(store: store)
        await index.setThresholds(thresholds)
        try await index.refresh()
        guard let input = await index.dashboardInput() else { throw ValidationError("the store could not be loaded from \(database.shown).") }
        // Campaigns over the 90 days before the analysis instant (what the report is as of).
        var campaigns: CampaignPanel?
        if !(try await CampaignRegistry.campaigns(in: store)).isEmpty, let report = try await CampaignReport.build(store, to: input.report.asOf) {
            campaigns = report.panel(outbox: try await store.outboxCounts())
        }
        let html = Dashboard(input: input, language: Language(tag: lang) ?? .en, links: .report).report(campaigns: campaigns)
        do {
            try html.write(toFile: out, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("cannot write \(out) (\(error.localizedDescription)); check that its folder exists and is writable.")
        }
        Terminal.note("wrote \(out) (\(html.utf8.count / 1024) KiB): \(input.report.profiles.count) customers as of \(Formatting.iso(input.report.asOf))")
    }
}
