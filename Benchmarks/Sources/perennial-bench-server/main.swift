// The server of `perennial serve` with one more route, `GET /hello` ("Hello, world!"), so wrk can
// measure the API beside Hummingbird's floor in the same process and run.
//
//   perennial-bench-server DATABASE PORT        (DATABASE: a SQLite file or a postgres:// URL)
//
// Keys and settings are as for `perennial serve` (the database must hold keys; the benchmark script
// creates them); refreshes are off so they do not disturb the timing. Logging is at warning: one line
// a request would measure the terminal.
import Foundation
import Hummingbird
import Logging
import PerennialServer
import PerennialStorage

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: perennial-bench-server DATABASE PORT\n".utf8))
    exit(2)
}
let store = try await StoreLocation.open(arguments[1], durable: true)
let index = ProfileIndex(store: store)
var configuration = ServerConfiguration()
configuration.port = port
configuration.refreshSeconds = 0
let router = PerennialApplication.router(index: index, configuration: configuration)
router.get("/hello") { _, _ in "Hello, world!" }
var logger = Logger(label: "perennial-bench-server")
logger.logLevel = .warning
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "perennial"), logger: logger)
let loaded = try await index.refresh()
FileHandle.standardError.write(Data("loaded \(loaded.customers) customers; serving on 127.0.0.1:\(port)\n".utf8))
try await app.runService()
