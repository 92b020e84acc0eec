import Hummingbird

/// Reads a request's body with a size limit and a deadline: a body larger than the limit is 413, and
/// one that has not fully arrived within ``deadline`` (a client that stalls mid-body) is 408 and the
/// connection is closed, so no request holds the server's memory or a connection for long.
enum RequestBody {
    /// How long a body may take to arrive: the server's `body_seconds`, set for each request by
    /// ``RequestMiddleware``.
    @TaskLocal static var deadline: Duration = .seconds(30)

    /// The body; `tooLarge` is the error for a body over the limit (a generic 413 when `nil`).
    static func collect(_ request: Request, upTo limit: Int, tooLarge: APIError? = nil, within deadline: Duration = RequestBody.deadline) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer.self) { group in
            group.addTask {
                do {
                    return try await request.body.collect(upTo: limit)
                } catch let error as HTTPResponseError where error.status == .contentTooLarge {
                    throw tooLarge ?? APIError(.contentTooLarge, code: "payload_too_large", message: "the body is larger than \(limit) bytes; send less at once")
                }
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                throw APIError(.requestTimeout, code: "request_timeout",
                               message: "the body did not arrive within \(deadline.components.seconds) s; send it again without pausing")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
