import Hummingbird

/// Refuses request targets no route could use, before any route runs, with the API's JSON error:
/// a target longer than ``maximumTargetLength`` (414), and a NUL character anywhere in the path or a
/// query value (400 naming the parameter; no database can store it).
struct InputGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The longest request target (path and query) accepted, in bytes.
    static var maximumTargetLength: Int { 8_192 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let target = request.uri.description
        guard target.utf8.count <= Self.maximumTargetLength else {
            throw APIError(.uriTooLong, code: "uri_too_long",
                           message: "the request target is \(target.utf8.count) bytes; at most \(Self.maximumTargetLength) are accepted")
        }
        if request.uri.path.utf8.contains(0) || request.uri.path.lowercased().contains("%00") {
            throw APIError(.badRequest, code: "bad_request", message: "the path contains a NUL character (%00); remove it", field: "path")
        }
        for (name, value) in request.uri.queryParameters where value.utf8.contains(0) || name.utf8.contains(0) {
            throw APIError(.badRequest, code: "bad_request", message: "the query parameter \(String(name).prefix(40)) contains a NUL character (%00); remove it",
                           field: String(name))
        }
        return try await next(request, context)
    }
}
