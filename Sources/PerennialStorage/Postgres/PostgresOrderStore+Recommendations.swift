import PerennialCore
import PerennialRecommendations
import PostgresNIO

extension PostgresOrderStore: RecommendationStore {
    public func purchaseLines() async throws -> [Purchase] {
        let rows = try await query(PostgresQuery(unsafeSQL: RecommendationSQL.purchaseLines))
        var lines: [Purchase] = []
        for try await (customer, order, at, sku, quantity, price) in rows.decode((String, String, Int64, String, Int64, Int64).self) {
            lines.append(Purchase(customer: customer, order: order, at: at, sku: sku, quantity: quantity, unitPriceMillis: price))
        }
        return lines
    }

    public func products() async throws -> [Product] {
        var products: [Product] = []
        let rows = try await query(PostgresQuery(unsafeSQL: RecommendationSQL.products))
        for try await (sku, description, category) in rows.decode((String, String?, String?).self) {
            products.append(Product(sku: sku, description: description ?? "", category: category))
        }
        return products
    }

    public func saveRecommender(_ model: StoredRecommender) async throws {
        let text = RecommenderText.encode(model.archive)
        try await transaction(doing: "save the recommender model to") { connection in
            try await connection.query("DELETE FROM recommender_models", logger: self.logger)
            try await connection.query("""
                INSERT INTO recommender_models (trained_at, summary, archive) VALUES (\(model.trainedAt), \(model.summaryJSON), \(text))
                """, logger: self.logger)
        }
    }

    public func latestRecommender() async throws -> StoredRecommender? {
        let rows = try await query(PostgresQuery(unsafeSQL: RecommendationSQL.latestModel))
        for try await (trainedAt, summary, archive) in rows.decode((Int64, String, String).self) {
            return StoredRecommender(archive: try RecommenderText.decode(archive), trainedAt: trainedAt, summaryJSON: summary)
        }
        return nil
    }
}
