import Foundation
import Hummingbird
import Logging
import PerennialDashboard
import PerennialReports

/// Who may call a route.
public enum Access: String, Sendable, CaseIterable {
    /// Anyone, without a key (health and readiness probes, the API document).
    case open
    /// `ingest` and `admin` keys.
    case ingest
    /// `analyst` and `admin` keys.
    case read
    /// `admin` keys only.
    case admin

    /// The roles allowed.
    public var roles: Set<Role> {
        switch self {
        case .open: Set(Role.allCases)
        case .ingest: [.ingest, .admin]
        case .read: [.analyst, .admin]
        case .admin: [.admin]
        }
    }
}

/// One route of the API: the table that registers the routes, guards them, and that the tests and
/// the OpenAPI document are checked against.
public struct RouteSpec: Sendable, Hashable {
    public var method: HTTPRequest.Method
    /// The path in Hummingbird's syntax (`/v1/customers/:id`).
    public var path: String
    public var access: Access

    /// The path in OpenAPI's syntax (`/v1/customers/{id}`).
    public var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }
}

/// The HTTP application of `perennial serve`: events in, profiles and store figures out, over a
/// ``ProfileIndex``.
public enum PerennialApplication {
    /// Every route.
    public static let routes: [RouteSpec] = [
        RouteSpec(method: .get, path: "/healthz", access: .open),
        RouteSpec(method: .get, path: "/readyz", access: .open),
        RouteSpec(method: .get, path: "/openapi.json", access: .open),
        RouteSpec(method: .post, path: "/v1/events", access: .ingest),
        RouteSpec(method: .get, path: "/v1/customers", access: .read),
        RouteSpec(method: .get, path: "/v1/customers/:id", access: .read),
        RouteSpec(method: .get, path: "/v1/customers/:id/recommendations", access: .read),
        RouteSpec(method: .get, path: "/v1/segments", access: .read),
        RouteSpec(method: .get, path: "/v1/stages", access: .read),
        RouteSpec(method: .get, path: "/v1/kpis", access: .read),
        RouteSpec(method: .get, path: "/v1/cohorts", access: .read),
        RouteSpec(method: .get, path: "/v1/models", access: .read),
        RouteSpec(method: .post, path: "/v1/jobs/refresh", access: .admin),
        RouteSpec(method: .get, path: "/v1/thresholds", access: .read),
        RouteSpec(method: .put, path: "/v1/thresholds", access: .admin),
        RouteSpec(method: .get, path: "/v1/campaigns", access: .read),
        RouteSpec(method: .put, path: "/v1/campaigns", access: .admin),
        RouteSpec(method: .post, path: "/v1/campaigns/:id/pause", access: .admin),
        RouteSpec(method: .post, path: "/v1/campaigns/:id/resume", access: .admin),
        RouteSpec(method: .get, path: "/v1/campaigns/report", access: .read),
        RouteSpec(method: .get, path: "/v1/decisions", access: .read),
        RouteSpec(method: .get, path: "/v1/outbox", access: .admin),
        RouteSpec(method: .post, path: "/v1/outbox/:id/retry", access: .admin),
        RouteSpec(method: .get, path: "/metrics", access: .read),
    ]

    typealias Handler = @Sendable (Request, PerennialRequestContext) async throws -> Response

