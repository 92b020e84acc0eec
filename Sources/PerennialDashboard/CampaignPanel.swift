import PerennialCore

/// What the campaigns page shows: each stored campaign's figures over a period (replayed with the
/// engine that ran them) and the outbox by status. The server builds it from its campaign report.
public struct CampaignPanel: Sendable {
    /// A treated-minus-control difference with its 95% interval and p-value.
    public struct Comparison: Sendable, Hashable {
        public var treated, control, difference, low, high, pValue: Double

        public init(treated: Double, control: Double, difference: Double, low: Double, high: Double, pValue: Double) {
            self.treated = treated
            self.control = control
            self.difference = difference
            self.low = low
            self.high = high
            self.pValue = pValue
        }
    }

    /// One action step of a campaign, treated against held out from when each customer came to it.
    public struct StepRow: Sendable, Hashable {
        public var step: Int
        /// `message email welcome-guide`, `coupon sms welcome-coupon`, `tag vip`.
        public var action: String
        public var treated: Int
        public var control: Int
        public var conversion: Comparison?

        public init(step: Int, action: String, treated: Int, control: Int, conversion: Comparison?) {
            self.step = step
            self.action = action
            self.treated = treated
            self.control = control
            self.conversion = conversion
        }
    }

    /// One campaign.
    public struct Row: Sendable {
        public var id: String
        public var name: String
        public var active: Bool
        public var holdout: Double
        /// Distinct customers who entered, held out, and sent at least one action.
        public var entered = 0, heldOut = 0, reached = 0, messages = 0
        /// Distinct customers with an action suppressed, by reason (`consent`, `frequency_cap`, `priority`).
        public var suppressed: [String: Int] = [:]
        /// Treated and held-out customers measured.
        public var treated = 0, control = 0
        public var conversion: Comparison?
        public var revenuePerCustomer: Comparison?
        /// In major units.
        public var incrementalRevenue: Double?
        /// An arm too small to conclude; arm sizes unlikely under the holdout share.
        public var tooSmall = false, sampleRatioMismatch = false
        /// Each action step measured on its own.
        public var steps: [StepRow] = []
        public var couponsIssued = 0, couponsRedeemed = 0
        /// In major units.
        public var couponCost = 0.0
        public var roi: Double?

        public init(id: String, name: String, active: Bool, holdout: Double) {
            self.id = id
            self.name = name
            self.active = active
            self.holdout = holdout
        }
    }

    /// The period: the first instant and the instant after the last.
    public var from: Int64
    public var to: Int64
    public var rows: [Row]
    /// Outbox messages by status (`pending`, `delivered`, `dead`).
    public var outbox: [String: Int]

    public init(from: Int64, to: Int64, rows: [Row], outbox: [String: Int] = [:]) {
        self.from = from
        self.to = to
        self.rows = rows
        self.outbox = outbox
    }
}
