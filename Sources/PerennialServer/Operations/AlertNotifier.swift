import Foundation
import Logging
import PerennialDashboard
import PerennialReports
import PerennialStorage

/// A URL that receives alert webhooks, and the secret their signatures use.
public struct WebhookTarget: Sendable, Hashable, Codable {
    public var url: String
    public var secret: String

    public init(url: String, secret: String) {
        self.url = url
        self.secret = secret
    }
}

/// How often and how patiently a webhook is retried: attempt n waits `baseDelay × 2ⁿ⁻¹` (at most
/// `maxDelay`) with ±20% jitter before the next.
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Seconds before a request without an answer fails.
    public var timeout: Double

    public init(attempts: Int = 6, baseDelay: Double = 1, maxDelay: Double = 60, timeout: Double = 10) {
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.timeout = timeout
    }

    /// The wait after failed attempt `attempt` (1-based), jittered.
    func delay(after attempt: Int) -> Double {
        var base = baseDelay
        for _ in 1..<max(attempt, 1) { base = min(maxDelay, base * 2) }
        return base * Double.random(in: 0.8...1.2)
    }
}

/// Evaluates the dashboard's thresholds after each refresh and posts each change of a KPI's state to
/// the configured webhooks: JSON, signed with HMAC-SHA256, retried with backoff.
///
/// The last states are kept in the store's settings (`alert_states`), so a restart does not announce
/// again what was announced. Deliveries wait in memory: one that is still retrying when the process
/// stops is lost (the states were already stored), which the log says.
public actor AlertNotifier {
    let store: any DashboardStateStore
    let targets: [WebhookTarget]
    let policy: RetryPolicy
    let logger: Logger
    private var pending = 0
    /// Deliveries that reached a 2xx, and those that ran out of attempts.
    public private(set) var delivered = 0
    public private(set) var failed = 0

    public init(store: any DashboardStateStore, targets: [WebhookTarget], policy: RetryPolicy = RetryPolicy(), logger: Logger = Logger(label: "perennial")) {
        self.store = store
        self.targets = targets
        self.policy = policy
        self.logger = logger
    }

    /// One webhook's body.
    struct Payload: Encodable {
        var delivery_id: String
        var type = "kpi_state_changed"
        var kpi: String
        var from: String?
        var to: String
        var value: Double
        var rule: KPIThreshold?
        var as_of: String
        var sent_at: String
    }

    /// Compares the KPIs' states now with the stored ones, stores the new ones, and posts each crossing
    /// to every target (in the background). Returns the crossings.
    @discardableResult
    public func evaluate(_ input: DashboardInput) async throws -> [AlertCrossing] {
        let tiles = KPITile.tiles(input.history, currency: input.report.currency, thresholds: input.thresholds)
        let readings = AlertReading.all(tiles: tiles, scoped: input.scoped, rules: input.thresholds)
        let stored = try await storedStates()
        let crossings = AlertCrossing.crossings(readings, stored: stored)
        let states = AlertCrossing.states(readings)
        let now = Int64(Date().timeIntervalSince1970)
        if states != stored { try await store.saveAlertStates(states.mapValues(\.rawValue), at: now) }
        for crossing in crossings {
            logger.notice("alert", metadata: ["kpi": .string(crossing.key), "from": .string(crossing.from?.rawValue ?? "-"), "to": .string(crossing.to.rawValue)])
            let payload = Payload(delivery_id: UUID().uuidString.lowercased(), kpi: crossing.kpi, from: crossing.from?.rawValue, to: crossing.to.rawValue,
                                  value: crossing.value, rule: crossing.rule, as_of: Formatting.iso(input.report.asOf), sent_at: Formatting.iso(now))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body = try encoder.encode(payload)
            for target in targets {
                pending += 1
                Task { await self.deliver(body, id: payload.delivery_id, to: target) }
            }
        }
        return crossings
    }

    /// Waits until every delivery has succeeded or run out of attempts (tests).
    public func settle() async {
        while pending > 0 { try? await Task.sleep(for: .milliseconds(5)) }
    }

    private func storedStates() async throws -> [String: AlertState] {
        try await store.alertStates().compactMapValues(AlertState.init(rawValue:))
    }

    /// `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>`: what `X-Perennial-Signature` carries.
    public static func signature(secret: String, timestamp: String, body: Data) -> String {
        WebhookPoster.signature(secret: secret, timestamp: timestamp, body: body)
    }

    private func deliver(_ body: Data, id: String, to target: WebhookTarget) async {
        defer { pending -= 1 }
        for attempt in 1...max(1, policy.attempts) {
            let (status, error) = await WebhookPoster.post(body, to: target, id: id, attempt: attempt, timeout: policy.timeout)
            if let status, (200..<300).contains(status) {
                delivered += 1
                return
            }
            logger.warning("alert webhook failed", metadata: ["delivery": .string(id), "attempt": .stringConvertible(attempt), "error": .string(error)])
            if attempt < policy.attempts { try? await Task.sleep(for: .seconds(policy.delay(after: attempt))) }
        }
        failed += 1
        logger.error("alert webhook gave up", metadata: ["delivery": .string(id), "attempts": .stringConvertible(policy.attempts)])
    }
}
