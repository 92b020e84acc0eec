import Foundation
import PerennialCore
import PerennialModels

/// The filters, order and page of `GET /v1/customers`, read from query parameters and applied to a
/// snapshot: pure, so it is tested without a server.
struct CustomerListQuery: Sendable, Equatable {
    var stage: LifecycleStage?
    var segment: RFMSegment?
    var minChurnRisk: Double?
    var sort: SortKey = .revenue
    var limit = 50
    var after: Cursor?

    /// Orders of the list; each breaks ties by customer id.
    enum SortKey: String, CaseIterable, Sendable {
        case revenue, orders, recency, clv, churnRisk = "churn_risk", id

        /// Larger first, except recency (most recent first) and id (alphabetical).
        var descending: Bool { self != .recency && self != .id }
    }

    /// Where the previous page ended: the sort, its last sort value and customer id.
    struct Cursor: Sendable, Equatable {
        var sort: SortKey
        var value: Double
        var id: String

        /// An opaque token: base64url of `sort|value|id`.
        var token: String {
            Data("\(sort.rawValue)|\(value)|\(id)".utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }

        init(sort: SortKey, value: Double, id: String) {
            self.sort = sort
            self.value = value
            self.id = id
        }

        init?(token: String) {
            var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
            let parts = text.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let sort = SortKey(rawValue: String(parts[0])), let value = Double(parts[1]) else { return nil }
            self.sort = sort
            self.value = value
            self.id = String(parts[2])
        }
    }

    /// Reads the query parameters; a wrong value throws an error naming the parameter.
    init(parameters: (String) -> String?) throws {
        if let text = parameters("stage") {
            guard let stage = LifecycleStage(rawValue: text) else {
                throw APIError(.badRequest, code: "bad_request", message: "unknown stage '\(text.prefix(40))'; use one of \(LifecycleStage.allCases.map(\.rawValue).joined(separator: ", "))", field: "stage")
            }
            self.stage = stage
        }
        if let text = parameters("segment") {
            guard let segment = RFMSegment(rawValue: text) else {
                throw APIError(.badRequest, code: "bad_request", message: "unknown segment '\(text.prefix(40))'; use one of \(RFMSegment.allCases.map(\.rawValue).joined(separator: ", "))", field: "segment")
            }
            self.segment = segment
        }
        if let text = parameters("min_churn_risk") {
            guard let value = Double(text), (0...1).contains(value) else {
                throw APIError(.badRequest, code: "bad_request", message: "min_churn_risk must be a number from 0 to 1", field: "min_churn_risk")
            }
            minChurnRisk = value
        }
        if let text = parameters("sort") {
            guard let key = SortKey(rawValue: text) else {
                throw APIError(.badRequest, code: "bad_request", message: "unknown sort '\(text.prefix(40))'; use one of \(SortKey.allCases.map(\.rawValue).joined(separator: ", "))", field: "sort")
            }
            sort = key
        }
        if let text = parameters("limit") {
            guard let value = Int(text), (1...1_000).contains(value) else {
                throw APIError(.badRequest, code: "bad_request", message: "limit must be a whole number from 1 to 1000", field: "limit")
            }
            limit = value
        }
        if let text = parameters("cursor") {
            guard let cursor = Cursor(token: text) else {
                throw APIError(.badRequest, code: "bad_request", message: "the cursor is not one this server gave; start again without it", field: "cursor")
            }
            guard cursor.sort == sort else {
                throw APIError(.badRequest, code: "bad_request", message: "the cursor belongs to sort=\(cursor.sort.rawValue); keep the same sort and filters while paging", field: "cursor")
            }
            after = cursor
        }
    }

    /// The value a profile sorts by (missing predictions sort last).
    func value(_ profile: CustomerProfile, _ prediction: CustomerPrediction?) -> Double {
        let missing = sort.descending ? -Double.infinity : Double.infinity
        switch sort {
        case .revenue: return Double(profile.revenueMinor)
        case .orders: return Double(profile.summary?.orders ?? 0)
        case .recency: return profile.summary.map { Double($0.recencyDays) } ?? missing
        case .clv: return prediction?.clv ?? missing
        case .churnRisk: return prediction?.churnRisk ?? missing
        case .id: return 0
        }
    }

    /// Whether (value, id) comes before (otherValue, otherID) in this order.
    func precedes(_ value: Double, _ id: String, _ otherValue: Double, _ otherID: String) -> Bool {
        if value != otherValue { return sort.descending ? value > otherValue : value < otherValue }
        return id < otherID
    }

    /// The matching positions in order, the page after the cursor, and the total that match.
    func page(profiles: [CustomerProfile], predictions: [CustomerPrediction?]) -> (positions: [Int], total: Int, next: Cursor?) {
        var matching: [(value: Double, position: Int)] = []
        var total = 0
        for (position, profile) in profiles.enumerated() {
            if let stage, profile.stage != stage { continue }
            if let segment, profile.segment != segment { continue }
            if let minChurnRisk {
                guard let risk = predictions[position]?.churnRisk, risk >= minChurnRisk else { continue }
            }
            total += 1
            let value = value(profile, predictions[position])
            if let after, !precedes(after.value, after.id, value, profile.customerID) { continue }
            matching.append((value, position))
        }
        matching.sort { precedes($0.value, profiles[$0.position].customerID, $1.value, profiles[$1.position].customerID) }
        let page = matching.prefix(limit)
        let next = matching.count > limit ? page.last.map { Cursor(sort: sort, value: $0.value, id: profiles[$0.position].customerID) } : nil
        return (page.map(\.position), total, next)
    }
}
