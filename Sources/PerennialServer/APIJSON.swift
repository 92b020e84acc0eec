import Foundation
import Hummingbird
import PerennialCore
import PerennialIngestion
import PerennialReports
import PerennialStorage

/// The JSON bodies of the API (documented in openapi.json and the README).
enum APIJSON {
    /// A JSON response.
    static func response(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Encodes compactly with sorted keys.
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func response<T: Encodable>(encoding value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        response(try encode(value), status: status)
    }

    /// `GET /v1/customers/{id}`: the profile's members, then `tags` and `recent_events`.
    struct Customer: Encodable {
        var detail: CustomerDetail

        enum Keys: String, CodingKey { case tags, recent_events }

        func encode(to encoder: any Encoder) throws {
            try detail.profile.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(detail.tags, forKey: .tags)
            try container.encode(detail.recentEvents.map(Event.init), forKey: .recent_events)
        }
    }

    /// A stored event: the envelope and the type's fields at the top level, as it was posted.
    struct Event: Encodable {
        var stored: StoredEvent

        func encode(to encoder: any Encoder) throws {
            if let fields = try? JSONParser.parse(Array(stored.fieldsJSON.utf8)) { try fields.encode(to: encoder) }
            var container = encoder.container(keyedBy: JSONKey.self)
            try container.encode(stored.id, forKey: JSONKey("event_id"))
            try container.encode(stored.type, forKey: JSONKey("type"))
            try container.encode(stored.customerID, forKey: JSONKey("customer_id"))
            try container.encode(Formatting.iso(stored.occurredAt), forKey: JSONKey("timestamp"))
        }
    }

    /// `POST /v1/events`: counts and one result per event in the order sent.
    struct EventResults: Encodable {
        var accepted = 0
        var duplicates = 0
        var rejected = 0
        var results: [Result] = []

        struct Result: Encodable {
            var index: Int
            var event_id: String?
            var status: String
            var field: String?
            var reason: String?
        }
    }

    /// `GET /v1/customers`: a page of profiles.
    struct CustomerPage: Encodable {
        var as_of: String
        var total: Int
        var customers: [ReportJSON.Customer]
        var next_cursor: String?
    }

    /// `GET /v1/segments` and `GET /v1/stages`.
    struct Groups: Encodable {
        var as_of: String
        var currency: String
        var groups: [ReportJSON.Group]
    }

    /// `GET /v1/kpis`.
    struct KPIs: Encodable {
        var as_of: String
        var currency: String
        var kpis: ReportJSON.KPIBlock
        var monthly: [ReportJSON.Month]
    }

    /// `GET /v1/cohorts`.
    struct CohortTable: Encodable {
        var as_of: String
        var cohorts: ReportJSON.Cohorts
    }

    /// `GET /v1/models`.
    struct Models: Encodable {
        var fitted_at: String
        var model: String
        var calibration_end: String
        var time_unit_days: Double
        var parameters: [String: Double]
        var log_likelihood: Double
        var customers: Double
        var at_boundary: Bool
        var spend: Spend?
        var holdout: Holdout?

        struct Spend: Encodable {
            var model: String
            var parameters: [String: Double]
        }

        struct Holdout: Encodable {
            var customers: Int
            var holdout_days: Int
            var mae: Double
            var rmse: Double
            var bias: Double
            var actual_total: Double
            var predicted_total: Double
            var tracking: [Point]
            struct Point: Encodable { var week: Int; var actual: Double; var predicted: Double }
        }
    }
}
