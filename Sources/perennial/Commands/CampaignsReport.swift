import ArgumentParser
import Foundation
import PerennialCore
import PerennialReports
import PerennialServer

extension Campaigns {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the stored campaigns did: reach, treated against held out, coupons issued and redeemed, ROI.",
            discussion: """
            Replays the period through the stored campaigns with the engine that ran them (the decisions are \
            deterministic, so this is what was sent), then measures each campaign's treated against held-out \
            customers over its attribution window, and follows each coupon it issued: redeemed (an order carried \
            its code before expiry), expired or open. ROI = (incremental revenue − coupon cost) / coupon cost. \
            The same report is GET /v1/campaigns/report and the dashboard's campaigns page.
            """)

        @Option(help: ArgumentHelp("The first day (default: 90 days before --to).", valueName: "date"))
        var from: String?

        @Option(help: ArgumentHelp("The day after the last (default: tomorrow).", valueName: "date"))
        var to: String?

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let store = try await database.open(create: false)
            guard !(try await CampaignRegistry.campaigns(in: store)).isEmpty else {
                throw ValidationError("no campaigns are stored in \(database.shown); store some with perennial campaigns apply FILE.")
            }
            let calendar = StoreCalendar(identifier: try await store.setting("timezone") ?? "UTC") ?? .utc
            let end = try to.map { calendar.startOfDay(try ModelTimeOptions.day($0, flag: "--to").dayNumber) }
            let start = try from.map { calendar.startOfDay(try ModelTimeOptions.day($0, flag: "--from").dayNumber) }
            if let start, let end, start >= end { throw ValidationError("--from must be before --to.") }
            guard let report = try await CampaignReport.build(store, from: start, to: end) else {
                throw ValidationError("the store at \(database.shown) has no customers yet.")
            }
            print(json ? try ReportJSON.encode(report) : Self.text(report))
        }

        static func text(_ report: CampaignReport) -> String {
            var text = TextTable(["campaign", "state", "entered", "held out", "reached", "conversion t / c", "p", "incremental revenue",
                                  "coupons issued / redeemed", "coupon cost", "ROI"])
            var warnings: [String] = []
            for row in report.campaigns {
                let m = row.measurement
                text.add([row.id, row.active ? "active" : "paused", Formatting.count(row.customers), Formatting.count(row.held_out), Formatting.count(row.reached),
                          m?.conversion.map { Formatting.percent($0.treated) + " / " + Formatting.percent($0.control) } ?? "—",
                          m?.conversion.map { Formatting.decimal($0.p_value, places: 3) } ?? "—",
                          m?.incremental_revenue.map { Formatting.decimal($0, places: 2) } ?? "—",
                          "\(row.coupons.issued) / \(row.coupons.redeemed)", Formatting.decimal(row.coupons.cost, places: 2),
                          row.roi.map { Formatting.percent($0) } ?? "—"])
                warnings += (m?.warnings ?? []).map { "  \(row.id): \($0)" }
            }
            return "Campaigns from \(report.from.prefix(10)) to \(report.to.prefix(10)) (\(report.currency)):\n" + text.render()
                + (warnings.isEmpty ? "" : "\n" + warnings.joined(separator: "\n"))
        }
    }
}
