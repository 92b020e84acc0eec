import Foundation
import Logging
import PerennialCampaigns
import PerennialCore
import PerennialServer
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// Campaigns, the campaign cursor, thresholds, alert states and the session secret in tables of their
/// own: moved from the settings of an older store, and never lost to a concurrent writer.
@Suite struct StateTableTests {
    /// A store at schema version 7, as the previous release left it.
    static func version7Store(_ backend: StoreBackend, _ location: String) async throws -> any PerennialStore {
        switch backend {
        case .sqlite: return try SQLiteOrderStore(path: location, durable: false, migratingThrough: 7)
        case .postgres:
            return try await PostgresOrderStore.connect(url: location, timeout: .seconds(30), migratingThrough: 7,
                                                        logger: Logger(label: "test"))
        }
    }

    static func campaign(_ id: String, active: Bool? = nil) -> String {
        var fields = #""id": "\#(id)", "name": "\#(id)", "trigger": {"type": "event", "event": "signup"}, "steps": [{"tag": "t-\#(id)"}]"#
        if let active { fields += #", "active": \#(active)"# }
        return "{\(fields)}"
    }

    @Test("migration 8 moves campaigns (order and pause kept), cursor, thresholds, alert states and the secret out of settings",
          arguments: StoreBackend.testable)
    func migratesSettings(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let old = try await Self.version7Store(backend, location)
        try await old.setSetting("campaigns", "[\(Self.campaign("zeta")), \(Self.campaign("alpha", active: false))]")
        try await old.setSetting("campaign_cursor", "1700000000")
        try await old.setSetting("dashboard_thresholds", #"[{"kpi":"churn_rate","direction":"above","amber":0.05,"red":0.08}]"#)
        try await old.setSetting("alert_states", #"{"churn_rate":"red","repeat_rate":"green"}"#)
        try await old.setSetting("session_secret", "s3cret")
        try await old.setSetting("currency", "GBP")
        (old as? PostgresOrderStore)?.close()

        let store = try await openTestStore(location)
        #expect(try await store.schemaVersion() == 8)
        let campaigns = try await CampaignRegistry.campaigns(in: store)
        #expect(campaigns.map(\.id) == ["zeta", "alpha"])
        #expect(campaigns.map(\.active) == [true, false])
        #expect(try await store.campaignCursor() == 1_700_000_000)
        #expect(try await store.savedThresholds()?.contains("churn_rate") == true)
        #expect(try await store.alertStates() == ["churn_rate": "red", "repeat_rate": "green"])
        #expect(try await store.sessionSecret(proposing: "other", at: 0) == "s3cret")
        // The moved keys are gone from settings; the store's own settings stay.
        for key in ["campaigns", "campaign_cursor", "dashboard_thresholds", "alert_states", "session_secret"] {
            #expect(try await store.setting(key) == nil)
        }
        #expect(try await store.setting("currency") == "GBP")
    }

    @Test("two writers applying, pausing and resuming campaigns at once lose nothing (20 rounds)", arguments: StoreBackend.testable)
    func concurrentCampaigns(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let store = try await openTestStore(location)
        // A second handle on the same database: another server node, or the CLI.
        let other = try await openTestStore(location)
        _ = try await CampaignRegistry.apply([.init(data: Data(Self.campaign("base").utf8))], to: store)
        for round in 0..<20 {
            async let a = CampaignRegistry.apply([.init(data: Data(Self.campaign("a\(round)").utf8))], to: store)
            async let b = CampaignRegistry.apply([.init(data: Data(Self.campaign("b\(round)").utf8))], to: other)
            async let pause = CampaignRegistry.setActive("base", round % 2 == 0, in: other)
            #expect(try await a == ["a\(round)"])
            #expect(try await b == ["b\(round)"])
            #expect(try await pause)
        }
        let stored = try await CampaignRegistry.campaigns(in: store)
        #expect(stored.count == 41)
        #expect(Set(stored.map(\.id)) == Set(["base"] + (0..<20).flatMap { ["a\($0)", "b\($0)"] }))
        // The last round (19) set base to active = false.
        #expect(stored.first { $0.id == "base" }?.active == false)
        #expect(stored.first?.id == "base")
    }

    @Test("the cursor only moves forward; alert states are replaced as a set; a session lives until it ends or expires",
          arguments: StoreBackend.testable)
    func cursorStatesSessions(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let store = try await openTestStore(location)
        #expect(try await store.campaignCursor() == nil)
        try await store.advanceCampaignCursor(to: 200)
        try await store.advanceCampaignCursor(to: 100)
        #expect(try await store.campaignCursor() == 200)
        try await store.saveAlertStates(["a": "red", "b": "amber"], at: 1)
        try await store.saveAlertStates(["b": "green", "c": "red"], at: 2)
        #expect(try await store.alertStates() == ["b": "green", "c": "red"])
        try await store.saveAlertStates([:], at: 3)
        #expect(try await store.alertStates().isEmpty)
        #expect(try await store.savedThresholds() == nil)
        try await store.saveThresholds("[]", at: 4)
        #expect(try await store.savedThresholds() == "[]")
        #expect(try await store.sessionSecret(proposing: "first", at: 5) == "first")
        #expect(try await store.sessionSecret(proposing: "second", at: 6) == "first")
        try await store.saveSession(tokenHash: "h1", keyID: "k1", createdAt: 10, expiresAt: 100)
        try await store.saveSession(tokenHash: "h2", keyID: "k2", createdAt: 10, expiresAt: 50)
        #expect(try await store.sessionKey(tokenHash: "h1", now: 20) == "k1")
        #expect(try await store.sessionKey(tokenHash: "h1", now: 100) == nil)
        #expect(try await store.sessionKey(tokenHash: "nope", now: 20) == nil)
        try await store.endSession(tokenHash: "h1", now: 60)
        #expect(try await store.sessionKey(tokenHash: "h1", now: 20) == nil)
        // Ending one session also clears those that expired: h2 expired at 50.
        #expect(try await store.rows("SELECT COUNT(*) AS n FROM dashboard_sessions").first?.decode("n", as: Int.self) == 0)
    }

    @Test("campaigns applied by the CLI in another process beside this process's applies are all kept", arguments: StoreBackend.testable)
    func cliBesideAPI(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let store = try await openTestStore(location)
        var files: [String] = []
        for i in 0..<5 { files.append(try directory.write("cli-\(i).json", Self.campaign("cli\(i)"))) }
        let inputs = files
        async let cli = offPool { () -> [CommandLineTests.Run] in
            try inputs.map { try CommandLineTests.run(["campaigns", "apply", $0, "--db", location], in: directory.url) }
        }
        for i in 0..<20 {
            _ = try await CampaignRegistry.apply([.init(data: Data(Self.campaign("api\(i)").utf8))], to: store)
        }
        for run in try await cli { #expect(run.status == 0, "\(run.stderr)") }
        let ids = Set(try await CampaignRegistry.campaigns(in: store).map(\.id))
        #expect(ids == Set((0..<5).map { "cli\($0)" } + (0..<20).map { "api\($0)" }))
    }

    @Test("the CLI and the API refuse the same documents: an id defined twice across files")
    func sameChecks() throws {
        let one = CampaignRegistry.Document(name: "a.json", data: Data(Self.campaign("dup").utf8))
        let two = CampaignRegistry.Document(name: "b.json", data: Data(Self.campaign("dup").utf8))
        #expect(throws: CampaignDefinitionError.self) { try CampaignRegistry.check([one, two]) }
        let list = CampaignRegistry.Document(data: Data("[\(Self.campaign("dup")), \(Self.campaign("dup"))]".utf8))
        #expect(throws: CampaignDefinitionError.self) { try CampaignRegistry.check([list]) }
        #expect(try CampaignRegistry.check([one]).map(\.campaign.id) == ["dup"])
    }
}
