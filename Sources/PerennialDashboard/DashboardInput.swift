import PerennialCore
import PerennialModels

/// Everything a dashboard page reads: the current profiles (kept live by the server), the history of
/// the last months, the thresholds and the model's holdout report.
public struct DashboardInput: Sendable {
    /// The analysis of the last refresh, with profiles updated since by live events.
    public var report: LifecycleReport
    /// Predictions by profile position (`nil` where the model does not score the customer).
    public var predictions: [CustomerPrediction?]
    public var history: DashboardHistory
    public var thresholds: [KPIThreshold]
    /// The fitted model's name and its holdout report, when a model has been fitted.
    public var modelName: String?
    public var holdout: HoldoutReport?
    public var calendar: StoreCalendar
    /// Each customer's acquisition channel, where known.
    public var channels: [String: String]
    /// The scoped threshold rules, read on their customers.
    public var scoped: [ScopedReading]

    public init(report: LifecycleReport, predictions: [CustomerPrediction?], history: DashboardHistory, thresholds: [KPIThreshold],
                modelName: String?, holdout: HoldoutReport?, calendar: StoreCalendar, channels: [String: String] = [:], scoped: [ScopedReading] = []) {
        self.report = report
        self.predictions = predictions
        self.history = history
        self.thresholds = thresholds
        self.modelName = modelName
        self.holdout = holdout
        self.calendar = calendar
        self.channels = channels
        self.scoped = scoped
    }

    /// The acquisition channels present, most customers first.
    var channelNames: [String] {
        var counts: [String: Int] = [:]
        for channel in channels.values { counts[channel, default: 0] += 1 }
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
    }

    var currency: Currency { report.currency }

    /// Money in minor units as major units.
    func major(_ minor: Int64) -> Double { Double(minor) / Double(currency.minorPerMajor) }

    /// Customers and revenue by stage from the current profiles, in ``LifecycleStage`` order.
    func stageFigures() -> [(stage: LifecycleStage, customers: Int, revenueMinor: Int64)] {
        var customers = [Int](repeating: 0, count: LifecycleStage.allCases.count)
        var revenue = [Int64](repeating: 0, count: LifecycleStage.allCases.count)
        for profile in report.profiles {
            let i = StageMigration.index(profile.stage)
            customers[i] += 1
            revenue[i] = revenue[i].clampedAdding(profile.revenueMinor)
        }
        return LifecycleStage.allCases.enumerated().map { ($1, customers[$0], revenue[$0]) }
    }

    /// Customers and revenue by RFM segment from the current profiles, in ``RFMSegment`` order.
    func segmentFigures() -> [(segment: RFMSegment, customers: Int, revenueMinor: Int64)] {
        var customers: [RFMSegment: Int] = [:], revenue: [RFMSegment: Int64] = [:]
        for profile in report.profiles {
            guard let segment = profile.segment else { continue }
            customers[segment, default: 0] += 1
            revenue[segment, default: 0] = revenue[segment, default: 0].clampedAdding(profile.revenueMinor)
        }
        return RFMSegment.allCases.map { ($0, customers[$0] ?? 0, revenue[$0] ?? 0) }
    }
}
