import Foundation
import PerennialCore

/// The JSON shapes of `analyze --json`, `customers --json` and `cohorts --json` (documented in the
/// README). Money is in major units; rates are fractions from 0 to 1.
enum ReportJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func major(_ minor: Int64, _ currency: Currency) -> Double {
        Double(minor) / Double(currency.minorPerMajor)
    }

    static func major(_ minor: Double, _ currency: Currency) -> Double {
        (minor / Double(currency.minorPerMajor) * 100).rounded() / 100
    }

    struct Analysis: Encodable {
        var as_of: String
        var timezone: String
        var currency: String
        var source: String
        var kpis: KPIBlock
        var monthly: [Month]
        var stages: [Group]
        var rfm_segments: [Group]
        var cohorts: Cohorts
        var stage_rules: StageRules
    }

    struct KPIBlock: Encodable {
        var customers, potential_customers, active_customers, new_customers_this_month: Int
        var orders, customer_orders, guest_orders, cancellations: Int
        var revenue, guest_revenue, aov, arpu, cancelled_revenue: Double
        var repurchase_rate, repeat_rate_30d, repeat_rate_90d, churn_rate, cancellation_rate: Double
    }

    struct Month: Encodable {
        var month: String
        var new_customers, active_customers, orders: Int
        var revenue: Double
    }

    struct Group: Encodable {
        var id: String
        var name: String
        var customers: Int
        var share: Double
        var revenue: Double
        var revenue_share: Double
    }

    struct Cohorts: Encodable {
        var period: String
        var rows: [Row]
        struct Row: Encodable {
            var cohort: String
            var size: Int
            var retained: [Int]
            var retention: [Double]
        }
    }

    struct Customer: Encodable {
        var customer_id: String
        var first_order, last_order: String?
        var orders: Int
        var revenue: Double
        var average_order_value: Double?
        var recency_days, tenure_days: Int?
        var mean_days_between_orders, median_days_between_orders: Double?
        var orders_per_month: Double?
        var r, f, m: Int?
        var rfm_segment: String?
        var stage: String
        var p_alive: Double?
        var churn_risk: Double?
        var expected_purchases_90d: Double?
        var expected_spend: Double?
        var clv_12m: Double?
    }

    static func analysis(_ report: LifecycleReport, source: String) -> Analysis {
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

    static func group(_ figure: GroupFigure, _ currency: Currency) -> Group {
        Group(id: figure.id, name: figure.name, customers: figure.customers, share: figure.share,
              revenue: major(figure.revenueMinor, currency), revenue_share: figure.revenueShare)
    }

    static func cohorts(_ matrix: CohortMatrix) -> Cohorts {
        Cohorts(period: matrix.period.rawValue, rows: matrix.rows.map {
            Cohorts.Row(cohort: $0.cohort, size: $0.size, retained: $0.retained, retention: $0.retention)
        })
    }

    static func customer(_ profile: CustomerProfile, _ currency: Currency) -> Customer {
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
