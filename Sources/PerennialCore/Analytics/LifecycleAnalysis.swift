import Foundation

/// What an analysis is asked: the instant, the calendar and the stage thresholds.
public struct AnalysisOptions: Sendable {
    /// The as-of instant (seconds since 1970 UTC); `nil` means the start of the day after the last order.
    public var asOf: Int64?
    /// The store's calendar for day, week and month buckets.
    public var calendar: StoreCalendar
    /// Lifecycle stage thresholds.
    public var stageRules: StageRules
    /// The period of the cohort matrix.
    public var cohortPeriod: CalendarPeriod
    /// A fitted model's P(alive) per customer, indexed like the table's customers (NaN where the model
    /// does not judge the customer); with it, stages follow the model (``StageRules/stage(of:probabilityAlive:)``).
    public var probabilityAlive: [Double]?

    /// Options with defaults: as-of after the last order, UTC, default thresholds, monthly cohorts.
    public init(asOf: Int64? = nil, calendar: StoreCalendar = .utc, stageRules: StageRules = StageRules(),
                cohortPeriod: CalendarPeriod = .month) {
        self.asOf = asOf
        self.calendar = calendar
        self.stageRules = stageRules
        self.cohortPeriod = cohortPeriod
    }
}

/// The whole lifecycle picture of a store at one instant.
public struct LifecycleReport: Sendable {
    /// The instant of the analysis (seconds since 1970 UTC).
    public var asOf: Int64
    /// The store time zone's identifier.
    public var timeZone: String
    /// The currency of every amount.
    public var currency: Currency
    /// The thresholds used.
    public var stageRules: StageRules
    /// Headline figures.
    public var kpis: KPIs
    /// Month-by-month series.
    public var monthly: [MonthlyFigures]
    /// Customers and revenue by lifecycle stage, in ``LifecycleStage`` order.
    public var stages: [GroupFigure]
    /// Customers and revenue by RFM segment (customers with a purchase), in ``RFMSegment`` order.
    public var segments: [GroupFigure]
    /// The retention matrix.
    public var cohorts: CohortMatrix
    /// One profile per customer known at as-of, in the order customers were first seen.
    public var profiles: [CustomerProfile]
}

/// Computes summaries, RFM scores and segments, stages, KPIs, monthly series and cohorts from a
/// ``TransactionTable``: values in, values out.
public enum LifecycleAnalysis {
    /// The default as-of of a history: the start of the day after the day of its last order (or the start
    /// of the next day from `now` for an empty history).
    public static func defaultAsOf(_ table: TransactionTable, calendar: StoreCalendar, now: Int64 = Int64(Date().timeIntervalSince1970)) -> Int64 {
        let last = table.orderTime.max() ?? now
        return calendar.startOfDay(calendar.dayNumber(of: last) + 1)
    }

