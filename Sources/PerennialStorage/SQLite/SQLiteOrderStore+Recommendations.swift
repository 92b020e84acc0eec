import PerennialCore
import PerennialRecommendations

extension SQLiteOrderStore: RecommendationStore {
    /// One scan of the lines joined to their orders and products.
    public func purchaseLines() async throws -> [Purchase] {
        let statement = try reader.prepare(RecommendationSQL.purchaseLines)
        var lines: [Purchase] = []
        while try statement.step() {
            lines.append(Purchase(customer: statement.string(0) ?? "", order: statement.string(1) ?? "", at: statement.int64(2),
                                  sku: statement.string(3) ?? "", quantity: statement.int64(4), unitPriceMillis: statement.int64(5)))
        }
        return lines
    }

    public func products() async throws -> [Product] {
        let statement = try reader.prepare(RecommendationSQL.products)
        var products: [Product] = []
        while try statement.step() {
            products.append(Product(sku: statement.string(0) ?? "", description: statement.string(1) ?? "", category: statement.string(2)))
        }
        return products
    }

    public func saveRecommender(_ model: StoredRecommender) async throws {
        let archive = RecommenderText.encode(model.archive)
        try await writer.perform { database in
            try database.execute("DELETE FROM recommender_models")
            let statement = try database.prepare("INSERT INTO recommender_models (trained_at, summary, archive) VALUES (?, ?, ?)")
            statement.bind(1, model.trainedAt)
            statement.bind(2, model.summaryJSON)
            statement.bind(3, archive)
            try statement.step()
        }
    }

    public func latestRecommender() async throws -> StoredRecommender? {
        let statement = try reader.prepare(RecommendationSQL.latestModel)
        guard try statement.step() else { return nil }
        return StoredRecommender(archive: try RecommenderText.decode(statement.string(2) ?? ""), trainedAt: statement.int64(0),
                                 summaryJSON: statement.string(1) ?? "{}")
    }
}
