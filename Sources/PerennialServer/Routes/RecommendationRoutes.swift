import Foundation
import Hummingbird
import PerennialRecommendations
import PerennialStorage

/// `GET /v1/customers/:id/recommendations?k=10&task=next_basket|discover`.
struct RecommendationRoutes {
    let cache: RecommenderCache

    func recommendations(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let parameters = request.uri.queryParameters
        var k = 10
        if let text = parameters.get("k") {
            guard let value = Int(text), (1...100).contains(value) else {
                throw APIError(.badRequest, code: "invalid_parameter", message: "k must be a whole number from 1 to 100 (got '\(text)')", field: "k")
            }
            k = value
        }
        var task = RecommendationTask.nextBasket
        if let text = parameters.get("task") {
            guard let value = RecommendationTask(rawValue: text) else {
                throw APIError(.badRequest, code: "invalid_parameter", message: "task must be next_basket or discover (got '\(text)')", field: "task")
            }
            task = value
        }
        guard let (loaded, names) = try await cache.current() else {
            throw APIError(.notFound, code: "no_purchases", message: "the store holds no purchases to recommend from; import orders first")
        }
        let personal = loaded.model.data.customerIndex[id] != nil
        let known = personal ? true : try await cache.store.customerExists(id)
        guard known else {
            throw APIError(.notFound, code: "not_found", message: "no customer with this id; list customers with GET /v1/customers", field: "id")
        }
        let rules = RecommendationRules()
        let list = loaded.model.recommend(customer: id, k: k, task: task, rules: rules)
        return try APIJSON.response(encoding: RecommendationListJSON(customer: id, task: task, personal: personal, loaded: loaded,
                                                                     rules: rules, list: list, names: names))
    }
}
