import Foundation
import Hummingbird
import PerennialReports

/// The HTTP application of `perennial serve`: events in, profiles and store figures out, over a
/// ``ProfileIndex``.
public enum PerennialApplication {
    /// The router with every route and the error middleware.
    public static func router(index: ProfileIndex, configuration: ServerConfiguration = ServerConfiguration()) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(APIErrorMiddleware())
        let events = EventRoutes(store: index.store, index: index, configuration: configuration)
        let reads = ReadRoutes(store: index.store, index: index)
        router.get("/healthz") { _, _ in APIJSON.response(#"{"status":"ok"}"#) }
        router.get("/readyz") { _, _ in
            guard await index.isLoaded else {
                throw APIError(.serviceUnavailable, code: "not_ready", message: "the profiles are still loading, or the database has no orders or events yet")
            }
            return APIJSON.response(#"{"customers":\#(await index.customerCount),"status":"ready"}"#)
        }
        router.post("/v1/events", use: events.ingest)
        router.get("/v1/customers", use: reads.customers)
        router.get("/v1/customers/:id", use: reads.customer)
        router.get("/v1/segments", use: reads.segments)
        router.get("/v1/stages", use: reads.stages)
        router.get("/v1/kpis", use: reads.kpis)
        router.get("/v1/cohorts", use: reads.cohorts)
        router.get("/v1/models", use: reads.models)
        router.post("/v1/jobs/refresh", use: reads.refresh)
        return router
    }

    /// The application listening on the configured address, with the scheduled refresh running
    /// beside it.
    public static func make(index: ProfileIndex, configuration: ServerConfiguration = ServerConfiguration()) -> some ApplicationProtocol {
        var app = Application(router: router(index: index, configuration: configuration),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "perennial"))
        if configuration.refreshSeconds > 0 {
            app.addServices(RefreshService(index: index, interval: configuration.refreshSeconds, refit: configuration.refitOnRefresh))
        }
        return app
    }

    /// The application on `host:port` with default settings.
    public static func make(index: ProfileIndex, host: String = "127.0.0.1", port: Int = 8080) -> some ApplicationProtocol {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        return make(index: index, configuration: configuration)
    }
}
