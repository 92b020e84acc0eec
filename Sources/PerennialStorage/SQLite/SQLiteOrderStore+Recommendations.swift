import PerennialCore
import PerennialRecommendations

extension SQLiteOrderStore: RecommendationStore {
    /// One scan of the lines joined to their orders and products.
    public func purchaseLines() async throws -> [Purchase] {
        let statement = try reader.prepare("""
            SELECT o.customer_id, l.order_id, o.placed_at, l.sku, l.quantity, l.unit_price_millis
            FROM order_lines l JOIN orders o ON o.order_id = l.order_id LEFT JOIN products p ON p.sku = l.sku
            WHERE o.kind = 0 AND o.customer_id IS NOT NULL AND l.quantity > 0 AND l.unit_price_millis > 0
              AND COALESCE(p.is_product, 1) = 1
            ORDER BY o.placed_at, l.order_id, l.line_no
            """)
        var lines: [Purchase] = []
        while try statement.step() {
            lines.append(Purchase(customer: statement.string(0) ?? "", order: statement.string(1) ?? "", at: statement.int64(2),
                                  sku: statement.string(3) ?? "", quantity: statement.int64(4), unitPriceMillis: statement.int64(5)))
        }
        return lines
    }

    public func products() async throws -> [Product] {
        let statement = try reader.prepare("SELECT sku, description, category FROM products WHERE is_product = 1 ORDER BY sku")
        var products: [Product] = []
        while try statement.step() {
            products.append(Product(sku: statement.string(0) ?? "", description: statement.string(1) ?? "", category: statement.string(2)))
        }
        return products
    }

    public func saveRecommender(_ model: StoredRecommender) async throws {
        try database.transaction {
            try database.execute("DELETE FROM recommender_models")
            let statement = try database.prepare("INSERT INTO recommender_models (trained_at, summary, archive) VALUES (?, ?, ?)")
            statement.bind(1, model.trainedAt)
            statement.bind(2, model.summaryJSON)
            statement.bind(3, RecommenderText.encode(model.archive))
            try statement.step()
        }
    }

    public func latestRecommender() async throws -> StoredRecommender? {
        let statement = try reader.prepare("SELECT trained_at, summary, archive FROM recommender_models ORDER BY model_id DESC LIMIT 1")
        guard try statement.step() else { return nil }
        return StoredRecommender(archive: try RecommenderText.decode(statement.string(2) ?? ""), trainedAt: statement.int64(0),
                                 summaryJSON: statement.string(1) ?? "{}")
    }
}
