import PerennialCore
import PerennialIngestion
import PerennialTestSupport
import Testing

/// The hand-computed store of `Fixtures/hand_store.md`: every expected number below is worked out step by
/// step there (section 8 has the tables) and agrees with `Benchmarks/reference_analytics.py`.
@Suite struct HandFixtureTests {
    static let asOf = utc(2024, 7, 1)

    static func report() throws -> LifecycleReport {
        let reader = try OrderFileReader(path: Fixtures.path("hand_store.csv"),
                                         options: ImportOptions(format: .generic, quarantinePath: "/dev/null"))
        let (table, summary) = try reader.readTable()
        #expect(summary.rowsRead == 32 && summary.rowsRejected == 0)
        return LifecycleAnalysis.run(table, options: AnalysisOptions(asOf: asOf))
    }

    struct Expected: Sendable, CustomStringConvertible {
        var id: String, orders: Int, revenue: Int64, recency: Int, tenure: Int
        var meanGap: Double?, medianGap: Double?, perMonth: Double
        var r: Int, f: Int, m: Int, segment: RFMSegment, stage: LifecycleStage
        var description: String { id }
    }

    // hand_store.md §8 (revenue in pounds; the table stores pence).
    static let customers: [Expected] = [
        .init(id: "1001", orders: 3, revenue: 200, recency: 6, tenure: 26, meanGap: 10, medianGap: 10, perMonth: 3.0, r: 5, f: 3, m: 5, segment: .champions, stage: .loyal),
        .init(id: "1002", orders: 4, revenue: 150, recency: 6, tenure: 280, meanGap: 91.3333, medianGap: 92, perMonth: 0.435599, r: 5, f: 5, m: 4, segment: .champions, stage: .active),
        .init(id: "1003", orders: 3, revenue: 120, recency: 91, tenure: 321, meanGap: 115, medianGap: 115, perMonth: 0.284906, r: 1, f: 3, m: 4, segment: .atRisk, stage: .churned),
        .init(id: "1004", orders: 1, revenue: 80, recency: 90, tenure: 90, meanGap: nil, medianGap: nil, perMonth: 0.340084, r: 2, f: 1, m: 2, segment: .hibernating, stage: .new),
        .init(id: "1005", orders: 3, revenue: 30, recency: 68, tenure: 82, meanGap: 7, medianGap: 7, perMonth: 1.120399, r: 2, f: 3, m: 1, segment: .hibernating, stage: .declining),
        .init(id: "1006", orders: 2, revenue: 90, recency: 13, tenure: 21, meanGap: 8, medianGap: 8, perMonth: 2.0, r: 4, f: 2, m: 3, segment: .potentialLoyalist, stage: .new),
        .init(id: "1007", orders: 3, revenue: 80, recency: 47, tenure: 474, meanGap: 213.5, medianGap: 213.5, perMonth: 0.166781, r: 3, f: 3, m: 2, segment: .needAttention, stage: .active),
        .init(id: "1008", orders: 1, revenue: 30, recency: 213, tenure: 213, meanGap: nil, medianGap: nil, perMonth: 0.143235, r: 1, f: 1, m: 1, segment: .lost, stage: .churned),
        .init(id: "1009", orders: 2, revenue: 60, recency: 42, tenure: 142, meanGap: 100, medianGap: 100, perMonth: 0.430212, r: 3, f: 2, m: 2, segment: .aboutToSleep, stage: .active),
        .init(id: "1010", orders: 3, revenue: 200, recency: 13, tenure: 122, meanGap: 109, medianGap: 109, perMonth: 0.751543, r: 4, f: 3, m: 5, segment: .loyal, stage: .active),
    ]

    @Test("each customer's summary, RFM scores, segment and stage match the hand computation", arguments: customers)
    func customer(_ expected: Expected) throws {
        let report = try Self.report()
        let profile = try #require(report.profiles.first { $0.customerID == expected.id })
        let s = try #require(profile.summary)
        #expect(s.orders == expected.orders)
        #expect(profile.revenueMinor == expected.revenue * 100)
        #expect(s.recencyDays == expected.recency)
        #expect(s.tenureDays == expected.tenure)
        #expect(abs((s.meanDaysBetweenOrders ?? -1) - (expected.meanGap ?? -1)) < 1e-4)
        #expect(s.medianDaysBetweenOrders == expected.medianGap)
        #expect(abs(s.ordersPerMonth - expected.perMonth) < 1e-6)
        #expect(profile.rfm == RFMScore(r: expected.r, f: expected.f, m: expected.m))
        #expect(profile.segment == expected.segment)
        #expect(profile.stage == expected.stage)
    }

