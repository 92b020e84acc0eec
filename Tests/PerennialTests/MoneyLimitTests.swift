import Foundation
import PerennialCore
import PerennialIngestion
@testable import PerennialStorage
import PerennialTestSupport
import Testing

/// Amounts beyond the documented maximum are refused where they enter, with the field named; sums of
/// stored amounts never trap, so a store always loads.
@Suite struct MoneyLimitTests {
    static let gbp = Currency("GBP"), jpy = Currency("JPY")

    @Test("line amounts by hand: rounding half away from zero, the maximum itself, and one step past it")
    func lineAmounts() {
        // 3 × £2.55 = 765 pence; £1.005 is 100.5 pence, rounded away from zero to 101 (and -101).
        #expect(Money.lineAmount(quantity: 3, unitPriceMillis: 2_550, currency: Self.gbp) == 765)
        #expect(Money.lineAmount(quantity: 1, unitPriceMillis: 1_005, currency: Self.gbp) == 101)
        #expect(Money.lineAmount(quantity: -1, unitPriceMillis: 1_005, currency: Self.gbp) == -101)
        // 1,000 × £10,000,000,000 = £10^13 = 10^15 pence: exactly the maximum.
        #expect(Money.lineAmount(quantity: 1_000, unitPriceMillis: 10_000_000_000_000, currency: Self.gbp) == 1_000_000_000_000_000)
        // One more unit is £10^13 + £10^10, beyond it.
        #expect(Money.lineAmount(quantity: 1_001, unitPriceMillis: 10_000_000_000_000, currency: Self.gbp) == nil)
        // ¥10^15 has no minor digits: 10^15 minor units, the maximum.
        #expect(Money.lineAmount(quantity: 1, unitPriceMillis: 1_000_000_000_000_000_000, currency: Self.jpy) == 1_000_000_000_000_000)
        // The trial that stopped the server: 9,000,000,000 × 9,999,999,999.999 (a quantity past 10^9).
        #expect(Money.lineAmount(quantity: 9_000_000_000, unitPriceMillis: 9_999_999_999_999, currency: Self.gbp) == nil)
        // Within the quantity limit, a product that overflows 64 bits: 10^9 × 10^18 thousandths.
        #expect(Money.lineAmount(quantity: 1_000_000_000, unitPriceMillis: 1_000_000_000_000_000_000, currency: Self.gbp) == nil)
    }

    @Test("sums hold at the limits of Int64 instead of trapping")
    func clampedSums() {
        #expect(Int64.max.clampedAdding(1) == .max)
        #expect((Int64.max - 10).clampedAdding(5) == Int64.max - 5)
        #expect(Int64.min.clampedAdding(-1) == .min)
        #expect(Int64(40).clampedAdding(-50) == -10)
        #expect(Money.minorUnits(rounding: .nan) == 0)
        #expect(Money.minorUnits(rounding: 1e300) == .max)
        #expect(Money.minorUnits(rounding: -2.5) == -3)
    }

    static func orderEvent(quantity: String, price: String, lines: Int = 1) -> String {
        let line = #"{"sku": "s", "quantity": \#(quantity), "unit_price": \#(price)}"#
        return """
            {"event_id": "e", "type": "order", "customer_id": "c", "timestamp": "2024-01-01T00:00:00Z", "order_id": "A", "currency": "GBP",
             "lines": [\(Array(repeating: line, count: lines).joined(separator: ", "))]}
            """
    }

    @Test("an order event beyond the limits is refused with the field named", arguments: [
        (quantity: "9000000000", price: "9999999999.999", lines: 1, field: "lines[0].quantity"),
        (quantity: "1000000000", price: "9999999999.999", lines: 1, field: "lines[0].unit_price"),
        // Each line is £6 × 10^12, within the limit; the two together are £1.2 × 10^13, beyond it.
        (quantity: "1000", price: "6000000000", lines: 2, field: "lines"),
    ])
    func eventLimits(quantity: String, price: String, lines: Int, field: String) {
        let rejection = EventTests.rejection(Self.orderEvent(quantity: quantity, price: price, lines: lines))
        #expect(rejection?.field == field)
        #expect(rejection?.reason.contains("10^15") == true || rejection?.reason.contains("at most") == true)
    }

    @Test("a refund beyond the limit is refused")
    func refundLimit() {
        let rejection = EventTests.rejection("""
            {"event_id": "e", "type": "refund", "customer_id": "c", "timestamp": "2024-01-01T00:00:00Z", "order_id": "A", "currency": "GBP",
             "amount": 100000000000000}
            """)
        #expect(rejection?.field == "amount")
    }

    @Test("a CSV row whose quantity × price is beyond the limit is quarantined; the other rows are kept")
    func csvLimit() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("orders.csv", """
            order_id,customer_id,timestamp,sku,quantity,unit_price,currency
            A1,c1,2024-01-01T00:00:00Z,s,2,10,GBP
            A2,c2,2024-01-02T00:00:00Z,s,9000000000,9999999999.999,GBP
            A3,c3,2024-01-03T00:00:00Z,s,1,5.5,GBP

            """)
        let reader = try OrderFileReader(path: path, options: ImportOptions(format: .generic, quarantinePath: directory.path("rejected.csv")))
        var ids: [String] = []
        let summary = try reader.read { ids.append($0.orderID) }
        #expect(ids == ["A1", "A3"])
        #expect(summary.rowsRejected == 1)
        #expect(summary.sampleProblems.first?.line == 3)
        #expect(summary.sampleProblems.first?.reason.hasPrefix("unit_price:") == true)
        #expect(summary.grossValueMillis == 25_500)
    }

    @Test("a store whose orders add up past Int64 loads and is analysed; the sums hold at the limit", arguments: StoreBackend.testable)
    func storeBeyondInt64(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        let location = try backend.newLocation(in: directory)
        let store = try await openTestStore(location)
        // 9,300 orders of £10^13 (the maximum each) by one customer: 9.3 × 10^18 pence, past Int64.max (9.22 × 10^18).
        let line = OrderLine(sku: "s", quantity: 1_000, unitPriceMillis: 10_000_000_000_000, amountMinor: Money.maximumMinorUnits)
        let start = utc(2024, 1, 1)
        for batch in 0..<31 {
            let events = (0..<300).map { i -> CustomerEvent in
                let n = batch * 300 + i
                let order = Order(id: "O\(n)", customerID: "whale", placedAt: start + Int64(n) * 60, kind: .purchase, currency: Self.gbp, lines: [line])
                return CustomerEvent(id: "e\(n)", customerID: "whale", occurredAt: start + Int64(n) * 60, payload: .order(order, couponCode: nil))
            }
            let report = try await store.record(events, receivedAt: start + 86_400 * 30)
            #expect(report.outcomes.filter { $0 == .accepted }.count == 300)
        }
        let table = try #require(try await store.loadTransactions())
        #expect(table.orderCount == 9_300)
        let report = LifecycleAnalysis.run(table, options: AnalysisOptions(asOf: start + 86_400 * 30))
        #expect(report.kpis.revenueMinor == .max)
        #expect(report.profiles.first?.revenueMinor == .max)
    }
}
