import Foundation
import PerennialCore
import PerennialRecommendations

/// A stored recommender model: its archive bytes and what it was trained on.
public struct StoredRecommender: Sendable {
    /// ``RecommenderArchive`` bytes.
    public var archive: [UInt8]
    /// When it was trained, seconds since 1970 UTC.
    public var trainedAt: Int64
    /// A JSON summary (customers, items, blend rows, as-of) for listings.
    public var summaryJSON: String

    /// Creates a stored model.
    public init(archive: [UInt8], trainedAt: Int64, summaryJSON: String) {
        self.archive = archive
        self.trainedAt = trainedAt
        self.summaryJSON = summaryJSON
    }
}

/// What recommendations read and keep: the purchase lines under the evaluation protocol, product
/// categories, and the latest trained model.
public protocol RecommendationStore: Sendable {
    /// Every purchase line of a known customer with a product sku, positive quantity and positive price
    /// (cancellations, adjustments, guest orders, postage and fees left out).
    func purchaseLines() async throws -> [Purchase]
    /// The catalog: every product sku with its name and category (fees and postage left out).
    func products() async throws -> [Product]
    /// Keeps a trained model; older ones are dropped.
    func saveRecommender(_ model: StoredRecommender) async throws
    /// The latest trained model, when there is one.
    func latestRecommender() async throws -> StoredRecommender?
}

/// The SQL both databases run.
enum RecommendationSQL {
    /// The purchase lines of the evaluation protocol, oldest first.
    static let purchaseLines = """
            SELECT o.customer_id, l.order_id, o.placed_at, l.sku, l.quantity, l.unit_price_millis
            FROM order_lines l JOIN orders o ON o.order_id = l.order_id LEFT JOIN products p ON p.sku = l.sku
            WHERE o.kind = 0 AND o.customer_id IS NOT NULL AND l.quantity > 0 AND l.unit_price_millis > 0
              AND COALESCE(p.is_product, 1) = 1
            ORDER BY o.placed_at, l.order_id, l.line_no
            """
    /// The latest stored model.
    static let latestModel = "SELECT trained_at, summary, archive FROM recommender_models ORDER BY model_id DESC LIMIT 1"
    /// The catalog's products.
    static let products = "SELECT sku, description, category FROM products WHERE is_product = 1 ORDER BY sku"
}

/// The archive as stored: base64 text, which both databases keep without a binary type.
enum RecommenderText {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func decode(_ text: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text) else {
            throw StorageError(message: "the stored recommender model is damaged; run perennial recommend train again.")
        }
        return Array(data)
    }
}
