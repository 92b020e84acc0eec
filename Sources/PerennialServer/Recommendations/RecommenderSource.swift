import Foundation
import PerennialCore
import PerennialRecommendations
import PerennialReports
import PerennialStorage

/// Where a recommender comes from: the model `perennial recommend train` stored, or one trained now from
/// the store's purchases. Shared by the CLI and the server.
public enum RecommenderSource {
    /// A model ready to recommend, with where it came from.
    public struct Loaded: Sendable {
        /// The model.
        public var model: Recommender
        /// When it was trained, seconds since 1970 UTC.
        public var trainedAt: Int64
        /// Whether it was read from the store (false: trained just now).
        public var stored: Bool
    }

    /// Trains on the store's purchases before `cutoff` (all when `nil`).
    /// - Returns: the model, the purchases read and the training seconds (reading excluded).
    public static func train(store: any PerennialStore, before cutoff: Int64? = nil,
                             configuration: RecommenderConfiguration = .init()) async throws -> (model: Recommender, purchases: [Purchase], seconds: Double)? {
        let purchases = try await store.purchaseLines()
        guard !purchases.isEmpty else { return nil }
        let started = DispatchTime.now().uptimeNanoseconds
        let model = Recommender.train(purchases: purchases, before: cutoff, configuration: configuration)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return (model, purchases, seconds)
    }

    /// The stored model, when there is one.
    public static func stored(store: any PerennialStore) async throws -> Loaded? {
        guard let record = try await store.latestRecommender() else { return nil }
        do {
            return Loaded(model: try RecommenderArchive.decode(record.archive), trainedAt: record.trainedAt, stored: true)
        } catch {
            throw StorageError(message: "the stored recommender model cannot be read (\(error)); run perennial recommend train again.")
        }
    }

    /// The stored model, else one trained now; `nil` when the store has no purchases.
    public static func load(store: any PerennialStore) async throws -> Loaded? {
        if let stored = try await stored(store: store) { return stored }
        guard let trained = try await train(store: store) else { return nil }
        return Loaded(model: trained.model, trainedAt: Int64(Date().timeIntervalSince1970), stored: false)
    }

    /// Trains on the whole store and keeps the model.
    public static func trainAndStore(store: any PerennialStore, configuration: RecommenderConfiguration = .init()) async throws -> (summary: RecommenderSummary, seconds: Double)? {
        guard let trained = try await train(store: store, configuration: configuration) else { return nil }
        let now = Int64(Date().timeIntervalSince1970)
        let summary = RecommenderSummary(trained.model, trainedAt: now)
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        try await store.saveRecommender(StoredRecommender(archive: RecommenderArchive.encode(trained.model), trainedAt: now, summaryJSON: json))
        return (summary, trained.seconds)
    }
}

/// What a trained model holds, for `perennial recommend train --json` and listings.
public struct RecommenderSummary: Codable, Sendable, Hashable {
    public var trained_at: String
    public var as_of: String
    public var customers: Int
    public var items: Int
    public var cells: Int
    public var factors: Int
    public var weighting: String
    public var iterations: Int
    public var neighbours_per_item: Int
    public var horizon_days: Int
    /// Rows the next-basket blend learnt from (0: the default blend, the history being too short).
    public var blend_rows: Int
    public var blend: [String: Double]

    /// Summarises a model.
    public init(_ m: Recommender, trainedAt: Int64) {
        trained_at = Formatting.iso(trainedAt)
        as_of = Formatting.iso(m.data.asOf)
        customers = m.data.customers.count
        items = m.data.items.count
        cells = m.data.orders.entryCount
        factors = m.factors.factors
        weighting = m.configuration.als.weighting.rawValue
        iterations = m.configuration.als.iterations
        neighbours_per_item = m.configuration.neighboursPerItem
        horizon_days = m.configuration.horizonDays
        blend_rows = m.blendRows
        blend = Dictionary(uniqueKeysWithValues: zip(Recommender.blendFeatureNames, m.blend.coefficients))
    }
}
