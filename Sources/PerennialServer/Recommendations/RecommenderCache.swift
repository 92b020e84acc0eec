import Foundation
import PerennialRecommendations
import PerennialStorage

/// The server's recommender: the stored model (or one trained from the store when none is stored), kept
/// for `ttl` seconds, then looked up again so a newly trained model is picked up.
public actor RecommenderCache {
    let store: any PerennialStore
    let ttl: Double
    private var loaded: RecommenderSource.Loaded?
    private var names: [String: String] = [:]
    private var loadedAt: Date?

    /// A cache over `store`.
    public init(store: any PerennialStore, ttl: Double = 300) {
        self.store = store
        self.ttl = ttl
    }

    /// The model and product names, loading or training when needed; `nil` when the store has no purchases.
    public func current() async throws -> (model: RecommenderSource.Loaded, names: [String: String])? {
        if let loaded, let loadedAt, Date().timeIntervalSince(loadedAt) < ttl { return (loaded, names) }
        guard let fresh = try await RecommenderSource.load(store: store) else { return nil }
        loaded = fresh
        loadedAt = Date()
        names = Dictionary(try await store.products().map { ($0.sku, $0.description) }, uniquingKeysWith: { a, _ in a })
        return (fresh, names)
    }
}
