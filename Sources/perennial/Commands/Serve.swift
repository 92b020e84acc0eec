import ArgumentParser
import PerennialServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the store over HTTP: events in, live customer profiles and store figures out.",
        discussion: """
            Loads every order from the database (created when missing), analyses it, and answers on \
            HOST:PORT until stopped (Ctrl-C finishes the requests in flight, then exits). Posted events are \
            committed durably before the answer, and each changed customer's profile is recomputed within \
            milliseconds; boundaries, stages and KPIs of the whole store refresh every --refresh-every.

            Routes: POST /v1/events, GET /v1/customers, GET /v1/customers/{id}, GET /v1/segments, \
            GET /v1/stages, GET /v1/kpis, GET /v1/cohorts, GET /v1/models, POST /v1/jobs/refresh, \
            GET /healthz, GET /readyz. Errors are JSON: {"error": {"code", "message", "field"}}. Every /v1 \
            route needs an API key (perennial keys create --role admin|analyst|ingest), sent as \
            Authorization: Bearer <key>.
              perennial serve --db perennial.db --port 8080
              curl -H "Authorization: Bearer $KEY" http://127.0.0.1:8080/v1/customers/12347
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on (127.0.0.1 keeps the server on this machine).")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port: Int = 8080

    @Option(help: ArgumentHelp("How often the whole store is re-analysed and the model refitted: a span such as 10m, 1h or 30s; 0 turns it off.", valueName: "span"))
    var refreshEvery: String = "10m"

    @Flag(help: "Scheduled refreshes re-analyse without refitting the model.")
    var noRefit = false

    @Option(help: ArgumentHelp("The largest request body accepted, in bytes.", valueName: "bytes"))
    var maxBodyBytes: Int = 5 * 1024 * 1024

    /// Seconds in a span such as `30s`, `10m`, `1h` or `0`.
    static func seconds(_ text: String) -> Double? {
        if text == "0" { return 0 }
        guard let unit = text.last, let value = Double(text.dropLast()), value >= 0 else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        default: return nil
        }
    }

    func validate() throws {
        if !(1...65_535).contains(port) { throw ValidationError("--port must be between 1 and 65535 (got \(port)).") }
        if Self.seconds(refreshEvery) == nil { throw ValidationError("--refresh-every '\(refreshEvery)' is not a span like 30s, 10m or 1h (0 turns it off).") }
        if maxBodyBytes < 1024 { throw ValidationError("--max-body-bytes must be at least 1024.") }
    }

    func run() async throws {
        let store = try database.open(create: true, durable: true)
        let index = ProfileIndex(store: store)
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.refreshSeconds = Self.seconds(refreshEvery)!
        configuration.refitOnRefresh = !noRefit
        configuration.maxBodyBytes = maxBodyBytes
        let app = await PerennialApplication.make(index: index, configuration: configuration)
        let result = try await index.refresh()
        Terminal.note("loaded \(result.customers) customer profiles from \(database.path); starting on http://\(host):\(port)/")
        if try await store.keys().allSatisfy({ $0.revokedAt != nil }) {
            Terminal.note("no API keys yet: /v1 routes answer 401 until you create one, e.g. perennial keys create --role admin --db \(database.path)")
        }
        do {
            try await app.runService()
        } catch {
            throw ValidationError("could not serve on \(host):\(port) (\(error)). If another server holds the port, stop it or pick another with --port.")
        }
    }
}
