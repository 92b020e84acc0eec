import Hummingbird

/// Lets a request through only with a valid key of an allowed role: 401 `unauthorized` without a
/// valid key, 403 `forbidden` for a key of another role.
/// A client that sends ``FailureLimiter/limit`` unknown keys within its window gets 429 until it passes.
struct RoleMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: Authenticator
    let allowed: Set<Role>
    let limiter: FailureLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, code: "unauthorized",
                           message: "send an API key as Authorization: Bearer <key>; create one with perennial keys create --role \(allowed.contains(.analyst) ? "analyst" : allowed.contains(.ingest) ? "ingest" : "admin")")
        }
        let client = context.clientAddress
        if let wait = await limiter.begin(client) { throw APIError.tooManyAttempts(retryAfter: wait) }
        guard let (role, _) = try await authenticator.authenticate(String(header.dropFirst(7))) else {
            throw APIError(.unauthorized, code: "unauthorized", message: "the API key is unknown or revoked; create one with perennial keys create")
        }
        await limiter.succeeded(client)
        guard allowed.contains(role) else {
            let roles = Role.allCases.filter { allowed.contains($0) }.map(\.rawValue).joined(separator: " or ")
            throw APIError(.forbidden, code: "forbidden", message: "a key with the role \(role.rawValue) may not do this; it needs \(roles)")
        }
        return try await next(request, context)
    }
}
