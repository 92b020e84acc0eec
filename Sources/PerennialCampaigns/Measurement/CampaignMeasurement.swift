import PerennialCore

/// Treated against held-out customers of one campaign over its attribution window: conversion (a
/// purchase order within the window after entry) and revenue per customer (major units), each with
/// its test, the incremental revenue, and warnings when the groups are too small or do not match the
/// holdout share.
public struct CampaignMeasurement: Sendable, Hashable, Codable {
    public var treated: Int
    public var control: Int
    public var treatedConversions: Int
    public var controlConversions: Int
    public var conversion: Uplift.Comparison?
    public var revenuePerCustomer: Uplift.Comparison?
    /// (treated − control revenue per customer) × treated customers.
    public var incrementalRevenue: Double?
    public var sampleRatioPValue: Double
    public var warnings: [String]

    /// The smallest arm that lets a report conclude.
    public static let minimumArm = 100

    /// Whether an arm is smaller than ``minimumArm`` (the first warning).
    public var isTooSmall: Bool { min(treated, control) < Self.minimumArm }

    /// Whether the arms' sizes are unlikely under the holdout share (p < 0.001, the second warning).
    public var hasSampleRatioMismatch: Bool { sampleRatioPValue < 0.001 }

    /// One customer's entry into a campaign.
    public struct Entry: Sendable, Hashable {
        public var customer: Int
        public var at: Int64
        public var heldOut: Bool

        public init(customer: Int, at: Int64, heldOut: Bool) {
            self.customer = customer
            self.at = at
            self.heldOut = heldOut
        }
    }

    /// Measures entries (each customer's first) against their histories.
    public static func measure(_ entries: [Entry], histories: [CustomerHistory], attributionDays: Int, holdout: Double, currency: Currency) -> CampaignMeasurement {
        let window = Int64(attributionDays) * 86_400
        var converted = [0, 0]
        var revenue: [[Double]] = [[], []]
        for entry in entries {
            let arm = entry.heldOut ? 1 : 0
            let orders = histories[entry.customer].orders.filter { $0.at > entry.at && $0.at <= entry.at + window }
            if orders.contains(where: { $0.kind == .purchase }) { converted[arm] += 1 }
            revenue[arm].append(orders.reduce(0.0) { $0 + Double($1.amountMinor) } / Double(currency.minorPerMajor))
        }
        let (treated, control) = (revenue[0].count, revenue[1].count)
        let conversion = Uplift.proportions(treated: converted[0], of: treated, control: converted[1], of: control)
        let means = Uplift.means(treated: revenue[0], control: revenue[1])
        let ratio = Uplift.sampleRatio(treated: treated, control: control, holdout: holdout)
        var warnings: [String] = []
        if min(treated, control) < minimumArm {  // isTooSmall
            warnings.append("too few customers to conclude: \(treated) treated and \(control) held out (at least \(minimumArm) in each arm)")
        }
        if ratio.pValue < 0.001 {  // hasSampleRatioMismatch
            warnings.append("sample ratio mismatch: \(control) of \(treated + control) held out against a \(Int((holdout * 100).rounded()))% setting (p = \(ratio.pValue)); check the assignment before trusting the figures")
        }
        return CampaignMeasurement(treated: treated, control: control, treatedConversions: converted[0], controlConversions: converted[1],
                                   conversion: conversion, revenuePerCustomer: means, incrementalRevenue: means.map { $0.difference * Double(treated) },
                                   sampleRatioPValue: ratio.pValue, warnings: warnings)
    }
}
