import Foundation
import PerennialCore
import PerennialModels

/// The JSON shapes of `analyze --json`, `customers --json` and `cohorts --json` (documented in the
/// README). Money is in major units; rates are fractions from 0 to 1.
public enum ReportJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func major(_ minor: Int64, _ currency: Currency) -> Double {
        Double(minor) / Double(currency.minorPerMajor)
    }

    public static func major(_ minor: Double, _ currency: Currency) -> Double {
        (minor / Double(currency.minorPerMajor) * 100).rounded() / 100
    }

    public struct Analysis: Encodable, Sendable {
        public var as_of: String
        public var timezone: String
        public var currency: String
        public var source: String
        public var kpis: KPIBlock
        public var monthly: [Month]
        public var stages: [Group]
        public var rfm_segments: [Group]
        public var cohorts: Cohorts
        public var stage_rules: StageRules
    }

    public struct KPIBlock: Encodable, Sendable {
        public var customers, potential_customers, active_customers, new_customers_this_month: Int
        public var orders, customer_orders, guest_orders, cancellations: Int
        public var revenue, guest_revenue, aov, arpu, cancelled_revenue: Double
        public var repurchase_rate, repeat_rate_30d, repeat_rate_90d, churn_rate, cancellation_rate: Double
    }

    public struct Month: Encodable, Sendable {
        public var month: String
        public var new_customers, active_customers, orders: Int
        public var revenue: Double
    }

    public struct Group: Encodable, Sendable {
        public var id: String
        public var name: String
        public var customers: Int
        public var share: Double
        public var revenue: Double
        public var revenue_share: Double
    }

    public struct Cohorts: Encodable, Sendable {
        public var period: String
        public var rows: [Row]
        public struct Row: Encodable, Sendable {
            public var cohort: String
            public var size: Int
            public var retained: [Int]
            public var retention: [Double]
        }
    }

    public struct Customer: Encodable, Sendable {
        public var customer_id: String
        public var first_order, last_order: String?
        public var orders: Int
        public var revenue: Double
        public var average_order_value: Double?
        public var recency_days, tenure_days: Int?
        public var mean_days_between_orders, median_days_between_orders: Double?
        public var orders_per_month: Double?
        public var r, f, m: Int?
        public var rfm_segment: String?
        public var stage: String
        public var p_alive: Double?
        public var churn_risk: Double?
        public var expected_purchases_90d: Double?
        public var expected_spend: Double?
        public var clv_12m: Double?
    }

    public static func analysis(_ report: LifecycleReport, source: String) -> Analysis {
        let c = report.currency, k = report.kpis
        return Analysis(
            as_of: Formatting.iso(report.asOf), timezone: report.timeZone, currency: c.code, source: source,
            kpis: KPIBlock(customers: k.customers, potential_customers: k.potentialCustomers, active_customers: k.activeCustomers,
                           new_customers_this_month: k.newCustomersThisMonth, orders: k.orders, customer_orders: k.customerOrders,
                           guest_orders: k.guestOrders, cancellations: k.cancellations,
                           revenue: major(k.revenueMinor, c), guest_revenue: major(k.guestRevenueMinor, c), aov: major(k.aovMinor, c),
                           arpu: major(k.arpuMinor, c), cancelled_revenue: major(k.cancelledRevenueMinor, c),
                           repurchase_rate: k.repurchaseRate, repeat_rate_30d: k.repeatRate30d, repeat_rate_90d: k.repeatRate90d,
                           churn_rate: k.churnRate, cancellation_rate: k.cancellationRate),
            monthly: report.monthly.map { Month(month: $0.month, new_customers: $0.newCustomers, active_customers: $0.activeCustomers,
                                                orders: $0.orders, revenue: major($0.revenueMinor, c)) },
            stages: report.stages.map { group($0, c) },
            rfm_segments: report.segments.map { group($0, c) },
            cohorts: cohorts(report.cohorts),
            stage_rules: report.stageRules)
    }

    public static func group(_ figure: GroupFigure, _ currency: Currency) -> Group {
        Group(id: figure.id, name: figure.name, customers: figure.customers, share: figure.share,
              revenue: major(figure.revenueMinor, currency), revenue_share: figure.revenueShare)
    }

    public static func cohorts(_ matrix: CohortMatrix) -> Cohorts {
        Cohorts(period: matrix.period.rawValue, rows: matrix.rows.map {
            Cohorts.Row(cohort: $0.cohort, size: $0.size, retained: $0.retained, retention: $0.retention)
        })
    }

    public static func customer(_ profile: CustomerProfile, _ currency: Currency) -> Customer {
        let s = profile.summary
        return Customer(
            customer_id: profile.customerID, first_order: s.map { Formatting.iso($0.firstOrder) }, last_order: s.map { Formatting.iso($0.lastOrder) },
            orders: s?.orders ?? 0, revenue: major(profile.revenueMinor, currency),
            average_order_value: s.map { major($0.averageOrderValueMinor, currency) },
            recency_days: s?.recencyDays, tenure_days: s?.tenureDays,
            mean_days_between_orders: s?.meanDaysBetweenOrders, median_days_between_orders: s?.medianDaysBetweenOrders,
            orders_per_month: s?.ordersPerMonth, r: profile.rfm?.r, f: profile.rfm?.f, m: profile.rfm?.m,
            rfm_segment: profile.segment?.rawValue, stage: profile.stage.rawValue,
            p_alive: nil, churn_risk: nil, expected_purchases_90d: nil, expected_spend: nil, clv_12m: nil)
    }
}

extension ReportJSON.Customer {
    /// Copies a model's predictions into the object (nothing when there are none).
    public mutating func fill(_ prediction: CustomerPrediction?) {
        guard let prediction else { return }
        p_alive = prediction.alive
        churn_risk = prediction.churnRisk
        expected_purchases_90d = prediction.purchases
        expected_spend = prediction.spend
        clv_12m = prediction.clv
    }
}