    /// The router with every route of ``routes``, its guard and the error middleware.
    ///
    /// Beside the API it serves the dashboard's pages (``DashboardRoutes``), signing sessions with
    /// `sessions` (a secret of this process when `nil`: sessions then end with it).
    public static func router(index: ProfileIndex, configuration: ServerConfiguration = ServerConfiguration(),
                              metrics: ServerMetrics = ServerMetrics(), sessions: DashboardSessions? = nil,
                              notifier: AlertNotifier? = nil) -> Router<PerennialRequestContext> {
        let router = Router(context: PerennialRequestContext.self)
        router.middlewares.add(RequestMiddleware(metrics: metrics, bodyDeadline: .milliseconds(Int64(configuration.bodySeconds * 1000))))
        router.middlewares.add(APIErrorMiddleware())
        router.middlewares.add(InputGuardMiddleware())
        let events = EventRoutes(store: index.store, index: index, configuration: configuration, metrics: metrics)
        let reads = ReadRoutes(store: index.store, index: index)
        let thresholds = ThresholdRoutes(index: index, notifier: notifier)
        let outbox = OutboxRoutes(store: index.store)
        let campaigns = CampaignRoutes(store: index.store)
        let recommendations = RecommendationRoutes(cache: RecommenderCache(store: index.store))
        let handlers: [String: Handler] = [
            "GET /healthz": { _, _ in APIJSON.response(#"{"status":"ok"}"#) },
            "GET /readyz": { _, _ in
                guard await index.isLoaded else { throw APIError.notReady }
                return APIJSON.response(#"{"customers":\#(await index.customerCount),"status":"ready"}"#)
            },
            "GET /openapi.json": { _, _ in OpenAPIDocument.response() },
            "POST /v1/events": events.ingest,
            "GET /v1/customers": reads.customers,
            "GET /v1/customers/:id": reads.customer,
            "GET /v1/customers/:id/recommendations": recommendations.recommendations,
            "GET /v1/segments": reads.segments,
            "GET /v1/stages": reads.stages,
            "GET /v1/kpis": reads.kpis,
            "GET /v1/cohorts": reads.cohorts,
            "GET /v1/models": reads.models,
            "POST /v1/jobs/refresh": reads.refresh,
            "GET /v1/thresholds": thresholds.get,
            "PUT /v1/thresholds": thresholds.put,
            "GET /v1/campaigns": campaigns.list,
            "PUT /v1/campaigns": campaigns.apply,
            "POST /v1/campaigns/:id/pause": campaigns.pause,
            "POST /v1/campaigns/:id/resume": campaigns.resume,
            "GET /v1/campaigns/report": campaigns.report,
            "GET /v1/decisions": campaigns.decisions,
            "GET /v1/outbox": outbox.list,
            "POST /v1/outbox/:id/retry": outbox.retry,
            "GET /metrics": { _, _ in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
            },
        ]
        let authenticator = Authenticator(store: index.store)
        let limiter = FailureLimiter()
        var groups: [Access: RouterGroup<PerennialRequestContext>] = [:]
        for access in Access.allCases {
            groups[access] = access == .open || !configuration.requireKeys
                ? router.group()
                : router.group().add(middleware: RoleMiddleware(authenticator: authenticator, allowed: access.roles, limiter: limiter))
        }
        for route in routes {
            guard let handler = handlers["\(route.method) \(route.path)"] else { preconditionFailure("no handler for \(route.method) \(route.path)") }
            groups[route.access]!.on(RouterPath(route.path), method: route.method, use: handler)
        }
        DashboardRoutes(index: index, authenticator: authenticator,
                        sessions: sessions ?? DashboardSessions(secret: APIKeys.randomToken(bytes: 32), store: index.store),
                        requireKeys: configuration.requireKeys, campaignReports: CampaignReportCache(store: index.store), limiter: limiter).register(on: router)
        return router
    }

    /// The application listening on the configured address, with the scheduled refresh running
    /// beside it.
    public static func make(index: ProfileIndex, configuration: ServerConfiguration = ServerConfiguration(),
                            logger: Logger = Logger(label: "perennial")) async -> some ApplicationProtocol {
        let metrics = ServerMetrics()
        let failures = BackgroundFailure(logger: logger, metrics: metrics)
        await index.observe(lag: { metrics.profileLag.record($0) }, refresh: { result in
            metrics.refreshDuration.record(result.seconds)
            metrics.customers.set(Double(result.customers))
        }, failure: { failures.report("live_updates", $0) })
        // Thresholds set through the API win over the configuration's.
        do {
            await index.setThresholds(try await ThresholdRoutes.saved(in: index.store) ?? configuration.thresholds)
        } catch {
            logger.error("the saved thresholds could not be read; using the configuration's", metadata: ["error": .string("\(error)")])
            await index.setThresholds(configuration.thresholds)
        }
        var sessions: DashboardSessions?
        do {
            sessions = try await DashboardSessions.load(from: index.store)
        } catch {
            logger.error("the session secret could not be read or stored; dashboard sessions end with this process",
                         metadata: ["error": .string("\(error)")])
        }
        var notifier: AlertNotifier?
        if !configuration.webhooks.isEmpty {
            let alerts = AlertNotifier(store: index.store, targets: configuration.webhooks, logger: logger)
            await index.afterRefresh { input in
                do { try await alerts.evaluate(input) } catch { failures.report("alerts", error) }
            }
            notifier = alerts
        }
        var app = Application(router: router(index: index, configuration: configuration, metrics: metrics, sessions: sessions, notifier: notifier),
                              server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleSeconds)))),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "perennial"),
                              logger: logger)
        if configuration.campaignSeconds > 0 {
            app.addServices(CampaignService(runner: CampaignRunner(store: index.store, logger: logger), interval: configuration.campaignSeconds, failures: failures))
        }
        if let target = configuration.messageWebhook {
            app.addServices(OutboxService(deliverer: OutboxDeliverer(store: index.store, target: target, logger: logger), failures: failures))
        }
        if configuration.refreshSeconds > 0 {
            app.addServices(RefreshService(index: index, interval: configuration.refreshSeconds, refit: configuration.refitOnRefresh, failures: failures))
        }
        return app
    }
}
