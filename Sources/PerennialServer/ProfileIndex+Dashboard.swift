import PerennialCore
import PerennialDashboard
import PerennialStorage

extension ProfileIndex {
    /// What the dashboard pages read; `nil` before the first refresh.
    public func dashboardInput() -> DashboardInput? {
        guard let snapshot = current else { return nil }
        return DashboardInput(report: snapshot.report, predictions: snapshot.predictions, history: snapshot.history,
                              thresholds: thresholds, modelName: snapshot.model?.model.purchase.model,
                              holdout: snapshot.model?.holdout, calendar: snapshot.calendar)
    }

    /// The cohort matrix by another period than the report's (weekly on the cohorts page).
    func cohorts(period: CalendarPeriod) async -> CohortMatrix? {
        guard let snapshot = current else { return nil }
        if period == snapshot.report.cohorts.period { return snapshot.report.cohorts }
        let table = snapshot.table, asOf = snapshot.report.asOf, calendar = snapshot.calendar
        return await Task.detached { LifecycleAnalysis.cohorts(table, period: period, asOf: asOf, calendar: calendar) }.value
    }

    /// A customer's position in the current profiles and the store's RFM boundaries; `nil` when unknown.
    func dashboardPosition(of id: String) -> (position: Int, boundaries: RFMBoundaries)? {
        guard let snapshot = current, let position = snapshot.positions[id] else { return nil }
        return (position, snapshot.boundaries)
    }
}
