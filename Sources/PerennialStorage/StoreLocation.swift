/// Every store the server and the CLI use: orders, events, API keys, the outbox, campaigns and their decisions, and the
/// dashboard's state in one database.
public typealias PerennialStore = OrderStore & EventStore & HistoryStore & APIKeyStore & OutboxStore & DecisionStore & RecommendationStore
    & CampaignStore & DashboardStateStore

/// Opens the store a `--db` value names: a `postgres://` URL connects to PostgreSQL, anything else is
/// the path of a SQLite file.
public enum StoreLocation {
    /// Whether the value names a PostgreSQL server.
    public static func isPostgres(_ location: String) -> Bool { PostgresLocation.isURL(location) }

    /// The value as it may be printed: a URL's password is replaced by `***`.
    public static func display(_ location: String) -> String {
        isPostgres(location) ? PostgresLocation.redact(location) : location
    }

    /// Opens (creating and migrating when needed) the store at `location`; `durable` makes SQLite commit
    /// with a full sync (PostgreSQL's commits are durable as the server is configured).
    public static func open(_ location: String, durable: Bool = false) async throws -> any PerennialStore {
        if isPostgres(location) { return try await PostgresOrderStore.connect(url: location) }
        return try SQLiteOrderStore(path: location, durable: durable)
    }
}

/// Checks tests run on every store.
protocol StoreIntegrity {
    /// The number of orders whose stored total differs from the sum of their lines (0 in a healthy store).
    func ordersWithWrongTotals() async throws -> Int
    /// The number of stored events.
    func eventCount() async throws -> Int
    /// The schema version the database is at.
    func schemaVersion() async throws -> Int
}

extension SQLiteOrderStore: StoreIntegrity, CampaignStore, DashboardStateStore, APIKeyStore, OutboxStore {}
extension PostgresOrderStore: StoreIntegrity, CampaignStore, DashboardStateStore, APIKeyStore, OutboxStore {}
