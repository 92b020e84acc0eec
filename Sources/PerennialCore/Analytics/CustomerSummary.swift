/// One customer's purchase history reduced to the figures RFM, stages and KPIs need.
///
/// Only customers with at least one purchase order before as-of have a summary; see
/// docs/ANALYTICS.md for each rule.
public struct CustomerSummary: Sendable, Hashable {
    /// Number of purchase orders.
    public var orders: Int
    /// The first purchase order's instant (seconds since 1970 UTC).
    public var firstOrder: Int64
    /// The last purchase order's instant.
    public var lastOrder: Int64
    /// The second purchase order's instant, when there is one.
    public var secondOrder: Int64?
    /// Net revenue in minor units: all the customer's orders of every kind.
    public var revenueMinor: Int64
    /// Whole calendar days from the last order's day to the as-of day.
    public var recencyDays: Int
    /// Whole calendar days from the first order's day to the as-of day.
    public var tenureDays: Int
    /// Distinct calendar days with a purchase order.
    public var purchaseDays: Int
    /// Mean gap between purchase days, absent with one purchase day.
    public var meanDaysBetweenOrders: Double?
    /// Median gap between consecutive purchase days, absent with one purchase day.
    public var medianDaysBetweenOrders: Double?
    /// Purchase orders a month over the last 12 months of tenure.
    public var ordersPerMonth: Double

    /// Net revenue divided by orders, in minor units.
    public var averageOrderValueMinor: Double { Double(revenueMinor) / Double(orders) }
}

extension CustomerSummary {
    /// The length of a month, in days, used to turn a window into months (365.25 / 12).
    public static let daysPerMonth = 30.4375

    /// Summarises one customer's orders, given in time order.
    ///
    /// - Parameters:
    ///   - orders: indices into `table`, sorted by instant, all before as-of.
    ///   - gaps: scratch storage reused between calls.
    /// - Returns: the summary, or `nil` when none of the orders is a purchase.
    /// - Complexity: O(k log k) for k orders (the median sorts the gaps).
    static func summarize(_ orders: ArraySlice<Int32>, table: TransactionTable, asOf: Int64, asOfDay: Int,
                          calendar: StoreCalendar, gaps: inout [Int]) -> (summary: CustomerSummary?, revenueMinor: Int64) {
        var revenue: Int64 = 0
        var count = 0
        var first: Int64 = 0, last: Int64 = 0
        var second: Int64?
        var purchaseDays = 0
        var previousDay = Int.min
        var firstDay = 0
        var inWindow = 0
        let windowStart = asOf - 365 * 86_400
        gaps.removeAll(keepingCapacity: true)
        for order in orders {
            let index = Int(order)
            revenue = revenue.clampedAdding(table.orderAmount[index])
            guard table.orderKind[index] == .purchase else { continue }
            let time = table.orderTime[index]
            count += 1
            if count == 1 { first = time } else if count == 2 { second = time }
            last = time
            if time >= windowStart { inWindow += 1 }
            let day = calendar.dayNumber(of: time)
            if day != previousDay {
                if previousDay == Int.min { firstDay = day } else { gaps.append(day - previousDay) }
                purchaseDays += 1
                previousDay = day
            }
        }
        guard count > 0 else { return (nil, revenue) }
        var mean: Double?, median: Double?
        if !gaps.isEmpty {
            mean = Double(previousDay - firstDay) / Double(gaps.count)
            gaps.sort()
            let middle = gaps.count / 2
            median = gaps.count % 2 == 1 ? Double(gaps[middle]) : Double(gaps[middle - 1] + gaps[middle]) / 2
        }
        let windowDays = Double(asOf - max(first, windowStart)) / 86_400
        let months = max(1, windowDays / daysPerMonth)
        let summary = CustomerSummary(
            orders: count, firstOrder: first, lastOrder: last, secondOrder: second, revenueMinor: revenue,
            recencyDays: asOfDay - previousDay, tenureDays: asOfDay - firstDay, purchaseDays: purchaseDays,
            meanDaysBetweenOrders: mean, medianDaysBetweenOrders: median,
            ordersPerMonth: Double(inWindow) / months)
        return (summary, revenue)
    }
}
