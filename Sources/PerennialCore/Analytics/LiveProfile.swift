/// One customer's profile recomputed from their own orders, against a store's frozen RFM boundaries:
/// what the server does when an event changes a customer, in microseconds instead of a whole-store
/// analysis.
public enum LiveProfile {
    /// One order as analysis reads it.
    public typealias OrderRow = (placedAt: Int64, kind: OrderKind, amountMinor: Int64)

    /// The profile of one customer as of `asOf`.
    ///
    /// - Parameters:
    ///   - orders: every order of the customer, any kind, any order; those at or after `asOf` are ignored.
    ///   - boundaries: the store's RFM boundaries from its last full analysis.
    ///   - probabilityAlive: the model's P(alive) when it judges this customer (stages follow it), else `nil`.
    public static func profile(customerID: String, orders: [OrderRow], asOf: Int64, calendar: StoreCalendar, rules: StageRules,
                               boundaries: RFMBoundaries, probabilityAlive: Double?) -> CustomerProfile {
        let table = table(customerID: customerID, orders: orders, currency: Currency("XXX"))
        let groups = CustomerOrders(table: table, asOf: asOf)
        var gaps: [Int] = []
        let result = CustomerSummary.summarize(groups[0], table: table, asOf: asOf, asOfDay: calendar.dayNumber(of: asOf),
                                               calendar: calendar, gaps: &gaps)
        let rfm = result.summary.map { boundaries.score($0) }
        return CustomerProfile(customerID: customerID, summary: result.summary, revenueMinor: result.revenueMinor, rfm: rfm,
                               segment: rfm?.segment, stage: rules.stage(of: result.summary, probabilityAlive: probabilityAlive))
    }

    /// The one-customer table of a customer's orders, for model scoring.
    public static func table(customerID: String, orders: [OrderRow], currency: Currency) -> TransactionTable {
        var builder = TransactionTableBuilder(currency: currency)
        builder.customer(customerID)
        for order in orders {
            builder.appendOrder(customerID: customerID, placedAt: order.placedAt, kind: order.kind, amountMinor: order.amountMinor)
        }
        return builder.build()
    }
}
