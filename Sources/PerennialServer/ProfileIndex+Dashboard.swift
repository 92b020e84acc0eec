import PerennialCore
import PerennialDashboard
import PerennialStorage

extension ProfileIndex {
    /// What the dashboard pages read; `nil` before the first refresh.
    public func dashboardInput() -> DashboardInput? {
        guard let snapshot = current else { return nil }
        return DashboardInput(report: snapshot.report, predictions: snapshot.predictions, history: snapshot.history,
                              thresholds: thresholds, modelName: snapshot.model?.model.purchase.model,
                              holdout: snapshot.model?.holdout, calendar: snapshot.calendar, channels: snapshot.channels, scoped: scopedReadings)
    }

    /// The cohort matrix by a period, of every customer or of those a filter selects (the cohorts page).
    func cohorts(period: CalendarPeriod, filter: CustomerFilter = CustomerFilter()) async -> CohortMatrix? {
        guard let snapshot = current else { return nil }
        if period == snapshot.report.cohorts.period && filter.isEmpty { return snapshot.report.cohorts }
        let asOf = snapshot.report.asOf, calendar = snapshot.calendar
        var table = snapshot.table
        if !filter.isEmpty {
            let channels = snapshot.channels
            let selected = Set(snapshot.report.profiles.filter { filter.matches($0, channels: channels) }.map(\.customerID))
            let source = snapshot.table
            table = await Task.detached { source.subset(customers: selected) }.value
        }
        let subset = table
        return await Task.detached { LifecycleAnalysis.cohorts(subset, period: period, asOf: asOf, calendar: calendar) }.value
    }


    /// A customer's position in the current profiles and the store's RFM boundaries; `nil` when unknown.
    func dashboardPosition(of id: String) -> (position: Int, boundaries: RFMBoundaries)? {
        guard let snapshot = current, let position = snapshot.positions[id] else { return nil }
        return (position, snapshot.boundaries)
    }
}
