import Hummingbird
import ServiceLifecycle

/// Runs the outbox delivery worker beside the server until it shuts down.
struct OutboxService: Service {
    let deliverer: OutboxDeliverer

    func run() async throws {
        try? await cancelWhenGracefulShutdown { await deliverer.run() }
    }
}

/// Runs the stored campaigns on a schedule (``CampaignRunner``) until the server shuts down.
struct CampaignService: Service {
    let runner: CampaignRunner
    let interval: Double

    func run() async throws {
        _ = try? await runner.tick()
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
            } catch {
                return
            }
            _ = try? await runner.tick()
        }
    }
}
