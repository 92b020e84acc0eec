import Foundation
import PerennialCampaigns
import PerennialCore
import PerennialDashboard
import PerennialReports
import PerennialStorage

/// What the stored campaigns did over a period: reach, treated against held out over each campaign's
/// attribution window, the coupons each issued (redeemed, expired, open) and the return on them.
///
/// The period is replayed through the stored campaigns with the engine that ran them — the decisions
/// are deterministic, so this is what was sent. `perennial campaigns report`, `GET /v1/campaigns/report`
/// and the dashboard's campaigns page all show this.
public struct CampaignReport: Encodable, Sendable {
    /// The first instant and the instant after the last (RFC 3339).
    public var from: String
    public var to: String
    public var currency: String
    public var campaigns: [Row]
    /// The period in seconds (not encoded: `from` and `to` carry it).
    public var start: Int64
    public var end: Int64

    enum CodingKeys: String, CodingKey { case from, to, currency, campaigns }

    /// One campaign's figures.
    public struct Row: Encodable, Sendable {
        public var id: String
        public var name: String
        public var active: Bool
        public var priority: Int
        public var holdout: Double
        /// Distinct customers who entered, of them held out, and those sent at least one action.
        public var customers, held_out, reached, messages: Int
        /// Distinct customers with an action suppressed, by reason.
        public var suppressed: [String: Int]
        public var coupons: CouponLedger
        public var measurement: Measurement?
        /// Each action step, treated against held out from when each customer came to it.
        public var steps: [Step]
        /// (incremental revenue − coupon cost) / coupon cost, when coupons cost anything.
        public var roi: Double?
    }

    /// One action step's measurement.
    public struct Step: Encodable, Sendable {
        public var step: Int
        public var action: String
        public var measurement: Measurement
    }

    /// Treated against held out over the attribution window.
    public struct Measurement: Encodable, Sendable {
        public var treated, control, treated_conversions, control_conversions: Int
        public var conversion: Test?
        public var revenue_per_customer: Test?
        public var incremental_revenue: Double?
        public var sample_ratio_p_value: Double
        public var too_small: Bool
        public var sample_ratio_mismatch: Bool
        public var warnings: [String]

        /// A difference with its 95% interval and p-value.
        public struct Test: Encodable, Sendable {
            public var treated, control, difference, ci_low, ci_high, p_value: Double

            init(_ c: Uplift.Comparison) {
                treated = c.treated
                control = c.control
                difference = c.difference
                ci_low = c.lower
                ci_high = c.upper
                p_value = c.pValue
            }
        }

        public init(_ m: CampaignMeasurement) {
            treated = m.treated
            control = m.control
            treated_conversions = m.treatedConversions
            control_conversions = m.controlConversions
            conversion = m.conversion.map(Test.init)
            revenue_per_customer = m.revenuePerCustomer.map(Test.init)
            incremental_revenue = m.incrementalRevenue
            sample_ratio_p_value = m.sampleRatioPValue
            too_small = m.isTooSmall
            sample_ratio_mismatch = m.hasSampleRatioMismatch
            warnings = m.warnings
        }
    }