    @Test func kpis() throws {
        let k = try Self.report().kpis
        #expect(k.customers == 10)
        #expect(k.potentialCustomers == 0)
        #expect(k.activeCustomers == 8)
        #expect(k.newCustomersThisMonth == 2)
        #expect(k.orders == 27 && k.customerOrders == 25 && k.guestOrders == 2)
        #expect(k.revenueMinor == 108_000 && k.guestRevenueMinor == 4_000)
        #expect(k.aovMinor == 4_000)          // 1080 / 27 = 40.00
        #expect(k.arpuMinor == 10_400)        // (1080 − 40) / 10 = 104.00
        #expect(k.repurchaseRate == 0.8)      // 8 of 10 have 2+ orders
        #expect(k.repeatRate30d == 1.0 / 8)
        #expect(k.repeatRate90d == 2.0 / 6)
        #expect(k.churnRate == 0.2)
        #expect(k.cancellations == 1 && k.cancelledRevenueMinor == -2_000)
        #expect(k.cancellationRate == 1.0 / 27)
    }

    @Test func stagesAndSegments() throws {
        let report = try Self.report()
        let stages = Dictionary(uniqueKeysWithValues: report.stages.map { ($0.id, ($0.customers, $0.revenueMinor / 100)) })
        #expect(stages["potential"]! == (0, 0) && stages["new"]! == (2, 170) && stages["active"]! == (4, 490))
        #expect(stages["loyal"]! == (1, 200) && stages["declining"]! == (1, 30) && stages["churned"]! == (2, 150))
        let segments = Dictionary(uniqueKeysWithValues: report.segments.map { ($0.id, ($0.customers, $0.revenueMinor / 100)) })
        #expect(segments["champions"]! == (2, 350) && segments["loyal"]! == (1, 200) && segments["potential_loyalist"]! == (1, 90))
        #expect(segments["new"]! == (0, 0) && segments["promising"]! == (0, 0) && segments["need_attention"]! == (1, 80))
        #expect(segments["about_to_sleep"]! == (1, 60) && segments["at_risk"]! == (1, 120) && segments["cant_lose"]! == (0, 0))
        #expect(segments["hibernating"]! == (2, 110) && segments["lost"]! == (1, 30))
    }

    @Test func monthlySeriesAndCohorts() throws {
        let report = try Self.report()
        #expect(report.monthly.count == 16)
        #expect(report.monthly.first?.month == "2023-03" && report.monthly.last?.month == "2024-06")
        let june = try #require(report.monthly.last)
        #expect(june.newCustomers == 2 && june.activeCustomers == 4 && june.orders == 9 && june.revenueMinor == 46_000)
        #expect(report.monthly.map(\.newCustomers).reduce(0, +) == 10)
        #expect(report.monthly.map(\.revenueMinor).reduce(0, +) == 108_000)
        let rows = report.cohorts.rows
        #expect(rows.map(\.cohort) == ["2023-03", "2023-08", "2023-09", "2023-12", "2024-02", "2024-03", "2024-04", "2024-06"])
        #expect(rows[0].retained == [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0])
        #expect(rows[2].retained == [1, 0, 0, 1, 0, 0, 1, 0, 0, 1])
        #expect(rows[6].size == 2 && rows[6].retained == [2, 0, 0])
        #expect(rows[7].retained == [2])
    }

    @Test("an order exactly at as-of is ignored; without as-of the default is the day after it")
    func asOfBoundary() throws {
        let reader = try OrderFileReader(path: Fixtures.path("hand_store.csv"), options: ImportOptions(format: .generic, quarantinePath: "/dev/null"))
        let table = try reader.readTable().table
        #expect(LifecycleAnalysis.defaultAsOf(table, calendar: .utc) == utc(2024, 7, 2))
        let later = LifecycleAnalysis.run(table)
        #expect(later.kpis.orders == 28)
        #expect(later.profiles.first { $0.customerID == "1008" }?.summary?.orders == 2)
    }
}
