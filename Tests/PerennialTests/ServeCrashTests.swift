import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// `perennial serve` killed with SIGKILL while events stream in and thresholds, campaigns and keys
/// are written through the API and by the CLI in another process: every write that was acknowledged
/// (a 2xx, or the CLI's exit 0) is in the store afterwards, and no request failed before the kill.
@Suite struct ServeCrashTests {
    /// Counts what was acknowledged, from several tasks.
    final class Ledger: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var thresholds: [Int] = []
        private(set) var campaigns: [String] = []
        private(set) var events: [String] = []
        private(set) var keys: [String] = []
        private(set) var failures: [String] = []
        private var stopped = false

        func add(threshold: Int) { lock.withLock { thresholds.append(threshold) } }
        func add(campaign: String) { lock.withLock { campaigns.append(campaign) } }
        func add(events ids: [String]) { lock.withLock { events += ids } }
        func add(key: String) { lock.withLock { keys.append(key) } }
        /// A request that failed while the server was up.
        func fail(_ what: String) { lock.withLock { if !stopped { failures.append(what) } } }
        func stop() { lock.withLock { stopped = true } }
        /// Lets the writers run again (after a restart).
        func restart() { lock.withLock { stopped = false } }
        var isStopped: Bool { lock.withLock { stopped } }
    }

    static func request(_ method: String, _ url: String, key: String, body: String) async -> Int? {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 10
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    static func startServer(_ binary: URL, location: String, port: Int, in directory: TemporaryDirectory) async throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--db", location, "--port", String(port), "--refresh-every", "0", "--log-level", "error"]
        process.currentDirectoryURL = directory.url
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PERENNIAL_") || $0.key == "PERENNIAL_REQUIRE_POSTGRES" }
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<400 {
            if await ServeProcessTests.status("http://127.0.0.1:\(port)/readyz") == 200 { return process }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw StorageError(message: "perennial serve did not become ready")
    }

    @Test("kill -9 during event, threshold, campaign and key writes from the API and a second process: nothing acknowledged is lost",
          arguments: StoreBackend.testable)
    func killDuringWrites(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let binary = try #require(CommandLineTests.binary)
        let location = try backend.newLocation(in: directory)
        let admin = try CommandLineTests.run(["keys", "create", "--role", "admin", "--db", location], in: directory.url)
        let key = try #require(admin.stdout.split(whereSeparator: \.isNewline).first.map(String.init))
        let ledger = Ledger()
        var serial = 0
        for round in 0..<3 {
            let port = freeLoopbackPort()
            let server = try await Self.startServer(binary, location: location, port: port, in: directory)
            let base = "http://127.0.0.1:\(port)"
            let writers = Task.detached {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        var n = 0
                        while !ledger.isStopped {
                            n += 1
                            let ids = (0..<50).map { "r\(round)-e\(n)-\($0)" }
                            let events = ids.enumerated().map { #"{"event_id": "\#($1)", "type": "page_view", "customer_id": "c\#($0)", "timestamp": "2024-06-01T12:00:00Z"}"# }
                            let status = await Self.request("POST", base + "/v1/events", key: key, body: "[" + events.joined(separator: ",") + "]")
                            if status == 200 { ledger.add(events: ids) } else { ledger.fail("events: \(status.map(String.init) ?? "no answer")") }
                        }
                    }
                    group.addTask {
                        var n = round * 100_000
                        while !ledger.isStopped {
                            n += 1
                            let body = #"{"thresholds": [{"kpi": "churn_rate", "direction": "above", "amber": \#(Double(n) / 1e7), "red": 0.9}]}"#
                            let status = await Self.request("PUT", base + "/v1/thresholds", key: key, body: body)
                            if status == 200 { ledger.add(threshold: n) } else { ledger.fail("thresholds: \(status.map(String.init) ?? "no answer")") }
                        }
                    }
                    group.addTask {
                        var n = 0
                        while !ledger.isStopped {
                            n += 1
                            let id = "api-\(round)-\(n)"
                            let body = #"{"id": "\#(id)", "trigger": {"type": "event", "event": "signup"}, "steps": [{"tag": "t"}]}"#
                            let status = await Self.request("PUT", base + "/v1/campaigns", key: key, body: body)
                            if status == 200 { ledger.add(campaign: id) } else { ledger.fail("campaigns: \(status.map(String.init) ?? "no answer")") }
                        }
                    }
                }
            }
            // A second process writes beside the server: keys and campaigns from the CLI.
            async let cli: Void = offPool { () throws -> Void in
                var n = 0
                while !ledger.isStopped {
                    n += 1
                    let label = "cli-\(round)-\(n)"
                    let created = try CommandLineTests.run(["keys", "create", "--role", "analyst", "--label", label, "--db", location], in: directory.url)
                    if created.status == 0 { ledger.add(key: label) } else { ledger.fail("keys create: \(created.stderr.prefix(200))") }
                    let file = try directory.write("\(label).json", #"{"id": "\#(label)", "trigger": {"type": "event", "event": "signup"}, "steps": [{"tag": "t"}]}"#)
                    let applied = try CommandLineTests.run(["campaigns", "apply", file, "--db", location], in: directory.url)
                    if applied.status == 0 { ledger.add(campaign: label) } else { ledger.fail("campaigns apply: \(applied.stderr.prefix(200))") }
                }
            }
            try await Task.sleep(for: .milliseconds(1_500 + 500 * round))
            // No new request starts from here; those in flight are cut by the kill (their failure is expected).
            ledger.stop()
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            await writers.value
            try await cli
            serial += 1
            // Back up for the next round (reset the stop flag).
            if round < 2 { ledger.restart() }
        }
        #expect(serial == 3)
        #expect(ledger.failures.isEmpty, "\(ledger.failures.count) requests failed while the server was up: \(ledger.failures.prefix(3))")
        #expect(ledger.events.count > 0 && ledger.thresholds.count > 0 && ledger.campaigns.count > 0 && ledger.keys.count > 0)

        let store = try await openTestStore(location)
        let events = Set(try await store.rows("SELECT event_id FROM events").map { try $0.decode("event_id", as: String.self) })
        #expect(Set(ledger.events).subtracting(events).isEmpty, "acknowledged events missing")
        let campaigns = Set(try await store.storedCampaigns().map(\.id))
        let lostCampaigns = Set(ledger.campaigns).subtracting(campaigns)
        #expect(lostCampaigns.isEmpty, "\(lostCampaigns.count) of \(ledger.campaigns.count) acknowledged campaigns missing")
        let labels = Set(try await store.keys().compactMap(\.label))
        #expect(Set(ledger.keys).subtracting(labels).isEmpty, "acknowledged keys missing")
        // The stored rules are those of the last acknowledged PUT, or of a later one the kill cut short.
        let rules = try #require(try await store.savedThresholds())
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(rules.utf8)) as? [[String: Any]]).first?["amber"] as? Double
        let last = Double(try #require(ledger.thresholds.max())) / 1e7
        #expect((stored ?? 0) >= last - 1e-12, "stored amber \(stored ?? -1), last acknowledged \(last)")
    }
}