    /// Replays `from`..<`to` (default: the 90 days before tomorrow in the store's zone) through the
    /// stored campaigns; `nil` when the store has no customers yet.
    public static func build(_ store: any PerennialStore, from: Int64? = nil, to: Int64? = nil,
                             now: Int64 = Int64(Date().timeIntervalSince1970)) async throws -> CampaignReport? {
        let campaigns = try await CampaignRegistry.campaigns(in: store)
        guard let table = try await store.loadTransactions() else { return nil }
        let zone = try await store.setting("timezone") ?? "UTC"
        let calendar = StoreCalendar(identifier: zone) ?? .utc
        let end = to ?? calendar.startOfDay(calendar.dayNumber(of: now) + 1)
        let start = from ?? end - 90 * 86_400
        guard !campaigns.isEmpty, start < end else {
            return CampaignReport(from: Formatting.iso(start), to: Formatting.iso(end), currency: table.currency.code, campaigns: [], start: start, end: end)
        }
        let histories = try await CampaignHistoryLoader.load(store, table: table)
        let byID = Dictionary(uniqueKeysWithValues: histories.map { ($0.id, $0) })
        let replay = Simulator(campaigns: campaigns, policy: ContactPolicy(defaultTimeZone: zone))
            .replay(histories: histories, channels: try await store.acquisitionChannels(), options: AnalysisOptions(calendar: calendar),
                    model: try await store.latestModelRecord()?.model, from: start, to: end, currency: table.currency)
        let definitions = Dictionary(uniqueKeysWithValues: campaigns.map { ($0.id, $0) })
        let rows = replay.campaigns.compactMap { result -> Row? in
            guard let campaign = definitions[result.id] else { return nil }
            let ledger = CouponLedger.compute(replay.sent.filter { $0.campaignID == result.id }, histories: byID, now: now,
                                              currencyMinorPerMajor: table.currency.minorPerMajor) { CampaignRunner.couponCode($0) ?? "" }
            let incremental = result.measurement?.incrementalRevenue
            return Row(id: result.id, name: campaign.name, active: campaign.active, priority: campaign.priority, holdout: campaign.holdout,
                       customers: result.customers, held_out: result.heldOut, reached: result.reached, messages: result.messages,
                       suppressed: result.suppressed, coupons: ledger, measurement: result.measurement.map(Measurement.init),
                       steps: result.steps.map { Step(step: $0.step, action: $0.action, measurement: Measurement($0.measurement)) },
                       roi: ledger.cost > 0 ? incremental.map { ($0 - ledger.cost) / ledger.cost } : nil)
        }
        // Paused campaigns are not replayed; list them with no figures.
        let paused = campaigns.filter { !$0.active }.map {
            Row(id: $0.id, name: $0.name, active: false, priority: $0.priority, holdout: $0.holdout, customers: 0, held_out: 0, reached: 0,
                messages: 0, suppressed: [:], coupons: CouponLedger(), measurement: nil, steps: [], roi: nil)
        }
        return CampaignReport(from: Formatting.iso(start), to: Formatting.iso(end), currency: table.currency.code, campaigns: rows + paused,
                              start: start, end: end)
    }
}

extension CampaignReport {
    /// What the dashboard's campaigns page shows of the report, with the outbox's counts by status.
    public func panel(outbox: [OutboxStatus: Int] = [:]) -> CampaignPanel {
        func comparison(_ test: Measurement.Test?) -> CampaignPanel.Comparison? {
            test.map { CampaignPanel.Comparison(treated: $0.treated, control: $0.control, difference: $0.difference, low: $0.ci_low, high: $0.ci_high, pValue: $0.p_value) }
        }
        let rows = campaigns.map { row in
            var panel = CampaignPanel.Row(id: row.id, name: row.name, active: row.active, holdout: row.holdout)
            panel.entered = row.customers
            panel.heldOut = row.held_out
            panel.reached = row.reached
            panel.messages = row.messages
            panel.suppressed = row.suppressed
            if let m = row.measurement {
                panel.treated = m.treated
                panel.control = m.control
                panel.conversion = comparison(m.conversion)
                panel.revenuePerCustomer = comparison(m.revenue_per_customer)
                panel.incrementalRevenue = m.incremental_revenue
                panel.tooSmall = m.too_small
                panel.sampleRatioMismatch = m.sample_ratio_mismatch
            }
            panel.steps = row.steps.map {
                CampaignPanel.StepRow(step: $0.step, action: $0.action, treated: $0.measurement.treated, control: $0.measurement.control,
                                      conversion: comparison($0.measurement.conversion))
            }
            panel.couponsIssued = row.coupons.issued
            panel.couponsRedeemed = row.coupons.redeemed
            panel.couponCost = row.coupons.cost
            panel.roi = row.roi
            return panel
        }
        return CampaignPanel(from: start, to: end, rows: rows, outbox: Dictionary(uniqueKeysWithValues: outbox.map { ($0.key.rawValue, $0.value) }))
    }
}
