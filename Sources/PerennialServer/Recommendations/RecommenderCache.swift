import Foundation
import PerennialRecommendations
import PerennialStorage

/// The server's recommender: the stored model (or one trained from the store when none is stored), kept
/// for `ttl` seconds, then looked up again so a newly trained model is picked up. One load (or training)
/// runs at a time: requests that arrive during it wait for its result instead of each training one.
public actor RecommenderCache {
    let store: any PerennialStore
    let ttl: Double
    private var loaded: RecommenderSource.Loaded?
    private var names: [String: String] = [:]
    private var loadedAt: Date?
    /// The load under way, which every caller awaits.
    private var inFlight: Task<(model: RecommenderSource.Loaded, names: [String: String])?, any Error>?
    /// How many loads (or trainings) ran (tests).
    private(set) var loads = 0

    /// A cache over `store`.
    public init(store: any PerennialStore, ttl: Double = 300) {
        self.store = store
        self.ttl = ttl
    }

    /// The model and product names, loading or training when needed; `nil` when the store has no purchases.
    public func current() async throws -> (model: RecommenderSource.Loaded, names: [String: String])? {
        if let loaded, let loadedAt, Date().timeIntervalSince(loadedAt) < ttl { return (loaded, names) }
        if let inFlight { return try await inFlight.value }
        let store = store
        let task = Task { () -> (model: RecommenderSource.Loaded, names: [String: String])? in
            guard let fresh = try await RecommenderSource.load(store: store) else { return nil }
            let names = Dictionary(try await store.products().map { ($0.sku, $0.description) }, uniquingKeysWith: { a, _ in a })
            return (fresh, names)
        }
        inFlight = task
        loads += 1
        defer { inFlight = nil }
        guard let result = try await task.value else { return nil }
        (loaded, names, loadedAt) = (result.model, result.names, Date())
        return result
    }
}