    /// Runs the analysis.
    /// - Complexity: O(n + c log c) for n orders and c customers; per-customer summaries run in parallel.
    public static func run(_ table: TransactionTable, options: AnalysisOptions = AnalysisOptions()) -> LifecycleReport {
        let calendar = options.calendar
        let asOf = options.asOf ?? defaultAsOf(table, calendar: calendar)
        let asOfDay = calendar.dayNumber(of: asOf)
        let groups = CustomerOrders(table: table, asOf: asOf)
        let results = summarizeAll(groups: groups, table: table, asOf: asOf, asOfDay: asOfDay, calendar: calendar)

        // RFM over customers with a summary.
        var scored: [Int] = []
        for c in 0..<results.count where results[c].summary != nil && groups.known[c] { scored.append(c) }
        let r = QuintileScorer.scoresSmallerIsBetter(scored.map { results[$0].summary!.recencyDays })
        let f = QuintileScorer.scores(scored.map { results[$0].summary!.orders })
        let m = QuintileScorer.scores(scored.map { results[$0].summary!.revenueMinor })
        var rfm = [RFMScore?](repeating: nil, count: results.count)
        for (i, c) in scored.enumerated() { rfm[c] = RFMScore(r: Int(r[i]), f: Int(f[i]), m: Int(m[i])) }

        var profiles: [CustomerProfile] = []
        profiles.reserveCapacity(results.count)
        for c in 0..<results.count where groups.known[c] {
            let summary = results[c].summary
            profiles.append(CustomerProfile(
                customerID: table.customerIDs[c], summary: summary, revenueMinor: results[c].revenueMinor,
                rfm: rfm[c], segment: rfm[c]?.segment,
                stage: options.stageRules.stage(of: summary, probabilityAlive: options.probabilityAlive?[c])))
        }

        let lastPeriodDay = calendar.dayNumber(of: asOf - 1)
        return LifecycleReport(
            asOf: asOf, timeZone: calendar.identifier, currency: table.currency, stageRules: options.stageRules,
            kpis: kpis(profiles: profiles, table: table, asOf: asOf, asOfDay: asOfDay, calendar: calendar, rules: options.stageRules),
            monthly: monthly(groups: groups, table: table, asOf: asOf, calendar: calendar),
            stages: stageFigures(profiles), segments: segmentFigures(profiles),
            cohorts: CohortMatrix.compute(groups: groups, table: table, calendar: calendar, period: options.cohortPeriod,
                                          lastPeriod: options.cohortPeriod.index(ofDay: lastPeriodDay)),
            profiles: profiles)
    }

    /// The cohort matrix alone, for another period than the report's.
    public static func cohorts(_ table: TransactionTable, period: CalendarPeriod, asOf: Int64, calendar: StoreCalendar) -> CohortMatrix {
        let groups = CustomerOrders(table: table, asOf: asOf)
        return CohortMatrix.compute(groups: groups, table: table, calendar: calendar, period: period,
                                    lastPeriod: period.index(ofDay: calendar.dayNumber(of: asOf - 1)))
    }

