import PerennialDashboard

/// How `perennial serve` runs: every key can come from a flag, an environment variable or the config
/// file (README, "Configuration").
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The port to listen on (0 picks a free one).
    public var port = 8080
    /// The largest request body accepted, in bytes (413 above it).
    public var maxBodyBytes = 5 * 1024 * 1024
    /// Seconds between background refreshes (boundaries, stages, KPIs); 0 turns them off.
    public var refreshSeconds = 600.0
    /// Whether scheduled refreshes also refit the model.
    public var refitOnRefresh = true
    /// Whether routes other than health, readiness and the API document need an API key (only turn
    /// this off on a machine nobody else can reach).
    public var requireKeys = true
    /// The dashboard's KPI thresholds (red/amber/green).
    public var thresholds: [KPIThreshold] = KPIThreshold.defaults
    /// Where alert webhooks go when a KPI's state changes.
    public var webhooks: [WebhookTarget] = []
    /// The store's sender: where campaign messages in the outbox are delivered (`nil`: they wait).
    public var messageWebhook: WebhookTarget?
    /// Seconds between campaign runs (0: campaigns do not run).
    public var campaignSeconds = 300.0
    /// Seconds a connection may stay open without a request in flight, and that a client may take to
    /// send a request's headers, before the server closes it.
    public var idleSeconds = 30.0
    /// Seconds a request's body may take to arrive (408 and the connection closed after).
    public var bodySeconds = 30.0

    /// The defaults.
    public init() {}
}
