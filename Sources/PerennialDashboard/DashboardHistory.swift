import PerennialCore
import PerennialModels

/// How many customers moved from one lifecycle stage to another during a month.
public struct StageMigration: Sendable, Hashable {
    /// The month (`2024-06`).
    public var month: String
    /// `counts[from][to]`: rows are the stages at the start of the month in ``LifecycleStage`` order and
    /// then one row for customers first seen during the month; columns are the stages at its end.
    public var counts: [[Int]]

    /// Customers who went from `from` (nil: first seen this month) to `to`.
    public func count(from: LifecycleStage?, to: LifecycleStage) -> Int {
        counts[from.map { StageMigration.index($0) } ?? LifecycleStage.allCases.count][StageMigration.index(to)]
    }

    static func index(_ stage: LifecycleStage) -> Int { LifecycleStage.allCases.firstIndex(of: stage)! }
}

/// The store at the end of each of the last months: what the sparklines, the stage migrations and the
/// alert history read. Computed on refresh, by re-running the analysis at each month's end.
///
/// The last point is the report's as-of (the month so far); each earlier point is the start of the
/// month after (so a point's `kpis` are the figures "at the end of" its month). Stages in the history
/// follow the silence rules only: a model fitted today would judge the past with hindsight.
public struct DashboardHistory: Sendable {
    /// Month labels of the points, oldest first.
    public var months: [String] = []
    /// The as-of instant of each point.
    public var asOf: [Int64] = []
    /// Headline figures at each point.
    public var kpis: [KPIs] = []
    /// Each point's own month: new customers, orders, revenue.
    public var monthly: [MonthlyFigures] = []
    /// Customers by lifecycle stage at each point, in ``LifecycleStage`` order.
    public var stageCounts: [[Int]] = []
    /// Customers by RFM segment at each point, in ``RFMSegment`` order.
    public var segmentCounts: [[Int]] = []
    /// The mean 12-month CLV of customers with a purchase at each point (with a spend model), scored
    /// by the current model on the history up to the point.
    public var averageCLV: [Double?] = []
    /// The migrations during each point's month (the first point has none: it has no start).
    public var migrations: [StageMigration] = []

    /// An empty history (no orders).
    public init() {}

    /// Runs the analysis at the end of each of the last `months` months up to `options.asOf` (or the
    /// default as-of of the table), and once more at the start of the first, for its migrations.
    public static func compute(table: TransactionTable, options: AnalysisOptions, model: FittedModel?, months: Int = 12) -> DashboardHistory {
        var history = DashboardHistory()
        guard table.orderCount > 0 else { return history }
        let calendar = options.calendar
        let end = options.asOf ?? LifecycleAnalysis.defaultAsOf(table, calendar: calendar)
        let lastMonth = calendar.date(of: end - 1).monthNumber
        // Points: the start of each month after lastMonth - months … lastMonth - 1, then `end`.
        var points: [Int64] = []
        for month in (lastMonth - months)..<lastMonth {
            let next = month + 1
            points.append(calendar.startOfDay(CivilDate(year: next / 12, month: next % 12 + 1, day: 1).dayNumber))
        }
        points.append(end)
        var previousStages: [String: LifecycleStage]?
        for (i, point) in points.enumerated() {
            var pointOptions = options
            pointOptions.asOf = point
            pointOptions.probabilityAlive = nil
            let report = LifecycleAnalysis.run(table, options: pointOptions)
            var stages: [String: LifecycleStage] = [:]
            stages.reserveCapacity(report.profiles.count)
            for profile in report.profiles { stages[profile.customerID] = profile.stage }
            let label = CivilDate.monthLabel(lastMonth - months + i)
            if i > 0 {
                history.months.append(label)
                history.asOf.append(point)
                history.kpis.append(report.kpis)
                history.monthly.append(report.monthly.last { $0.month == label }
                    ?? MonthlyFigures(month: label, newCustomers: 0, activeCustomers: 0, orders: 0, revenueMinor: 0))
                history.stageCounts.append(report.stages.map(\.customers))
                history.segmentCounts.append(report.segments.map(\.customers))
                history.averageCLV.append(model.flatMap { averageCLV($0, table: table, calendar: calendar, asOf: point) })
                history.migrations.append(migration(month: label, before: previousStages ?? [:], after: stages))
            }
            previousStages = stages
        }
        return history
    }

    private static func migration(month: String, before: [String: LifecycleStage], after: [String: LifecycleStage]) -> StageMigration {
        let stages = LifecycleStage.allCases.count
        var counts = [[Int]](repeating: [Int](repeating: 0, count: stages), count: stages + 1)
        for (id, stage) in after {
            let from = before[id].map { StageMigration.index($0) } ?? stages
            counts[from][StageMigration.index(stage)] += 1
        }
        return StageMigration(month: month, counts: counts)
    }

    private static func averageCLV(_ model: FittedModel, table: TransactionTable, calendar: StoreCalendar, asOf: Int64) -> Double? {
        let scored = StorePredictions(model: model, table: table, calendar: calendar, end: calendar.date(of: asOf - 1))
        var sum = 0.0, count = 0
        for prediction in scored.byCustomer {
            guard let clv = prediction?.clv, clv.isFinite else { continue }
            sum += clv
            count += 1
        }
        return count == 0 ? nil : sum / Double(count)
    }
}