    private static func summarizeAll(groups: CustomerOrders, table: TransactionTable, asOf: Int64, asOfDay: Int,
                                     calendar: StoreCalendar) -> [(summary: CustomerSummary?, revenueMinor: Int64)] {
        let count = table.customerCount
        var results = [(summary: CustomerSummary?, revenueMinor: Int64)](repeating: (nil, 0), count: count)
        let chunkSize = 4_096
        let chunks = (count + chunkSize - 1) / chunkSize
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var gaps: [Int] = []
                for c in (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) {
                    output[c] = CustomerSummary.summarize(groups[c], table: table, asOf: asOf, asOfDay: asOfDay,
                                                          calendar: calendar, gaps: &gaps)
                }
            }
        }
        return results
    }

    private static func kpis(profiles: [CustomerProfile], table: TransactionTable, asOf: Int64, asOfDay: Int,
                             calendar: StoreCalendar, rules: StageRules) -> KPIs {
        var k = KPIs()
        for index in 0..<table.orderCount where table.orderTime[index] < asOf {
            let amount = table.orderAmount[index]
            let guest = table.orderCustomer[index] < 0
            k.revenueMinor = k.revenueMinor.clampedAdding(amount)
            if guest { k.guestRevenueMinor = k.guestRevenueMinor.clampedAdding(amount) }
            switch table.orderKind[index] {
            case .purchase:
                k.orders += 1
                if guest { k.guestOrders += 1 } else { k.customerOrders += 1 }
            case .cancellation:
                k.cancellations += 1
                k.cancelledRevenueMinor = k.cancelledRevenueMinor.clampedAdding(amount)
            case .adjustment:
                break
            }
        }
        let thisMonth = CivilDate(dayNumber: calendar.dayNumber(of: asOf - 1)).monthNumber
        var repeaters = 0, churned = 0
        let repeatWindows: [Int64] = [30, 90]
        var eligible = [0, 0], repeated = [0, 0]
        for profile in profiles {
            guard let s = profile.summary else {
                k.potentialCustomers += 1
                continue
            }
            k.customers += 1
            if s.orders >= 2 { repeaters += 1 }
            if s.recencyDays > rules.churnDays { churned += 1 } else { k.activeCustomers += 1 }
            if calendar.date(of: s.firstOrder).monthNumber == thisMonth { k.newCustomersThisMonth += 1 }
            for (w, days) in repeatWindows.enumerated() where asOf - s.firstOrder >= days * 86_400 {
                eligible[w] += 1
                if let second = s.secondOrder, second - s.firstOrder <= days * 86_400 { repeated[w] += 1 }
            }
        }
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        k.aovMinor = k.orders == 0 ? 0 : Double(k.revenueMinor) / Double(k.orders)
        k.arpuMinor = k.customers == 0 ? 0 : Double(k.revenueMinor - k.guestRevenueMinor) / Double(k.customers)
        k.repurchaseRate = ratio(repeaters, k.customers)
        k.churnRate = ratio(churned, k.customers)
        k.repeatRate30d = ratio(repeated[0], eligible[0])
        k.repeatRate90d = ratio(repeated[1], eligible[1])
        k.cancellationRate = ratio(k.cancellations, k.orders)
        return k
    }

    private static func monthly(groups: CustomerOrders, table: TransactionTable, asOf: Int64, calendar: StoreCalendar) -> [MonthlyFigures] {
        var firstTime = Int64.max
        for index in 0..<table.orderCount where table.orderTime[index] < asOf { firstTime = min(firstTime, table.orderTime[index]) }
        guard firstTime != Int64.max else { return [] }
        let firstMonth = calendar.date(of: firstTime).monthNumber
        let lastMonth = calendar.date(of: asOf - 1).monthNumber
        let width = lastMonth - firstMonth + 1
        var figures = (0..<width).map {
            MonthlyFigures(month: CivilDate.monthLabel(firstMonth + $0), newCustomers: 0, activeCustomers: 0, orders: 0, revenueMinor: 0)
        }
        for index in 0..<table.orderCount where table.orderTime[index] < asOf {
            let month = calendar.date(of: table.orderTime[index]).monthNumber - firstMonth
            figures[month].revenueMinor = figures[month].revenueMinor.clampedAdding(table.orderAmount[index])
            if table.orderKind[index] == .purchase { figures[month].orders += 1 }
        }
        for customer in 0..<table.customerCount {
            var previous = Int.min
            for order in groups[customer] where table.orderKind[Int(order)] == .purchase {
                let month = calendar.date(of: table.orderTime[Int(order)]).monthNumber - firstMonth
                guard month != previous else { continue }
                if previous == Int.min { figures[month].newCustomers += 1 }
                figures[month].activeCustomers += 1
                previous = month
            }
        }
        return figures
    }

    private static func stageFigures(_ profiles: [CustomerProfile]) -> [GroupFigure] {
        groupFigures(profiles, ids: LifecycleStage.allCases.map { ($0.rawValue, $0.rawValue) }) { $0.stage.rawValue }
    }

    private static func segmentFigures(_ profiles: [CustomerProfile]) -> [GroupFigure] {
        groupFigures(profiles.filter { $0.segment != nil }, ids: RFMSegment.allCases.map { ($0.rawValue, $0.name) }) { $0.segment!.rawValue }
    }

    private static func groupFigures(_ profiles: [CustomerProfile], ids: [(id: String, name: String)],
                                     key: (CustomerProfile) -> String) -> [GroupFigure] {
        var counts: [String: (customers: Int, revenue: Int64)] = [:]
        var totalRevenue: Int64 = 0
        for profile in profiles {
            counts[key(profile), default: (0, 0)].customers += 1
            counts[key(profile), default: (0, 0)].revenue = counts[key(profile), default: (0, 0)].revenue.clampedAdding(profile.revenueMinor)
            totalRevenue = totalRevenue.clampedAdding(profile.revenueMinor)
        }
        let total = profiles.count
        return ids.map { id, name in
            let value = counts[id] ?? (0, 0)
            return GroupFigure(id: id, name: name, customers: value.customers,
                               share: total == 0 ? 0 : Double(value.customers) / Double(total),
                               revenueMinor: value.revenue,
                               revenueShare: totalRevenue == 0 ? 0 : Double(value.revenue) / Double(totalRevenue))
        }
    }
}
