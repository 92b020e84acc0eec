import PerennialCore
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// The databases a store test runs against: the SQLite file and a real PostgreSQL server (a
/// throwaway cluster, one database per test). Where PostgreSQL is not installed, its test cases are
/// skipped through Swift Testing (cancelled, with the reason), unless `PERENNIAL_REQUIRE_POSTGRES` is
/// set, which makes them fail instead.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue == "sqlite" ? "SQLite" : "PostgreSQL" }

    /// The backends store tests run on here: SQLite always, PostgreSQL where it is installed (or
    /// required, so that its absence fails). When it is left out, ``PostgresAvailabilityTests`` is
    /// reported as skipped with the reason.
    static var testable: [StoreBackend] { PostgresCluster.isInstalled || PostgresCluster.required ? allCases : [.sqlite] }

    /// A new empty store's location (a file in `directory`, or a new database's URL); skips the test
    /// case when PostgreSQL is not available here.
    func newLocation(in directory: TemporaryDirectory, name: String = "store.db") throws -> String {
        switch self {
        case .sqlite: return directory.path(name)
        case .postgres:
            guard let cluster = try PostgresCluster.shared() else {
                try Test.cancel("PostgreSQL is not installed here (Debian's postgresql package); set PERENNIAL_REQUIRE_POSTGRES=1 to fail instead")
            }
            return try cluster.createDatabase()
        }
    }
}

/// A store as the tests use it: every protocol, plus the integrity checks.
typealias TestStore = PerennialStore & StoreIntegrity & SQLDatabase

/// Opens a store location for a test.
func openTestStore(_ location: String, durable: Bool = false) async throws -> any TestStore {
    guard let store = try await StoreLocation.open(location, durable: durable) as? any TestStore else {
        throw StorageError(message: "the store at \(location) has no integrity checks")
    }
    return store
}

/// Sets the live runner's cursor to any instant, back as well as forward (the store only moves it forward):
/// tests replay a window again.
func setCampaignCursor(_ store: any PerennialStore, _ instant: Int64) async throws {
    let database = try #require(store as? any SQLDatabase)
    try await database.write("INSERT INTO campaign_cursor (id, through) VALUES (1, \(instant)) ON CONFLICT (id) DO UPDATE SET through = excluded.through")
}

/// Reports, as a skipped test with its reason, that the store tests ran on SQLite only because
/// PostgreSQL is not installed here; where it is, checks that the throwaway cluster answers.
@Suite struct PostgresAvailabilityTests {
    @Test("PostgreSQL is installed, so every store test also runs on a throwaway PostgreSQL cluster",
          .enabled(if: PostgresCluster.isInstalled || PostgresCluster.required,
                   "PostgreSQL is not installed here (Debian's postgresql package): the store tests ran on SQLite only"))
    func installed() async throws {
        let directory = try TemporaryDirectory()
        let store = try await openTestStore(try StoreBackend.postgres.newLocation(in: directory))
        #expect(try await store.schemaVersion() == Migration.newest)
    }
}
