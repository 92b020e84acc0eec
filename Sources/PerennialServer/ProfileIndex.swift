import PerennialCore
import PerennialReports
import PerennialStorage

/// The store's customer profiles in memory: a lifecycle analysis of every order in the database, with
/// each customer's profile ready to serve, rebuilt by ``refresh()``.
public actor ProfileIndex {
    /// Where the orders come from.
    let store: SQLiteOrderStore
    /// Analysis options (as-of, time zone, stage thresholds).
    let options: AnalysisOptions
    private var report: LifecycleReport?
    private var positions: [String: Int] = [:]

    /// An index over a store; empty until ``refresh()``.
    public init(store: SQLiteOrderStore, options: AnalysisOptions = AnalysisOptions()) {
        self.store = store
        self.options = options
    }

    /// Reloads every order and recomputes the analysis; returns the number of customers.
    @discardableResult
    public func refresh() async throws -> Int {
        guard let table = try await store.loadTransactions() else {
            report = nil
            positions = [:]
            return 0
        }
        var options = options
        if let zone = try await store.setting("timezone"), let calendar = StoreCalendar(identifier: zone) { options.calendar = calendar }
        let fresh = LifecycleAnalysis.run(table, options: options)
        var positions: [String: Int] = [:]
        for (i, profile) in fresh.profiles.enumerated() { positions[profile.customerID] = i }
        report = fresh
        self.positions = positions
        return fresh.profiles.count
    }

    /// Whether an analysis has been loaded (the database may still be empty).
    public var isLoaded: Bool { report != nil }

    /// How many customers the index holds.
    public var customerCount: Int { report?.profiles.count ?? 0 }

    /// One customer's profile, `nil` when unknown.
    public func customer(_ id: String) -> ReportJSON.Customer? {
        guard let report, let position = positions[id] else { return nil }
        return ReportJSON.customer(report.profiles[position], report.currency)
    }

    /// The store's KPIs with the as-of instant and currency.
    public func kpis() -> ReportJSON.Analysis? {
        report.map { ReportJSON.analysis($0, source: "database") }
    }
}
