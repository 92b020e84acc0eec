import Foundation

/// A problem in a campaign definition: the JSON path of the field and what to do about it.
public struct CampaignProblem: Sendable, Hashable, CustomStringConvertible, Error {
    /// `campaigns[0].steps[3].coupon.amount_off`.
    public var path: String
    public var message: String

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// A problem at a path.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// Reads a parsed JSON value field by field, collecting every problem with its path instead of
/// stopping at the first.
final class JSONReader {
    let value: Any
    let path: String
    let problems: ProblemList

    final class ProblemList {
        var items: [CampaignProblem] = []
        func add(_ path: String, _ message: String) { items.append(CampaignProblem(path: path, message: message)) }
    }

    init(_ value: Any, path: String, problems: ProblemList) {
        self.value = value
        self.path = path
        self.problems = problems
    }

    var object: [String: Any]? { value as? [String: Any] }

    func fail(_ message: String) { problems.add(path, message) }

    private func at(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { object?[key] != nil && !(object?[key] is NSNull) }

    /// Complains about members that are not among `known` (typos would otherwise be ignored).
    func only(_ known: Set<String>) {
        for key in (object ?? [:]).keys.sorted() where !known.contains(key) {
            problems.add(at(key), "unknown field; the fields here are \(known.sorted().joined(separator: ", "))")
        }
    }

    func child(_ key: String) -> JSONReader? {
        guard let member = object?[key], !(member is NSNull) else { return nil }
        return JSONReader(member, path: at(key), problems: problems)
    }

    func string(_ key: String, required: Bool = true, hint: String = "") -> String? {
        guard let member = object?[key], !(member is NSNull) else {
            if required { problems.add(at(key), "required" + (hint.isEmpty ? "" : "; \(hint)")) }
            return nil
        }
        guard let text = member as? String, !text.isEmpty else {
            problems.add(at(key), "expected a non-empty string" + (hint.isEmpty ? "" : "; \(hint)"))
            return nil
        }
        return text
    }

    func number(_ key: String, required: Bool = true, hint: String = "") -> Double? {
        guard let member = object?[key], !(member is NSNull) else {
            if required { problems.add(at(key), "required" + (hint.isEmpty ? "" : "; \(hint)")) }
            return nil
        }
        guard let number = member as? NSNumber, !Self.isBoolean(number) else {
            problems.add(at(key), "expected a number" + (hint.isEmpty ? "" : "; \(hint)"))
            return nil
        }
        return number.doubleValue
    }

    func bool(_ key: String) -> Bool? {
        guard let member = object?[key], !(member is NSNull) else { return nil }
        guard let number = member as? NSNumber, Self.isBoolean(number) else {
            problems.add(at(key), "expected true or false")
            return nil
        }
        return number.boolValue
    }

    /// JSONSerialization gives `true` and `1` alike as NSNumber; only booleans have the `c` type.
    static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    func span(_ key: String, required: Bool = true) -> Span? {
        guard let text = string(key, required: required, hint: "a span such as 30m, 4h, 3d or 2w") else { return nil }
        guard let span = Span(text) else {
            problems.add(at(key), "'\(text)' is not a span; write a positive number and m, h, d or w (30m, 4h, 3d, 2w)")
            return nil
        }
        return span
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, required: Bool = true) -> T? where T.RawValue == String {
        let names = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = string(key, required: required, hint: "one of \(names)") else { return nil }
        guard let value = T(rawValue: text) else {
            problems.add(at(key), "'\(text)' is not one of \(names)")
            return nil
        }
        return value
    }

    func array(_ key: String, required: Bool = true) -> [JSONReader]? {
        guard let member = object?[key], !(member is NSNull) else {
            if required { problems.add(at(key), "required: a list") }
            return nil
        }
        guard let items = member as? [Any] else {
            problems.add(at(key), "expected a list")
            return nil
        }
        return items.enumerated().map { JSONReader($1, path: "\(at(key))[\($0)]", problems: problems) }
    }
}
