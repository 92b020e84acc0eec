import Hummingbird
import ServiceLifecycle

/// Runs the outbox delivery worker beside the server until it shuts down.
struct OutboxService: Service {
    let deliverer: OutboxDeliverer
    let failures: BackgroundFailure

    func run() async throws {
        try? await cancelWhenGracefulShutdown { await deliverer.run(onFailure: { failures.report("outbox", $0) }) }
    }
}

/// Runs the stored campaigns on a schedule (``CampaignRunner``) until the server shuts down.
struct CampaignService: Service {
    let runner: CampaignRunner
    let interval: Double
    let failures: BackgroundFailure

    func run() async throws {
        await tick()
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
            } catch {
                return
            }
            await tick()
        }
    }

    private func tick() async {
        do { _ = try await runner.tick() } catch { failures.report("campaigns", error) }
    }
}
