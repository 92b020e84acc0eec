import PerennialCore
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// The databases a store test runs against: the SQLite file and a real PostgreSQL server (a
/// throwaway cluster, one database per test). PostgreSQL is skipped, with a note, only where it is
/// not installed and `PERENNIAL_REQUIRE_POSTGRES` is not set.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue == "sqlite" ? "SQLite" : "PostgreSQL" }

    /// A new empty store's location (a file in `directory`, or a new database's URL), or `nil` when
    /// PostgreSQL is not available here.
    func newLocation(in directory: TemporaryDirectory, name: String = "store.db") throws -> String? {
        switch self {
        case .sqlite: return directory.path(name)
        case .postgres:
            guard let cluster = try PostgresCluster.shared() else {
                print("skipped on PostgreSQL: it is not installed here (set PERENNIAL_REQUIRE_POSTGRES=1 to fail instead)")
                return nil
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
