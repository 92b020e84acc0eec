import Foundation
import Hummingbird

/// The one error shape of the API: `{"error": {"code", "message", "field"?}}` with an HTTP status.
///
/// Messages say what was wrong and how to fix it; they never carry personal data beyond the id the
/// client sent, nor a stack trace.
public struct APIError: HTTPResponseError, Equatable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable machine-readable code (`not_found`, `not_ready`, `bad_request`, …).
    public var code: String
    /// What was wrong and what to do.
    public var message: String
    /// The offending field or JSON path, when there is one.
    public var field: String?
    /// Seconds the client should wait before trying again (sent as `Retry-After`).
    public var retryAfter: Int?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// 503 `not_ready`: the profiles are still loading.
    static let notReady = APIError(.serviceUnavailable, code: "not_ready", message: "the profiles are still loading; try again in a moment")

    /// The JSON body.
    public var body: String {
        struct Envelope: Encodable {
            struct Detail: Encodable { var code: String; var message: String; var field: String? }
            var error: Detail
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(Envelope(error: .init(code: code, message: message, field: field)))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The response Hummingbird sends when a route throws this error.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .requestTimeout { headers[.connection] = "close" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Turns every other error into the API's shape: Hummingbird's own (an unknown route is `not_found`,
/// a bad method `method_not_allowed`, …) keep their status; anything else is a 500 `internal` error
/// whose message does not leak the cause but gives the request id, under which the cause is logged.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPResponseError {
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            let message = error.status == .notFound ? "no route \(request.method) \(request.uri.path); see GET /openapi.json for the API"
                : error.status.reasonPhrase
            throw APIError(error.status, code: code, message: message)
        } catch {
            // The error's description names what failed (a storage error carries no query values); the
            // route pattern, not the path, keeps customer ids out of the log.
            context.logger.error("request failed", metadata: [
                "route": .string(context.endpointPath ?? "unmatched"), "error": .string(String(describing: error)),
            ])
            let id = context.logger[metadataKey: "request_id"].map { "\($0)" } ?? "-"
            throw APIError(.internalServerError, code: "internal",
                           message: "the server could not complete the request; the cause is logged under request id \(id)")
        }
    }
}
