import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id (the client's `X-Request-Id` when it is a plain token, else a new one),
/// returns it in the response, records metrics by route, and logs one line per request with the
/// route pattern, never the concrete path: ids in paths are customer ids, kept out of logs.
///
/// It also sets how long the request's body may take to arrive (``RequestBody/deadline``).
struct RequestMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    var bodyDeadline: Duration = .seconds(30)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let id = Self.requestID(request.headers[.requestID])
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        let route = context.endpointPath ?? "unmatched"
        let status: HTTPResponse.Status
        var response: Response
        do {
            response = try await RequestBody.$deadline.withValue(bodyDeadline) { try await next(request, context) }
            status = response.status
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
            status = error.status
        }
        response.headers[.requestID] = id
        let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
        metrics.request(route: route, method: request.method.rawValue, status: status.code, nanoseconds: elapsed)
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "route": .string(route), "status": .stringConvertible(status.code),
            "duration_ms": .stringConvertible((Double(elapsed) / 1e4).rounded() / 100),
        ])
        return response
    }

    /// The client's id when it is 1–64 letters, digits, `-` or `_`; otherwise a new random one.
    static func requestID(_ given: String?) -> String {
        if let given, (1...64).contains(given.utf8.count),
           given.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F }) {
            return given
        }
        return UUID().uuidString.lowercased()
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
