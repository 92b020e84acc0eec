import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PerennialTestSupport
import Testing

/// `perennial serve` as a process: settings from flags, environment and config file, and a graceful
/// stop on SIGTERM.
@Suite struct ServeProcessTests {
    /// GET a URL; `nil` when nothing answers.
    static func status(_ url: String) async -> Int? {
        guard let (_, response) = try? await URLSession.shared.data(from: URL(string: url)!) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    @Test("a flag beats the environment, which beats the config file; SIGTERM stops the server cleanly")
    func settingsAndShutdown() async throws {
        let directory = try TemporaryDirectory()
        let binary = try #require(CommandLineTests.binary)
        let (filePort, environmentPort, flagPort) = (freeLoopbackPort(), freeLoopbackPort(), freeLoopbackPort())
        try #"{"port": \#(filePort), "refresh_every": "0", "log_level": "warning", "database": "from-file.db"}"#
            .write(toFile: directory.path("perennial.json"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--config", "perennial.json", "--port", String(flagPort)]
        process.currentDirectoryURL = directory.url
        var environment = ProcessInfo.processInfo.environment
        environment["PERENNIAL_PORT"] = String(environmentPort)
        environment.removeValue(forKey: "PERENNIAL_DATABASE")
        process.environment = environment
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var ready: Int?
        for _ in 0..<200 where ready == nil {
            ready = await Self.status("http://127.0.0.1:\(flagPort)/readyz")
            if ready == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ready == 200)
        #expect(await Self.status("http://127.0.0.1:\(environmentPort)/healthz") == nil)
        #expect(FileManager.default.fileExists(atPath: directory.path("from-file.db")))
        #expect(await Self.status("http://127.0.0.1:\(flagPort)/v1/stages") == 401)
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
    }

    @Test("a config file with an unknown key or a bad value is refused with the key named")
    func badConfig() throws {
        let directory = try TemporaryDirectory()
        try #"{"prot": 8080}"#.write(toFile: directory.path("typo.json"), atomically: true, encoding: .utf8)
        let typo = try CommandLineTests.run(["serve", "--config", "typo.json"], in: directory.url)
        #expect(typo.status != 0 && typo.stderr.contains("prot"))
        try #"{"refresh_every": "soon"}"#.write(toFile: directory.path("bad.json"), atomically: true, encoding: .utf8)
        let bad = try CommandLineTests.run(["serve", "--config", "bad.json"], in: directory.url)
        #expect(bad.status != 0 && bad.stderr.contains("refresh_every"))
    }
}
