import Hummingbird
import ServiceLifecycle

/// Runs the outbox delivery worker beside the server until it shuts down.
struct OutboxService: Service {
    let deliverer: OutboxDeliverer

    func run() async throws {
        try? await cancelWhenGracefulShutdown { await deliverer.run() }
    }
}
