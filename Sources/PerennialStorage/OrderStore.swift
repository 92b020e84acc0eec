import PerennialCore
import PerennialModels

/// Where a store's orders, customers and products live. Analytics never see the database: they read
/// the ``TransactionTable`` a store loads, so another database (PostgreSQL) only needs this protocol.
public protocol OrderStore: Sendable {
    /// Starts writing lines from one import; lines are idempotent by order id and line number.
    func beginImport(source: String, format: String) async throws -> any OrderImportSession
    /// Loads every order (amounts summed from lines) and every known customer.
    func loadTransactions() async throws -> TransactionTable?
    /// One customer's orders with their lines, oldest first; empty when the customer is unknown.
    func orders(ofCustomer id: String) async throws -> [Order]
    /// Each customer's acquisition channel: the channel of their first purchase order, where it has one.
    func acquisitionChannels() async throws -> [String: String]
    /// Whether a customer id is known.
    func customerExists(_ id: String) async throws -> Bool
    /// Counts of what is stored.
    func statistics() async throws -> StoreStatistics
    /// A store setting (`currency`, `timezone`), when set.
    func setting(_ key: String) async throws -> String?
    /// Sets a store setting.
    func setSetting(_ key: String, _ value: String) async throws
    /// Keeps a fitted model with the instant it was fitted at and, when one was run, its holdout report.
    func saveModel(_ model: FittedModel, fittedAt: Int64, holdout: HoldoutReport?) async throws
    /// The most recently fitted model with its fit instant and holdout report, when there is one.
    func latestModelRecord() async throws -> ModelRecord?
}

/// A saved model fit.
public struct ModelRecord: Sendable {
    public var model: FittedModel
    /// When it was fitted, seconds since 1970 UTC.
    public var fittedAt: Int64
    /// The holdout report run with it, when there was one.
    public var holdout: HoldoutReport?

    /// Creates a record.
    public init(model: FittedModel, fittedAt: Int64, holdout: HoldoutReport?) {
        self.model = model
        self.fittedAt = fittedAt
        self.holdout = holdout
    }
}

extension OrderStore {
    /// Keeps a fitted model without a holdout report.
    public func saveModel(_ model: FittedModel, fittedAt: Int64) async throws {
        try await saveModel(model, fittedAt: fittedAt, holdout: nil)
    }

    /// The most recently fitted model, when there is one.
    public func latestModel() async throws -> (model: FittedModel, fittedAt: Int64)? {
        try await latestModelRecord().map { ($0.model, $0.fittedAt) }
    }
}

/// Writes the lines of one import.
public protocol OrderImportSession: AnyObject {
    /// Writes a batch of lines; lines already stored are left unchanged.
    func write(_ lines: [OrderLineRecord]) async throws
    /// Commits and returns what was written.
    func finish() async throws -> ImportCounts
}

/// What one import stored.
public struct ImportCounts: Sendable, Hashable, Codable {
    /// Orders not stored before.
    public var ordersInserted = 0
    /// Lines not stored before.
    public var linesInserted = 0
    /// Lines already stored (a re-import), left as they were.
    public var linesUnchanged = 0
    /// Customers not known before.
    public var customersInserted = 0
    /// Products not known before.
    public var productsInserted = 0

    /// Zero counts.
    public init() {}
}

/// Counts of what a store holds.
public struct StoreStatistics: Sendable, Hashable, Codable {
    /// Known customers.
    public var customers = 0
    /// Orders of every kind.
    public var orders = 0
    /// Order lines.
    public var lines = 0
    /// Products (skus).
    public var products = 0
    /// Imports run.
    public var imports = 0

    /// Zero counts.
    public init() {}
}
