import Foundation
import Hummingbird
import HummingbirdTesting
import PerennialServer
import Testing

/// The OpenAPI document: it names exactly the routes the server has, with the access each has, and
/// real responses match the schemas it gives.
@Suite struct OpenAPITests {
    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any])
    }

    @Test("every route of the server is in the document with its access, and nothing else is")
    func routes() throws {
        let document = try Self.document()
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented: Set<String> = []
        for (path, item) in paths {
            for (method, operation) in item where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
                let access = (operation as? [String: Any])?["x-access"] as? String
                let route = PerennialApplication.routes.first { "\($0.method) \($0.openAPIPath)" == "\(method.uppercased()) \(path)" }
                #expect(route?.access.rawValue == access, "\(method) \(path)")
                let security = (operation as? [String: Any])?["security"] as? [[String: Any]]
                #expect((security?.isEmpty ?? true) == (access == "open"), "\(method) \(path) security")
            }
        }
        let served = Set(PerennialApplication.routes.map { "\($0.method) \($0.openAPIPath)" })
        #expect(documented == served)
    }

    @Test("real responses of every read route, the events route and the error shape match their schemas")
    func responses() async throws {
        let document = try Self.document()
        let validator = SchemaValidator(document: document)
        let server = try await ServerEventTests.handServer()
        try await ServerTests.app(server).test(.live) { client in
            let batch = #"{"events": [{"event_id": "o-1", "type": "review", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "rating": 5, "text": "lovely"}, {"event_id": "o-2", "type": "nps", "customer_id": "1001", "timestamp": "2024-06-30T10:00:00Z", "score": 99}]}"#
            let (_, posted) = try await ServerEventTests.post(client, batch, key: server.admin)
            #expect(validator.problems(posted, path: "/v1/events", method: "post", status: "200").isEmpty)
            await server.index.settle()
            _ = try await client.execute(uri: "/v1/jobs/refresh", method: .post, headers: ServerEventTests.headers(server.admin)) { _ in }
            let reads: [(uri: String, path: String, status: String)] = [
                ("/v1/customers/1001", "/v1/customers/{id}", "200"), ("/v1/customers?limit=2", "/v1/customers", "200"),
                ("/v1/segments", "/v1/segments", "200"), ("/v1/stages", "/v1/stages", "200"), ("/v1/kpis", "/v1/kpis", "200"),
                ("/v1/cohorts", "/v1/cohorts", "200"), ("/v1/models", "/v1/models", "200"), ("/readyz", "/readyz", "200"),
                ("/healthz", "/healthz", "200"), ("/v1/customers/nobody", "/v1/customers/{id}", "404"),
                ("/v1/thresholds", "/v1/thresholds", "200"),
            ]
            for read in reads {
                let (status, body) = try await ServerEventTests.get(client, read.uri, key: server.admin)
                #expect(String(status.code) == read.status, "\(read.uri)")
                let problems = validator.problems(body, path: read.path, method: "get", status: read.status)
                #expect(problems.isEmpty, "\(read.uri): \(problems)")
            }
            // The validator does find problems: a wrong type, a missing required member, an undocumented one.
            let (_, profile) = try await ServerEventTests.get(client, "/v1/customers/1001", key: server.admin)
            var tampered = profile
            tampered["orders"] = "three"
            tampered["surprise"] = 1
            tampered.removeValue(forKey: "stage")
            #expect(validator.problems(tampered, path: "/v1/customers/{id}", method: "get", status: "200").count == 3)
            let (_, served) = try await ServerEventTests.get(client, "/openapi.json", key: nil)
            #expect(served["openapi"] as? String == "3.1.0")
        }
    }
}

/// Checks a JSON value against the subset of JSON Schema the document uses: `type`, `properties`,
/// `required`, `items`, `enum`, `$ref`, `oneOf`, `additionalProperties`, `minimum`, `maximum`.
struct SchemaValidator: @unchecked Sendable {
    let document: [String: Any]

    /// The problems of a response body against the documented response schema.
    func problems(_ value: Any, path: String, method: String, status: String) -> [String] {
        let paths = document["paths"] as? [String: Any]
        let operation = (paths?[path] as? [String: Any])?[method] as? [String: Any]
        guard var response = (operation?["responses"] as? [String: Any])?[status] as? [String: Any] else {
            return ["no \(status) response documented for \(method) \(path)"]
        }
        if let reference = response["$ref"] as? String { response = resolve(reference) ?? [:] }
        guard let schema = ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] else {
            return ["no application/json schema for \(status) of \(method) \(path)"]
        }
        var problems: [String] = []
        check(value, schema, at: "$", into: &problems)
        return problems
    }

    private func resolve(_ reference: String) -> [String: Any]? {
        var node: Any? = document
        for part in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
        return node as? [String: Any]
    }

    private func typeName(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let number as NSNumber:
            // JSONSerialization gives booleans the type code "c", whole numbers "i"/"q", decimals "d".
            let code = String(cString: number.objCType)
            return code == "c" ? "boolean" : (code == "d" || code == "f") ? "number" : "integer"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "unknown"
        }
    }

    private func check(_ value: Any, _ schema: [String: Any], at path: String, into problems: inout [String]) {
        if let reference = schema["$ref"] as? String {
            guard let target = resolve(reference) else { return problems.append("\(path): unresolved \(reference)") }
            return check(value, target, at: path, into: &problems)
        }
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matching = options.filter { option in
                var local: [String] = []
                check(value, option, at: path, into: &local)
                return local.isEmpty
            }
            if matching.count != 1 { problems.append("\(path): matches \(matching.count) of the oneOf schemas") }
            return
        }
        let actual = typeName(value)
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String ?? ""]
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !ok { problems.append("\(path): \(actual), documented \(allowed.joined(separator: "|"))") }
        }
        if let values = schema["enum"] as? [Any], !values.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) not in the documented enum")
        }
        if let minimum = schema["minimum"] as? Double, let number = value as? Double, number < minimum { problems.append("\(path): below minimum") }
        if let maximum = schema["maximum"] as? Double, let number = value as? Double, number > maximum { problems.append("\(path): above maximum") }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(path).\(key): required but missing") }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for (key, member) in object {
                if let property = properties[key] {
                    check(member, property, at: "\(path).\(key)", into: &problems)
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    check(member, additional, at: "\(path).\(key)", into: &problems)
                } else if schema["additionalProperties"] as? Bool == false || (schema["properties"] != nil && schema["additionalProperties"] == nil) {
                    problems.append("\(path).\(key): not documented")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, element) in array.enumerated() { check(element, items, at: "\(path)[\(i)]", into: &problems) }
        }
    }
}
