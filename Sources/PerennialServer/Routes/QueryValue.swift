import Hummingbird

/// Typed query parameters: a value that is present but not what the route takes is a 400 that names
/// the parameter, never silently the default.
enum QueryValue {
    /// A whole number in `range`, or `fallback` when the parameter is absent.
    static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(String(text)), range.contains(value) else {
            throw APIError(.badRequest, code: "bad_request",
                           message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound) (got '\(String(text).prefix(20))')",
                           field: name)
        }
        return value
    }
}
