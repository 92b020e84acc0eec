import ArgumentParser
import PerennialCore
import PerennialReports

struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "KPIs, lifecycle stages, RFM segments and the cohort matrix of the store (or of a file).",
        discussion: """
        Without FILE, analyses the database. With FILE, reads the order file directly (nothing is stored):
          perennial analyze online_retail.csv.gz --format online-retail
        (online_retail.csv.gz: the UCI Online Retail data set, saved as CSV.)
        The rules behind every figure are in docs/ANALYTICS.md.
        """)

    @Argument(help: ArgumentHelp("An order file to analyse instead of the database (.gz read transparently).", valueName: "file"))
    var file: String?

    @OptionGroup var format: FileFormatOptions
    @OptionGroup var analysis: AnalysisFlags
    @OptionGroup var database: DatabaseOptions

    @Option(help: "The cohort matrix's period: month or week.")
    var period: CalendarPeriod = .month

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let loaded = try await TableLoader.load(file: file, format: format, database: database)
        var options = try analysis.options(storeTimeZone: loaded.storeTimeZone, period: period)
        if file == nil {
            // A model saved with the store places customers in stages by P(alive).
            options.probabilityAlive = try await ModelLoader.predictions(database: database, table: loaded.table,
                                                                         storeTimeZone: loaded.storeTimeZone)?.aliveForStages
        }
        let report = LifecycleAnalysis.run(loaded.table, options: options)
        if json {
            print(try ReportJSON.encode(ReportJSON.analysis(report, source: loaded.origin)))
        } else {
            print(ReportText.analysis(report, source: loaded.origin, asOfNote: analysis.asOf == nil ? " (the day after the last order)" : ""))
        }
    }
}

extension CalendarPeriod: ExpressibleByArgument {}
