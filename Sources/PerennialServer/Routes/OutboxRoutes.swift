import Foundation
import Hummingbird
import PerennialReports
import PerennialStorage

/// `GET /v1/outbox` (messages by status, dead letters included) and `POST /v1/outbox/{id}/retry`.
struct OutboxRoutes {
    let store: any OutboxStore

    struct Listing: Encodable {
        var messages: [Row]
    }

    struct Row: Encodable {
        var message_id, campaign_id, customer_id, channel, status: String
        var attempts: Int
        var next_attempt_at, created_at: String
        var delivered_at, last_error: String?
    }

    func list(_ request: Request, context: some RequestContext) async throws -> Response {
        let text = request.uri.queryParameters.get("status")
        var status: OutboxStatus?
        if let text {
            guard let value = OutboxStatus(rawValue: String(text)) else {
                throw APIError(.badRequest, code: "bad_request", message: "status must be pending, delivered or dead", field: "status")
            }
            status = value
        }
        let limit = try QueryValue.integer(request, "limit", in: 1...1000, default: 100)
        let messages = try await store.outbox(status: status, limit: limit)
        return try APIJSON.response(encoding: Listing(messages: messages.map {
            Row(message_id: $0.id, campaign_id: $0.campaignID, customer_id: $0.customerID, channel: $0.channel, status: $0.status.rawValue,
                attempts: $0.attempts, next_attempt_at: Formatting.iso($0.nextAttemptAt), created_at: Formatting.iso($0.createdAt),
                delivered_at: $0.deliveredAt.map(Formatting.iso), last_error: $0.lastError)
        }))
    }

    func retry(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await store.retryDead(id: id, now: Int64(Date().timeIntervalSince1970)) else {
            throw APIError(.notFound, code: "not_found", message: "no dead message with this id; list them with GET /v1/outbox?status=dead", field: "id")
        }
        return APIJSON.response(#"{"message_id":\#(try APIJSON.encode(id)),"status":"pending"}"#)
    }
}
