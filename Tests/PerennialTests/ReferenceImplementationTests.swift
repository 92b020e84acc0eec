import Foundation
import PerennialCore
import PerennialIngestion
import PerennialTestSupport
import Testing

/// Compares the analysis with `Benchmarks/reference_analytics.py`, an independent Python implementation
/// of docs/ANALYTICS.md, whose outputs are committed in `Benchmarks/reference/`.
@Suite struct ReferenceImplementationTests {
    static func reference(_ name: String) throws -> Any {
        let url = SharedDatasets.packageRoot.appendingPathComponent("Benchmarks/reference/\(name)")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    static func compare(_ report: LifecycleReport, with reference: [String: Any]) {
        let k = report.kpis
        let kpis = reference["kpis"] as! [String: Any]
        let counts: [(String, Int)] = [
            ("customers", k.customers), ("potential_customers", k.potentialCustomers), ("active_customers", k.activeCustomers),
            ("new_customers_this_month", k.newCustomersThisMonth), ("orders", k.orders), ("customer_orders", k.customerOrders),
            ("guest_orders", k.guestOrders), ("cancellations", k.cancellations),
        ]
        for (key, value) in counts { #expect(kpis[key] as? Int == value, "\(key)") }
        let money: [(String, Double)] = [
            ("revenue", Double(k.revenueMinor)), ("guest_revenue", Double(k.guestRevenueMinor)), ("aov", k.aovMinor),
            ("arpu", k.arpuMinor), ("cancelled_revenue", Double(k.cancelledRevenueMinor)),
        ]
        // The reference rounds money to cents.
        for (key, minor) in money { #expect(abs(minor / 100 - (kpis[key] as! Double)) <= 0.005 + 1e-9, "\(key)") }
        let rates: [(String, Double)] = [
            ("repurchase_rate", k.repurchaseRate), ("repeat_rate_30d", k.repeatRate30d), ("repeat_rate_90d", k.repeatRate90d),
            ("churn_rate", k.churnRate), ("cancellation_rate", k.cancellationRate),
        ]
        for (key, rate) in rates { #expect(abs(rate - (kpis[key] as! Double)) < 1e-12, "\(key)") }

        for (figures, list, key) in [(report.stages, "stages", "stage"), (report.segments, "rfm_segments", "segment")] {
            let expected = Dictionary(uniqueKeysWithValues: (reference[list] as! [[String: Any]]).map { ($0[key] as! String, $0) })
            for figure in figures {
                #expect(expected[figure.id]?["customers"] as? Int == figure.customers, "\(figure.id)")
                #expect(abs(Double(figure.revenueMinor) / 100 - (expected[figure.id]?["revenue"] as? Double ?? .nan)) < 0.005, "\(figure.id)")
            }
        }
        let months = reference["monthly"] as! [[String: Any]]
        #expect(months.count == report.monthly.count)
        for (ours, theirs) in zip(report.monthly, months) {
            #expect(ours.month == theirs["month"] as? String)
            #expect(ours.newCustomers == theirs["new_customers"] as? Int && ours.activeCustomers == theirs["active_customers"] as? Int)
            #expect(ours.orders == theirs["orders"] as? Int)
        }
        let rows = (reference["cohorts"] as! [String: Any])["rows"] as! [[String: Any]]
        #expect(report.cohorts.rows.map(\.cohort) == rows.map { $0["cohort"] as! String })
        #expect(report.cohorts.rows.map(\.retained) == rows.map { $0["retained"] as! [Int] })
    }

    @Test("CDNOW sample: KPIs, stages, segments, monthly series, cohorts and every customer match the reference")
    func cdnowSample() throws {
        let reader = try OrderFileReader(path: Fixtures.path("CDNOW_sample.txt"), options: ImportOptions(format: .cdnow, quarantinePath: "/dev/null"))
        let report = LifecycleAnalysis.run(try reader.readTable().table)
        Self.compare(report, with: try Self.reference("cdnow_sample.analyze.json") as! [String: Any])
        let customers = try Self.reference("cdnow_sample.customers.json") as! [[String: Any]]
        #expect(customers.count == 2_357)
        let profiles = Dictionary(uniqueKeysWithValues: report.profiles.map { ($0.customerID, $0) })
        var mismatches: [String] = []
        for expected in customers {
            let id = expected["customer_id"] as! String
            guard let p = profiles[id], let s = p.summary, let rfm = p.rfm else { mismatches.append(id); continue }
            let same = s.orders == expected["orders"] as? Int && s.recencyDays == expected["recency_days"] as? Int
                && rfm.r == expected["r"] as? Int && rfm.f == expected["f"] as? Int && rfm.m == expected["m"] as? Int
                && p.segment?.rawValue == expected["rfm_segment"] as? String && p.stage.rawValue == expected["stage"] as? String
                && abs(s.ordersPerMonth - (expected["orders_per_month"] as! Double)) < 1e-9
            if !same { mismatches.append(id) }
        }
        #expect(mismatches.isEmpty, "customers that differ: \(mismatches.prefix(10))")
    }

    @Test("Online Retail: KPIs, stages, segments, monthly series and cohorts match the reference", .enabled(if: SharedDatasets.isPresent("online_retail.csv.gz"), "needs online_retail.csv.gz, one of the public datasets (README, Data)"))
    func onlineRetail() throws {
        let path = try #require(SharedDatasets.path("online_retail.csv.gz"))
        let reader = try OrderFileReader(path: path, options: ImportOptions(format: .onlineRetail, details: false, quarantinePath: "/dev/null"))
        let report = LifecycleAnalysis.run(try reader.readTable().table)
        #expect(report.asOf == utc(2011, 12, 10))
        Self.compare(report, with: try Self.reference("online_retail.analyze.json") as! [String: Any])
    }
}
