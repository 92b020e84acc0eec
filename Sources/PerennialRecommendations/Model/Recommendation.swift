/// What a list is for.
public enum RecommendationTask: String, Sendable, Hashable, Codable, CaseIterable {
    /// The next purchases: items bought before (`rebuy`) and new ones (`discover`) ranked together.
    case nextBasket = "next_basket"
    /// New items only: nothing the customer bought before.
    case discover
}

/// Whether a recommended item is one the customer bought before.
public enum RecommendationLabel: String, Sendable, Hashable, Codable {
    /// Bought before: a reminder, ranked by the customer's own cadence.
    case rebuy
    /// Never bought by this customer.
    case discover
}

/// Why an item is recommended, in words a customer or an operator can read.
public enum RecommendationReason: Sendable, Hashable {
    /// Bought about every `everyDays` days, last `lastDaysAgo` days ago.
    case cadence(everyDays: Int, lastDaysAgo: Int)
    /// Bought before with no cadence to tell (once, or in orders under two days apart), last `daysAgo` days ago.
    case boughtBefore(daysAgo: Int)
    /// Often bought by the same customers as an item this customer bought.
    case boughtTogether(with: String)
    /// Liked by customers who buy like this one (the factor model).
    case similarCustomers
    /// Popular recently, in the customer's group when one is named.
    case popular(group: String?)

    /// A machine-readable kind: `cadence`, `bought_before`, `bought_together`, `similar_customers`, `popular`.
    public var kind: String {
        switch self {
        case .cadence: "cadence"
        case .boughtBefore: "bought_before"
        case .boughtTogether: "bought_together"
        case .similarCustomers: "similar_customers"
        case .popular: "popular"
        }
    }

    /// The reason in English.
    public var text: String {
        switch self {
        case let .cadence(every, last): "you buy this about every \(every) days (last \(last) days ago)"
        case let .boughtBefore(days): "you bought this \(days) days ago"
        case let .boughtTogether(sku): "bought together with \(sku)"
        case .similarCustomers: "customers who buy like you buy this"
        case let .popular(group): group.map { "popular in your segment (\($0))" } ?? "popular recently"
        }
    }
}

/// One recommended item.
public struct Recommendation: Sendable, Hashable {
    /// The item's sku.
    public var sku: String
    /// The ranking score: for next-basket lists the blend's probability that the item is in the customer's
    /// purchases of the next horizon *if they come back* (it was learnt on returning customers, so it
    /// ranks items, not whether the customer returns: churn risk says that); for
    /// discovery the factor model's score; for cold start the share of recent buyers.
    public var score: Double
    /// `rebuy` or `discover`.
    public var label: RecommendationLabel
    /// Why.
    public var reason: RecommendationReason

    /// Creates a recommendation.
    public init(sku: String, score: Double, label: RecommendationLabel, reason: RecommendationReason) {
        self.sku = sku
        self.score = score
        self.label = label
        self.reason = reason
    }
}
