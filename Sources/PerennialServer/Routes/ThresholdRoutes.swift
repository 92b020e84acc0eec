import Foundation
import Hummingbird
import PerennialDashboard
import PerennialStorage

/// `GET` and `PUT /v1/thresholds`: the dashboard's red/amber/green rules. Rules set here are kept in
/// the store (``DashboardStateStore``, table `dashboard_thresholds`) and win over the configuration
/// file from then on.
struct ThresholdRoutes {
    let index: ProfileIndex
    let notifier: AlertNotifier?

    struct Body: Codable {
        var thresholds: [KPIThreshold]
    }

    struct Listing: Encodable {
        var thresholds: [KPIThreshold]
        /// Each KPI's state now (`none` without a rule).
        var states: [String: String]
        /// The scoped rules' readings.
        var scoped: [Scoped]
    }

    struct Scoped: Encodable {
        var key: String
        var state: String
        var value: Double?
        var customers: Int
    }

    /// The rules a store has saved, if any.
    static func saved(in store: any DashboardStateStore) async throws -> [KPIThreshold]? {
        guard let text = try await store.savedThresholds() else { return nil }
        return try? JSONDecoder().decode([KPIThreshold].self, from: Data(text.utf8))
    }

    func get(_ request: Request, context: some RequestContext) async throws -> Response {
        try await listing()
    }

    func put(_ request: Request, context: some RequestContext) async throws -> Response {
        let data = try await RequestBody.collect(request, upTo: 256 * 1024)
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(buffer: data))
        } catch {
            throw APIError(.badRequest, code: "bad_request",
                           message: #"the body must be {"thresholds": [{"kpi": "churn_rate", "direction": "above", "amber": 0.05, "red": 0.08}]} (direction above or below; amber and red as numbers)"#,
                           field: "thresholds")
        }
        if let problem = KPIThreshold.problems(body.thresholds).first {
            let field = String(problem.prefix { $0 != ":" })
            throw APIError(.badRequest, code: "bad_request", message: problem, field: field)
        }
        let text = String(decoding: try JSONEncoder().encode(body.thresholds), as: UTF8.self)
        try await index.store.saveThresholds(text, at: Int64(Date().timeIntervalSince1970))
        await index.setThresholds(body.thresholds)
        // New rules can change states at once: evaluate the alerts without waiting for a refresh.
        if let notifier, let input = await index.dashboardInput() { try await notifier.evaluate(input) }
        return try await listing()
    }

    private func listing() async throws -> Response {
        guard let input = await index.dashboardInput() else { throw APIError.notReady }
        let tiles = KPITile.tiles(input.history, currency: input.report.currency, thresholds: input.thresholds)
        return try APIJSON.response(encoding: Listing(thresholds: input.thresholds,
                                                       states: Dictionary(uniqueKeysWithValues: tiles.map { ($0.id, $0.state.rawValue) }),
                                                       scoped: input.scoped.map { Scoped(key: $0.rule.key, state: $0.state.rawValue, value: $0.value, customers: $0.customers) }))
    }
}
