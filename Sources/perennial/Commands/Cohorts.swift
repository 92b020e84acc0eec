import ArgumentParser
import PerennialCore
import PerennialReports

struct Cohorts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The cohort retention matrix: of the customers who first ordered in a period, the share ordering k periods later.")

    @Argument(help: ArgumentHelp("An order file to read instead of the database.", valueName: "file"))
    var file: String?

    @OptionGroup var format: FileFormatOptions
    @OptionGroup var analysis: AnalysisFlags
    @OptionGroup var database: DatabaseOptions

    @Option(help: "month or week (ISO weeks, Monday first).")
    var period: CalendarPeriod = .month

    @Option(help: "Text output: at most this many period columns.")
    var columns: Int = 13

    @Flag(help: "Print JSON: period and rows of cohort, size, retained counts and retention rates.")
    var json = false

    func run() async throws {
        let loaded = try await TableLoader.load(file: file, format: format, database: database)
        let options = try analysis.options(storeTimeZone: loaded.storeTimeZone, period: period)
        let asOf = options.asOf ?? LifecycleAnalysis.defaultAsOf(loaded.table, calendar: options.calendar)
        let matrix = LifecycleAnalysis.cohorts(loaded.table, period: period, asOf: asOf, calendar: options.calendar)
        if json {
            print(try ReportJSON.encode(ReportJSON.cohorts(matrix)))
        } else {
            print("As of \(Formatting.local(asOf, options.calendar)) \(options.calendar.identifier); source: \(loaded.origin)\n")
            print(ReportText.cohorts(matrix, maxColumns: columns))
        }
    }
}
