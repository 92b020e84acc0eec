import Hummingbird
import ServiceLifecycle

/// Refreshes the profile index on a schedule (boundaries, stages, KPIs and, when set, a model refit),
/// until the application shuts down.
struct RefreshService: Service {
    let index: ProfileIndex
    /// Seconds between refreshes.
    let interval: Double
    let refit: Bool
    let failures: BackgroundFailure

    func run() async throws {
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
            } catch {
                return  // shutting down
            }
            do { _ = try await index.refresh(refit: refit) } catch { failures.report("refresh", error) }
        }
    }
}
