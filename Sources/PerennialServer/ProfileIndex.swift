import Foundation
import Logging
import PerennialCore
import PerennialDashboard
import PerennialModels
import PerennialReports
import PerennialStorage

/// What the server reads and writes: orders, events and model fits.
public typealias ServerStore = PerennialStore

/// The store's customer profiles in memory, kept current two ways:
///
/// - ``refresh(refit:)`` reloads every order, refits the model when asked, and recomputes the whole
///   analysis (quintile boundaries, stages, KPIs, cohorts); the server runs it on a schedule and on
///   `POST /v1/jobs/refresh`.
/// - ``enqueue(_:)`` marks customers changed by ingested events; a background drain recomputes each
///   one's summary, RFM scores (against the boundaries of the last refresh), stage and predictions
///   (with the last fitted model) from their own orders, typically within milliseconds.
///
/// How the two take turns — refreshes serialise and coalesce, updates that arrive during a refresh
/// reach its snapshot, an older snapshot never replaces a newer one — is decided by
/// ``StateMachine``; this actor does the reads and the computing it asks for.
public actor ProfileIndex {
    /// Where the data comes from.
    let store: any ServerStore
    /// Analysis options; `asOf == nil` follows the latest order (the start of the next day).
    let options: AnalysisOptions
    let logger: Logger
    private var snapshot: Snapshot?
    private var machine = StateMachine()
    /// When each pending customer's first event was committed (for the lag metric).
    private var pendingSince: [String: ContinuousClock.Instant] = [:]
    /// Callers waiting for a queued refresh, by caller number.
    private var refreshWaiters: [Int: CheckedContinuation<RefreshTurn, Never>] = [:]
    private var nextCaller = 0
    private var details: [String: (events: [StoredEvent], tags: [String])] = [:]
    /// Each served customer's response body, until the customer changes or the store refreshes.
    private var encoded: [String: String] = [:]
    /// Bumped when a customer's cached reads are dropped (``epoch`` when all are): a read that began
    /// before, and so may have seen the old profile across a suspension, must not cache what it built.
    private var versions: [String: Int] = [:]
    private var epoch = 0
    /// Called with the seconds from an event's commit to its profile update (for metrics).
    private var lagObserver: (@Sendable (Double) -> Void)?
    /// Called with each refresh's result (for metrics).
    private var refreshObserver: (@Sendable (RefreshResult) -> Void)?
    /// Called with each failed live update (for metrics and the log).
    private var failureObserver: (@Sendable (any Error) -> Void)?
    /// The dashboard's KPI thresholds.
    public private(set) var thresholds: [KPIThreshold] = KPIThreshold.defaults
    /// The scoped threshold rules read at the last refresh or threshold change.
    private(set) var scopedReadings: [ScopedReading] = []
    /// Called after each refresh with the dashboard's input (alert evaluation).
    private var refreshSink: (@Sendable (DashboardInput) async -> Void)?

    /// An index over a store; empty until ``refresh(refit:)``.
    public init(store: any ServerStore, options: AnalysisOptions = AnalysisOptions(), logger: Logger = Logger(label: "perennial")) {
        self.store = store
        self.options = options
        self.logger = logger
    }

    /// Sets the dashboard's KPI thresholds (and reads the scoped ones on their customers).
    public func setThresholds(_ rules: [KPIThreshold]) async {
        thresholds = rules
        scopedReadings = await readScoped()
    }

    /// Reads the scoped rules on the current snapshot, off the actor.
    private func readScoped() async -> [ScopedReading] {
        guard let snapshot, thresholds.contains(where: \.isScoped) else { return [] }
        let rules = thresholds, options = options, calendar = snapshot.calendar
        return await Task.detached {
            var scopedOptions = options
            scopedOptions.calendar = calendar
            return ScopedReading.read(rules, table: snapshot.table, report: snapshot.report, channels: snapshot.channels, options: scopedOptions,
                                      model: snapshot.model?.model)
        }.value
    }

    /// Sets what runs after each refresh (the server evaluates alerts there).
    public func afterRefresh(_ sink: @escaping @Sendable (DashboardInput) async -> Void) { refreshSink = sink }

    /// Sets the observers of profile update lag, of refreshes and of failed live updates.
    public func observe(lag: @escaping @Sendable (Double) -> Void, refresh: @escaping @Sendable (RefreshResult) -> Void,
                        failure: @escaping @Sendable (any Error) -> Void = { _ in }) {
        lagObserver = lag
        refreshObserver = refresh
        failureObserver = failure
    }

    /// What a refresh did.
    public struct RefreshResult: Sendable, Encodable {
        public var customers: Int
        public var seconds: Double
        public var model: String?
        public var refitted: Bool
    }

    /// What a caller waiting for a refresh is told: the refresh's outcome, or that it drives the next one.
    enum RefreshTurn: Sendable {
        case finished(Result<RefreshResult, any Error>)
        case drive(refit: Bool)
    }

    /// Reloads every order, refits the model when `refit` is set (and the store has orders), and
    /// recomputes every profile. Asked for while a refresh runs, it waits for the next one, which
    /// serves every caller queued behind the running one (refitting if any asked to).
    @discardableResult
    public func refresh(refit: Bool = false) async throws -> RefreshResult {
        let caller = nextCaller
        nextCaller += 1
        var refit = refit
        if !machine.requestRefresh(refit: refit, caller: caller) {
            switch await withCheckedContinuation({ refreshWaiters[caller] = $0 }) {
            case let .finished(result): return try result.get()
            case let .drive(queuedRefit): refit = queuedRefit
            }
        }
        let result: Result<RefreshResult, any Error>
        do {
            result = .success(try await runRefresh(refit: refit))
        } catch {
            result = .failure(error)
        }
        let completion = machine.refreshEnded()
        for waiter in completion.answered where waiter != caller { refreshWaiters.removeValue(forKey: waiter)?.resume(returning: .finished(result)) }
        if let driver = completion.nextDriver { refreshWaiters.removeValue(forKey: driver)?.resume(returning: .drive(refit: completion.nextRefit)) }
        if completion.startDrain { startDrain() }
        if case let .success(value) = result {
            refreshObserver?(value)
            if let refreshSink, let input = dashboardInput() { await refreshSink(input) }
        }
        return try result.get()
    }

    /// One refresh: loads the table (under a ticket), refits when asked, computes the snapshot off the
    /// actor, and installs it if nothing newer is installed.
    private func runRefresh(refit: Bool) async throws -> RefreshResult {
        let started = ContinuousClock.now
        let ticket = machine.refreshLoading()
        // An empty store still gets a snapshot: events may arrive before any order.
        let loaded = try await store.loadTransactions()
        let storeCurrency = try await store.setting("currency")
        let table = loaded ?? TransactionTable(currency: Currency(storeCurrency ?? "USD"))
        var options = options
        if let zone = try await store.setting("timezone"), let calendar = StoreCalendar(identifier: zone) { options.calendar = calendar }
        var record = try await store.latestModelRecord()
        let calendar = options.calendar
        if refit, table.orderCount > 0 {
            let kind = record.flatMap { PurchaseModel(rawValue: $0.model.purchase.model) } ?? .bgnbd
            let unitDays = record?.model.unitDays ?? 7
            let fitted = await Task.detached { StoreRefit.fit(table, calendar: calendar, model: kind, unitDays: unitDays) }.value
            let now = Int64(Date().timeIntervalSince1970)
            do {
                try await store.saveModel(fitted.model, fittedAt: now, holdout: fitted.holdout)
                record = ModelRecord(model: fitted.model, fittedAt: now, holdout: fitted.holdout)
            } catch {
                // A fit that cannot be stored (a degenerate history gives non-finite figures) keeps the
                // previous model; the profiles still refresh.
                logger.error("the refitted model could not be stored; keeping the previous one", metadata: ["error": .string("\(error)")])
            }
        }
        let model = record
        let channels = try await store.acquisitionChannels()
        let fresh = await Task.detached { Snapshot(table: table, options: options, model: model, channels: channels) }.value
        if machine.install(ticket: ticket) {
            snapshot = fresh
            details = [:]
            encoded = [:]
            epoch &+= 1
            scopedReadings = await readScoped()
        }
        return RefreshResult(customers: fresh.report.profiles.count, seconds: seconds(since: started),
                             model: model?.model.purchase.model, refitted: refit && table.orderCount > 0)
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Whether the first refresh has loaded the profiles (the store may still be empty).
    public var isLoaded: Bool { snapshot != nil }

    /// How many customers the index holds.
    public var customerCount: Int { snapshot?.report.profiles.count ?? 0 }

    // MARK: Live updates

    /// Marks customers changed by committed events (`true` where their orders changed); their profiles
    /// update in the background.
    public func enqueue(_ customers: [String: Bool]) {
        guard !customers.isEmpty else { return }
        let now = ContinuousClock.now
        for id in customers.keys {
            if pendingSince[id] == nil { pendingSince[id] = now }
            invalidate(id)
        }
        if machine.enqueue(customers) { startDrain() }
    }

    private func startDrain() {
        Task { await self.drain() }
    }

    /// Applies pending updates until none is left: each round reads the orders of every customer that
    /// needs them in one call, then recomputes those the state machine lets through.
    private func drain() async {
        while let batch = machine.nextBatch() {
            // Customers whose orders did not change need nothing unless they are new.
            let read = batch.customers.filter { $0.value || snapshot?.positions[$0.key] == nil }.map(\.key)
            let facts: [String: [OrderFact]]
            do {
                facts = try await store.orderFacts(ofCustomers: read)
            } catch {
                machine.batchFailed(batch)
                for id in batch.customers.keys { pendingSince[id] = nil }
                if let failureObserver {
                    failureObserver(error)
                } else {
                    logger.error("live profile update failed; the next refresh recomputes these customers", metadata: ["error": .string("\(error)")])
                }
                continue
            }
            let apply = Set(machine.batchRead(batch))
            for id in read where apply.contains(id) {
                let orders = (facts[id] ?? []).map { ($0.placedAt, $0.kind, $0.amountMinor) }
                snapshot?.update(customer: id, orders: orders, followLatest: options.asOf == nil)
                // A read between the event's commit and this update may have cached the old profile.
                invalidate(id)
            }
            for id in batch.customers.keys where apply.contains(id) {
                if let start = pendingSince.removeValue(forKey: id), let lagObserver { lagObserver(seconds(since: start)) }
            }
        }
    }

    /// Waits until every enqueued update is applied (tests and benchmarks).
    public func settle() async {
        while machine.draining || !machine.pending.isEmpty && machine.installedTicket != nil {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    private func invalidate(_ id: String) {
        details[id] = nil
        encoded[id] = nil
        versions[id, default: 0] &+= 1
    }

    private func version(of id: String) -> (epoch: Int, customer: Int) { (epoch, versions[id] ?? 0) }

    // MARK: Reads

    /// One customer's profile with predictions, tags and latest events; `nil` when unknown.
    public func customer(_ id: String, recentEvents: Int = 10) async throws -> CustomerDetail? {
        guard let snapshot, let position = snapshot.positions[id] else { return nil }
        var detail = CustomerDetail(profile: snapshot.json(at: position))
        if let cached = details[id] {
            (detail.recentEvents, detail.tags) = cached
        } else {
            let version = version(of: id)
            let events = try await store.recentEvents(ofCustomer: id, limit: recentEvents)
            let tags = try await store.tags(ofCustomer: id)
            if details.count > 100_000 { details = [:] }
            if version == self.version(of: id) { details[id] = (events, tags) }
            (detail.recentEvents, detail.tags) = (events, tags)
        }
        return detail
    }

    /// The JSON body of `GET /v1/customers/{id}`, kept until the customer changes; `nil` when unknown.
    /// Throws `not_ready` before the first refresh.
    func customerJSON(_ id: String) async throws -> String? {
        if let body = encoded[id] { return body }
        guard snapshot != nil else { throw APIError.notReady }
        let version = version(of: id)
        guard let detail = try await customer(id) else { return nil }
        let body = try APIJSON.encode(APIJSON.Customer(detail: detail))
        if encoded.count > 100_000 { encoded = [:] }
        // The profile may have changed while the events were read: then serve this body once, uncached.
        if version == self.version(of: id) { encoded[id] = body }
        return body
    }

    /// The current snapshot's report and predictions, for list and aggregate reads.
    var current: Snapshot? { snapshot }
}

/// One customer as `GET /v1/customers/{id}` shows them.
public struct CustomerDetail: Sendable {
    /// The profile with scores, stage and predictions.
    public var profile: ReportJSON.Customer
    /// Tags set by campaigns.
    public var tags: [String] = []
    /// The latest events, newest first.
    public var recentEvents: [StoredEvent] = []
}

/// One consistent state of the index: the table, its analysis, predictions and boundaries.
struct Snapshot: Sendable {
    var table: TransactionTable
    var report: LifecycleReport
    var positions: [String: Int]
    /// Predictions by profile position.
    var predictions: [CustomerPrediction?]
    var boundaries: RFMBoundaries
    var calendar: StoreCalendar
    var model: ModelRecord?
    var refreshedAt: Int64
    /// The store at the end of each of the last 12 months, for the dashboard.
    var history: DashboardHistory
    /// Each customer's acquisition channel (as of the refresh).
    var channels: [String: String]

    init(table: TransactionTable, options: AnalysisOptions, model: ModelRecord?, channels: [String: String] = [:]) {
        var options = options
        let calendar = options.calendar
        let scored = model.map { StorePredictions(model: $0.model, table: table, calendar: calendar, end: calendar.date(of: table.orderTime.max() ?? 0)) }
        options.probabilityAlive = scored?.aliveForStages
        report = LifecycleAnalysis.run(table, options: options)
        var positions: [String: Int] = [:]
        positions.reserveCapacity(report.profiles.count)
        for (i, profile) in report.profiles.enumerated() { positions[profile.customerID] = i }
        var predictions = [CustomerPrediction?](repeating: nil, count: report.profiles.count)
        if let scored {
            for (customer, prediction) in scored.byCustomer.enumerated() {
                if let prediction, let position = positions[table.customerIDs[customer]] { predictions[position] = prediction }
            }
        }
        self.table = table
        self.positions = positions
        self.predictions = predictions
        self.boundaries = RFMBoundaries(profiles: report.profiles)
        self.calendar = calendar
        self.model = model
        self.refreshedAt = Int64(Date().timeIntervalSince1970)
        var historyOptions = options
        historyOptions.asOf = report.asOf
        history = DashboardHistory.compute(table: table, options: historyOptions, model: model?.model)
        self.channels = channels
    }

    /// A profile as JSON with its predictions.
    func json(at position: Int) -> ReportJSON.Customer {
        var object = ReportJSON.customer(report.profiles[position], report.currency)
        object.fill(predictions[position])
        return object
    }

    /// Recomputes one customer from their orders; a new customer is added. With `followLatest`, an
    /// order on a later day moves the as-of instant to the start of the day after it.
    mutating func update(customer id: String, orders: [LiveProfile.OrderRow], followLatest: Bool) {
        if followLatest, let latest = orders.map(\.placedAt).max() {
            let candidate = calendar.startOfDay(calendar.dayNumber(of: latest) + 1)
            if candidate > report.asOf { report.asOf = candidate }
        }
        var prediction: CustomerPrediction?
        var alive: Double?
        if let model {
            let single = LiveProfile.table(customerID: id, orders: orders, currency: report.currency)
            let scored = StorePredictions(model: model.model, table: single, calendar: calendar, end: calendar.date(of: report.asOf - 1))
            prediction = scored.byCustomer[0]
            alive = scored.aliveForStages?[0]
        }
        let profile = LiveProfile.profile(customerID: id, orders: orders, asOf: report.asOf, calendar: calendar, rules: report.stageRules,
                                          boundaries: boundaries, probabilityAlive: alive)
        if let position = positions[id] {
            report.profiles[position] = profile
            predictions[position] = prediction
        } else {
            positions[id] = report.profiles.count
            report.profiles.append(profile)
            predictions.append(prediction)
        }
    }
}
