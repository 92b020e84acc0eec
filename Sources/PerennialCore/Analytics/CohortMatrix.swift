/// Retention by acquisition cohort: for each period of first purchase, how many of its customers
/// bought again k periods later (docs/ANALYTICS.md, "Cohorts").
public struct CohortMatrix: Sendable, Hashable, Codable {
    /// One cohort.
    public struct Row: Sendable, Hashable, Codable {
        /// The cohort's period label (`2011-03`, or the Monday of an ISO week).
        public var cohort: String
        /// Customers whose first purchase order is in the cohort's period.
        public var size: Int
        /// `retained[k]`: the cohort's customers with a purchase order k periods after the first.
        public var retained: [Int]

        /// `retained[k] / size`.
        public var retention: [Double] { retained.map { size == 0 ? 0 : Double($0) / Double(size) } }
    }

    /// Months or weeks.
    public var period: CalendarPeriod
    /// Cohorts in time order; only periods in which someone was acquired.
    public var rows: [Row]
}

extension CohortMatrix {
    /// Computes the matrix from grouped customer orders.
    /// - Complexity: O(orders + cohorts × periods).
    static func compute(groups: CustomerOrders, table: TransactionTable, calendar: StoreCalendar,
                        period: CalendarPeriod, lastPeriod: Int) -> CohortMatrix {
        var firstPeriod = Int.max
        var customerPeriods: [(cohort: Int, periods: [Int])] = []
        for customer in 0..<table.customerCount {
            var periods: [Int] = []
            for order in groups[customer] where table.orderKind[Int(order)] == .purchase {
                let p = period.index(ofDay: calendar.dayNumber(of: table.orderTime[Int(order)]))
                if periods.last != p { periods.append(p) }
            }
            guard let cohort = periods.first else { continue }
            firstPeriod = min(firstPeriod, cohort)
            customerPeriods.append((cohort, periods))
        }
        guard firstPeriod <= lastPeriod else { return CohortMatrix(period: period, rows: []) }
        let width = lastPeriod - firstPeriod + 1
        var sizes = [Int](repeating: 0, count: width)
        var cells = [[Int]](repeating: [], count: width)
        for c in 0..<width { cells[c] = [Int](repeating: 0, count: width - c) }
        for (cohort, periods) in customerPeriods {
            let row = cohort - firstPeriod
            sizes[row] += 1
            for p in periods where p - cohort < cells[row].count { cells[row][p - cohort] += 1 }
        }
        var rows: [Row] = []
        for c in 0..<width where sizes[c] > 0 {
            rows.append(Row(cohort: period.label(firstPeriod + c), size: sizes[c], retained: cells[c]))
        }
        return CohortMatrix(period: period, rows: rows)
    }
}
