import Foundation
import Hummingbird
import PerennialCampaigns
import PerennialCore
import PerennialReports
import PerennialStorage

/// The campaign API: list, apply (`PUT`, checked first), pause and resume the stored campaigns, their
/// report, and the engine's decision record.
struct CampaignRoutes {
    let store: any PerennialStore

    struct Listing: Encodable {
        var campaigns: [Summary]
    }

    struct Summary: Encodable {
        var id, name, trigger: String
        var active: Bool
        var priority: Int
        var holdout: Double
        var attribution_days: Int
        var steps: Int
    }

    func list(_ request: Request, context: some RequestContext) async throws -> Response {
        let campaigns = try await CampaignRegistry.campaigns(in: store)
        return try APIJSON.response(encoding: Listing(campaigns: campaigns.map {
            Summary(id: $0.id, name: $0.name, trigger: $0.trigger.typeName, active: $0.active, priority: $0.priority, holdout: $0.holdout,
                    attribution_days: $0.attributionDays, steps: $0.steps.count)
        }))
    }

    /// Stores the definitions of the body (one campaign, a list, or `{"campaigns": [...]}`), replacing
    /// those with the same id; nothing is stored when any has a problem (422, every problem named).
    func apply(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await RequestBody.collect(request, upTo: 1 << 20)
        do {
            let ids = try await CampaignRegistry.apply([CampaignRegistry.Document(data: Data(buffer: body))], to: store)
            return APIJSON.response(#"{"applied":\#(try APIJSON.encode(ids))}"#)
        } catch let error as CampaignDefinitionError {
            throw APIError(.unprocessableContent, code: "invalid_campaign",
                           message: "nothing was stored; fix every problem: " + error.problems.map(\.description).joined(separator: "; "),
                           field: error.problems.first?.path)
        }
    }

    func pause(_ request: Request, context: some RequestContext) async throws -> Response {
        try await setActive(false, context: context)
    }

    func resume(_ request: Request, context: some RequestContext) async throws -> Response {
        try await setActive(true, context: context)
    }

    private func setActive(_ active: Bool, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await CampaignRegistry.setActive(id, active, in: store) else {
            throw APIError(.notFound, code: "not_found", message: "no stored campaign with this id; list them with GET /v1/campaigns", field: "id")
        }
        return APIJSON.response(#"{"active":\#(active),"id":\#(try APIJSON.encode(id))}"#)
    }

    /// `from` and `to` are dates (the start of that day in the store's zone) or RFC 3339 instants.
    func report(_ request: Request, context: some RequestContext) async throws -> Response {
        let calendar = StoreCalendar(identifier: try await store.setting("timezone") ?? "UTC") ?? .utc
        func instant(_ name: String) throws -> Int64? {
            guard let text = request.uri.queryParameters.get(name) else { return nil }
            guard let value = ReadRoutes.instant(String(text), calendar: calendar) else {
                throw APIError(.badRequest, code: "bad_request", message: "\(name) must be a date (2011-06-01) or an RFC 3339 instant", field: name)
            }
            return value
        }
        let from = try instant("from"), to = try instant("to")
        if let from, let to, from >= to { throw APIError(.badRequest, code: "bad_request", message: "from must be before to", field: "from") }
        guard let report = try await CampaignReport.build(store, from: from, to: to) else { throw APIError.notReady }
        return try APIJSON.response(encoding: report)
    }

    struct Decisions: Encodable {
        var decisions: [Row]

        struct Row: Encodable {
            var decision_id, campaign_id, customer_id, decided_at, outcome: String
            var step: Int?
            var reason, action, channel: String?
        }
    }

    static let outcomes = ["entered", "held_out", "sent", "deferred", "suppressed"]

    func decisions(_ request: Request, context: some RequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let outcome = query.get("outcome").map { String($0) }
        if let outcome, !Self.outcomes.contains(outcome) {
            throw APIError(.badRequest, code: "bad_request", message: "outcome must be one of \(Self.outcomes.joined(separator: ", "))", field: "outcome")
        }
        let limit = try QueryValue.integer(request, "limit", in: 1...1000, default: 100)
        let records = try await store.decisions(DecisionQuery(campaignID: query.get("campaign").map { String($0) },
                                                              customerID: query.get("customer").map { String($0) }, outcome: outcome, limit: limit))
        return try APIJSON.response(encoding: Decisions(decisions: records.map {
            Decisions.Row(decision_id: $0.id, campaign_id: $0.campaignID, customer_id: $0.customerID, decided_at: Formatting.iso($0.decidedAt),
                          outcome: $0.outcome, step: $0.step, reason: $0.reason, action: $0.action, channel: $0.channel)
        }))
    }
}
