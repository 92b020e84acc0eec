import Foundation
import Hummingbird
import PerennialCore
import PerennialIngestion
import PerennialStorage

/// `POST /v1/events`: decode a batch, store the valid events in one durable transaction, queue their
/// customers' profile updates, and answer with one result per event.
struct EventRoutes {
    let store: any ServerStore
    let index: ProfileIndex
    let configuration: ServerConfiguration
    let metrics: ServerMetrics

    func ingest(_ request: Request, context: some RequestContext) async throws -> Response {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type",
                           message: "send the batch as JSON with the header Content-Type: application/json (got '\(contentType.prefix(60))')")
        }
        let body = try await RequestBody.collect(request, upTo: configuration.maxBodyBytes, tooLarge: APIError(
            .contentTooLarge, code: "payload_too_large",
            message: "the body is larger than \(configuration.maxBodyBytes) bytes; send at most \(EventBatch.maxEvents) events a request in smaller batches"))
        let now = Int64(Date().timeIntervalSince1970)
        let batch: EventBatch
        do {
            batch = try EventBatch.decode(body.readableBytesView, decoder: EventDecoder(now: now))
        } catch {
            switch error {
            case .syntax(let syntax):
                throw APIError(.badRequest, code: "invalid_json", message: "\(syntax.description); nothing was stored", field: syntax.path)
            case .shape(let field, let reason):
                throw APIError(.badRequest, code: "bad_request", message: "\(reason); nothing was stored", field: field)
            case .tooMany(let count):
                throw APIError(.contentTooLarge, code: "too_many_events",
                               message: "the batch has \(count) events; send at most \(EventBatch.maxEvents) a request", field: "events")
            }
        }
        var events: [CustomerEvent] = []
        events.reserveCapacity(batch.items.count)
        for case .event(let event) in batch.items { events.append(event) }
        let report = events.isEmpty ? EventWriteReport() : try await store.record(events, receivedAt: now)
        await index.enqueue(report.customers)
        let results = Self.results(batch, report)
        metrics.events(accepted: results.accepted, duplicates: results.duplicates, rejected: results.rejected)
        return try APIJSON.response(encoding: results)
    }

    /// Merges decoding rejections and store outcomes into the per-event results, in the order sent.
    static func results(_ batch: EventBatch, _ report: EventWriteReport) -> APIJSON.EventResults {
        var results = APIJSON.EventResults()
        var outcomes = report.outcomes.makeIterator()
        for (index, item) in batch.items.enumerated() {
            switch item {
            case .rejected(let id, let rejection):
                results.rejected += 1
                results.results.append(.init(index: index, event_id: id, status: "rejected", field: rejection.field, reason: rejection.reason))
            case .event(let event):
                switch outcomes.next() ?? .accepted {
                case .accepted:
                    results.accepted += 1
                    results.results.append(.init(index: index, event_id: event.id, status: "accepted"))
                case .duplicate(let reason):
                    results.duplicates += 1
                    results.results.append(.init(index: index, event_id: event.id, status: "duplicate", reason: reason))
                case .rejected(let field, let reason):
                    results.rejected += 1
                    results.results.append(.init(index: index, event_id: event.id, status: "rejected", field: field, reason: reason))
                }
            }
        }
        return results
    }
}
