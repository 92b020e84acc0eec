import ArgumentParser
import Foundation
import Logging
import PerennialServer
import PerennialStorage

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the store over HTTP: events in, live customer profiles and store figures out.",
        discussion: """
            Loads every order from the database (created when missing), analyses it, and answers on \
            HOST:PORT until stopped (Ctrl-C or SIGTERM finish the requests in flight, then exit). Posted \
            events are committed durably before the answer, and each changed customer's profile is \
            recomputed within milliseconds; boundaries, stages and KPIs of the whole store refresh every \
            --refresh-every.

            Routes: POST /v1/events, GET /v1/customers, GET /v1/customers/{id}, GET /v1/segments, \
            GET /v1/stages, GET /v1/kpis, GET /v1/cohorts, GET /v1/models, POST /v1/jobs/refresh, \
            GET /metrics, GET /healthz, GET /readyz, GET /openapi.json. Errors are JSON: \
            {"error": {"code", "message", "field"}}. Every /v1 route and /metrics need an API key \
            (perennial keys create --role admin|analyst|ingest), sent as Authorization: Bearer <key>.

            Settings come from flags, then PERENNIAL_* environment variables, then a JSON config file \
            (--config FILE or PERENNIAL_CONFIG), e.g. {"port": 8080, "refresh_every": "10m"}; the README \
            lists every key.
              perennial serve --db perennial.db --port 8080
              curl -H "Authorization: Bearer $KEY" http://127.0.0.1:8080/v1/customers/12347
            """)

    @Option(name: .long, help: ArgumentHelp("The SQLite database file or a PostgreSQL URL postgres://user:password@host:port/database (PERENNIAL_DATABASE; default perennial.db).", valueName: "path|url"))
    var db: String?

    @Option(help: ArgumentHelp("A JSON config file (PERENNIAL_CONFIG).", valueName: "file"))
    var config: String?

    @Option(help: "The address to listen on; 127.0.0.1 keeps the server on this machine (PERENNIAL_HOST).")
    var host: String?

    @Option(help: "The port to listen on (PERENNIAL_PORT; default 8080).")
    var port: Int?

    @Option(help: ArgumentHelp("How often the whole store is re-analysed and the model refitted: 30s, 10m, 1h; 0 turns it off (PERENNIAL_REFRESH_EVERY; default 10m).", valueName: "span"))
    var refreshEvery: String?

    @Flag(help: "Scheduled refreshes re-analyse without refitting the model (PERENNIAL_REFIT=false).")
    var noRefit = false

    @Option(help: ArgumentHelp("The largest request body accepted (PERENNIAL_MAX_BODY_BYTES; default 5 MiB).", valueName: "bytes"))
    var maxBodyBytes: Int?

    @Option(help: ArgumentHelp("trace, debug, info (one line a request), notice, warning, error (PERENNIAL_LOG_LEVEL; default info).", valueName: "level"))
    var logLevel: String?

    /// Seconds in a span such as `30s`, `10m`, `1h` or `0`.
    static func seconds(_ text: String) -> Double? {
        if text == "0" { return 0 }
        // At most a week: a span past it is a typo, and huge values would not fit the server's timers.
        guard let unit = text.last, let value = Double(text.dropLast()), value >= 0, value.isFinite, value <= 604_800 else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        default: return nil
        }
    }

    func settings() throws -> ServeSettings {
        var flags: [String: String] = [:]
        flags["database"] = db
        flags["host"] = host
        flags["port"] = port.map(String.init)
        flags["refresh_every"] = refreshEvery
        flags["refit"] = noRefit ? "false" : nil
        flags["max_body_bytes"] = maxBodyBytes.map(String.init)
        flags["log_level"] = logLevel
        let environment = ProcessInfo.processInfo.environment
        return try ServeSettings.resolve(flags: flags, environment: environment, configPath: config ?? environment["PERENNIAL_CONFIG"])
    }

    func run() async throws {
        let settings = try settings()
        var logger = Logger(label: "perennial")
        logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
        let database = StoreLocation.display(settings.database)
        let store = try await StoreLocation.open(settings.database, durable: true)
        let index = ProfileIndex(store: store)
        let app = await PerennialApplication.make(index: index, configuration: settings.configuration, logger: logger)
        let result = try await index.refresh()
        Terminal.note("loaded \(result.customers) customer profiles from \(database); starting on http://\(settings.host):\(settings.port)/")
        Terminal.note("dashboard: http://\(settings.host):\(settings.port)/signin (sign in with an analyst or admin key)")
        if try await store.keys().allSatisfy({ $0.revokedAt != nil }) {
            Terminal.note("no API keys yet: /v1 routes answer 401 until you create one, e.g. perennial keys create --role admin --db \(database)")
        }
        do {
            try await app.runService()
        } catch {
            throw ValidationError("could not serve on \(settings.host):\(settings.port) (\(error)). If another server holds the port, stop it or pick another with --port.")
        }
    }
}
