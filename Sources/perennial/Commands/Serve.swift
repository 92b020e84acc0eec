import ArgumentParser
import PerennialServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the store over HTTP: health, readiness, customer profiles and KPIs.",
        discussion: """
            Loads every order from the database, analyses it, and answers on HOST:PORT until stopped \
            (Ctrl-C). Routes: GET /healthz, GET /readyz, GET /v1/customers/{id}, GET /v1/kpis. Errors are \
            JSON: {"error": {"code", "message", "field"}}.
              perennial serve --db perennial.db --port 8080
              curl http://127.0.0.1:8080/v1/customers/12347
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on (127.0.0.1 keeps the server on this machine).")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port: Int = 8080

    func validate() throws {
        if !(1...65_535).contains(port) { throw ValidationError("--port must be between 1 and 65535 (got \(port)).") }
    }

    func run() async throws {
        let index = ProfileIndex(store: try database.open(create: false))
        let customers = try await index.refresh()
        Terminal.note("loaded \(customers) customer profiles from \(database.path); starting on http://\(host):\(port)/")
        do {
            try await PerennialApplication.make(index: index, host: host, port: port).runService()
        } catch {
            throw ValidationError("could not serve on \(host):\(port) (\(error)). If another server holds the port, stop it or pick another with --port.")
        }
    }
}
