import Foundation
import PerennialStorage

/// The dashboard's campaign report, rebuilt at most once a minute: building it replays 90 days of the
/// whole history, too much to do on every page view.
actor CampaignReportCache {
    let store: any PerennialStore
    let maxAge: Int64
    private var cached: (report: CampaignReport, builtAt: Int64)?

    init(store: any PerennialStore, maxAge: Int64 = 60) {
        self.store = store
        self.maxAge = maxAge
    }

    /// The report of the last 90 days; `nil` when the store has no customers yet.
    func report(now: Int64 = Int64(Date().timeIntervalSince1970)) async throws -> CampaignReport? {
        if let cached, now - cached.builtAt < maxAge { return cached.report }
        guard let report = try await CampaignReport.build(store, now: now) else { return nil }
        cached = (report, now)
        return report
    }
}
