import PerennialCore
import PerennialReports
import PerennialRecommendations

/// Recommendations as the CLI's `--json` and the API print them.
public struct RecommendationListJSON: Codable, Sendable {
    public struct Item: Codable, Sendable {
        public var rank: Int
        public var sku: String
        public var name: String?
        public var score: Double
        public var label: String
        public var reason: String
        public var reason_text: String
        /// The other sku, for `bought_together`.
        public var with_sku: String?
        /// The customer's interval in days, for `cadence`.
        public var every_days: Int?
    }

    public var customer_id: String
    public var task: String
    /// `personal` (from the customer's history) or `cold_start` (unknown customer: popular items).
    public var source: String
    public var model_trained_at: String
    public var model_as_of: String
    /// Present only when margins changed the ranking.
    public var disclosure: String?
    public var items: [Item]

    /// Builds the list; `names` maps skus to product names.
    public init(customer: String, task: RecommendationTask, personal: Bool, loaded: RecommenderSource.Loaded,
                rules: RecommendationRules, list: [Recommendation], names: [String: String]) {
        customer_id = customer
        self.task = task.rawValue
        source = personal ? "personal" : "cold_start"
        model_trained_at = Formatting.iso(loaded.trainedAt)
        model_as_of = Formatting.iso(loaded.model.data.asOf)
        disclosure = Reranker.disclosure(rules)
        items = list.enumerated().map { index, r in
            var item = Item(rank: index + 1, sku: r.sku, name: names[r.sku].flatMap { $0.isEmpty ? nil : $0 }, score: r.score,
                            label: r.label.rawValue, reason: r.reason.kind, reason_text: r.reason.text)
            switch r.reason {
            case let .boughtTogether(sku): item.with_sku = sku
            case let .cadence(every, _): item.every_days = every
            default: break
            }
            return item
        }
    }
}
