import Foundation
@testable import PerennialCore
import PerennialIngestion
import Testing

/// Event JSON: the parser's error positions, each type's fields, RFC 3339 instants.
@Suite struct EventTests {
    static func decode(_ json: String, now: Int64? = nil) throws -> CustomerEvent {
        try EventDecoder(now: now).decode(try JSONParser.parse(Array(json.utf8)))
    }

    static func rejection(_ json: String) -> EventRejection? {
        do {
            _ = try decode(json)
            return nil
        } catch let error as EventRejection {
            return error
        } catch {
            return nil
        }
    }

    @Test("the issue's order example decodes to one line of 2 × £12.75 = 2,550 pence")
    func order() throws {
        let event = try Self.decode("""
            {"event_id": "e-1", "type": "order", "customer_id": "12347", "timestamp": "2011-12-10T10:00:00Z",
             "order_id": "A-1", "currency": "GBP", "channel": "web", "lines": [{"sku": "22423", "quantity": 2, "unit_price": 12.75}]}
            """)
        #expect(event.id == "e-1" && event.customerID == "12347")
        // 2011-12-10 is day 15,318 since 1970: 15,318 × 86,400 + 10 h.
        #expect(event.occurredAt == 15_318 * 86_400 + 36_000)
        guard case let .order(order, coupon) = event.payload else {
            Issue.record("not an order")
            return
        }
        #expect(coupon == nil)
        #expect(order.id == "A-1" && order.currency.code == "GBP" && order.channel == .web)
        #expect(order.lines == [OrderLine(sku: "22423", quantity: 2, unitPriceMillis: 12_750, amountMinor: 2_550)])
    }

    @Test("each malformed field is named with a path inside the event")
    func rejections() {
        let base = #""event_id": "e", "customer_id": "c", "timestamp": "2024-01-01T00:00:00Z""#
        #expect(Self.rejection("{\(base), \"type\": \"teleport\"}")?.field == "type")
        #expect(Self.rejection(#"{"type": "signup", "customer_id": "c", "timestamp": "2024-01-01T00:00:00Z"}"#)?.field == "event_id")
        let wrongQuantity = Self.rejection("""
            {\(base), "type": "order", "order_id": "A", "currency": "GBP", "lines": [{"sku": "s", "quantity": 1, "unit_price": 1}, {"sku": "s", "quantity": "two", "unit_price": 1}]}
            """)
        #expect(wrongQuantity?.field == "lines[1].quantity")
        #expect(wrongQuantity?.reason.contains("not a string") == true)
        #expect(Self.rejection("{\(base), \"type\": \"nps\", \"score\": 11}")?.field == "score")
        #expect(Self.rejection("{\(base), \"type\": \"review\", \"rating\": 4.5}")?.field == "rating")
        #expect(Self.rejection("{\(base), \"type\": \"consent\", \"channel\": \"fax\", \"status\": \"granted\"}")?.field == "channel")
        #expect(Self.rejection("{\(base), \"type\": \"identify\", \"email_sha256\": \"someone@example.com\"}")?.field == "email_sha256")
        #expect(Self.rejection("{\(base), \"type\": \"order\", \"order_id\": \"A\", \"currency\": \"gbp\", \"lines\": []}")?.field == "currency")
        #expect(Self.rejection(#"{"event_id": "e", "customer_id": "c", "type": "signup", "timestamp": "2024-01-01 10:00"}"#)?.field == "timestamp")
    }

    @Test("a profile event keeps the birthday's month and day (never the year) and an IANA time zone; bad values are named")
    func profile() throws {
        let base = #""event_id": "p", "customer_id": "c", "timestamp": "2024-01-01T00:00:00Z", "type": "profile""#
        let full = try Self.decode("{\(base), \"birthday\": \"1990-08-17\", \"time_zone\": \"Asia/Shanghai\"}")
        #expect(full.payload == .profile(birthMonth: 8, birthDay: 17, timeZone: "Asia/Shanghai"))
        #expect(try Self.decode("{\(base), \"birthday\": \"02-29\"}").payload == .profile(birthMonth: 2, birthDay: 29, timeZone: nil))
        for bad in ["13-01", "1990-02-30", "17/08/1990", "x-08-17"] {
            #expect(Self.rejection("{\(base), \"birthday\": \"\(bad)\"}")?.field == "birthday", "\(bad)")
        }
        #expect(Self.rejection("{\(base), \"time_zone\": \"Mars/Olympus\"}")?.field == "time_zone")
        #expect(Self.rejection("{\(base)}")?.reason.contains("birthday or time_zone") == true)
    }

    @Test("RFC 3339 offsets convert to UTC; a space may replace T; fractions are dropped; invalid dates fail")
    func instants() {
        #expect(RFC3339.parse("2011-12-10T18:00:00+08:00") == RFC3339.parse("2011-12-10T10:00:00Z"))
        #expect(RFC3339.parse("2011-12-10 10:00:00.250Z") == RFC3339.parse("2011-12-10T10:00:00Z"))
        let behindUTC: Int64? = RFC3339.parse("1970-01-02T00:00:00-01:30")
        #expect(behindUTC == Int64(86_400 + 5_400))
        #expect(RFC3339.parse("2023-02-29T00:00:00Z") == nil)
        #expect(RFC3339.parse("2024-02-29T00:00:00Z") != nil)
        #expect(RFC3339.parse("2024-01-01T00:00:00") == nil)
    }

    @Test("a truncated body reports the line, column and path where it stopped")
    func syntax() {
        let text = "{\"events\": [\n  {\"event_id\": \"e-1\", \"lines\": [1, 2"
        do {
            _ = try JSONParser.parse(Array(text.utf8))
            Issue.record("parsed a truncated body")
        } catch {
            #expect(error.line == 2)
            #expect(error.path == "events[0].lines[1]")
            #expect(error.reason.contains("truncated"))
        }
        #expect((try? JSONParser.parse(Array(#"{"a": 01}"#.utf8))) == nil)
        #expect((try? JSONParser.parse(Array(#"["\u00e9\ud83d\ude00", -1.5e3, true, null]"#.utf8))) ==
                .array([.string("é😀"), .number("-1.5e3"), .bool(true), .null]))
    }

    @Test("events dated more than a day ahead of the server's clock are refused")
    func future() {
        let json = #"{"event_id": "e", "customer_id": "c", "type": "signup", "timestamp": "2030-01-01T00:00:00Z"}"#
        #expect((try? Self.decode(json, now: RFC3339.parse("2029-12-30T00:00:00Z"))) == nil)
        #expect((try? Self.decode(json, now: RFC3339.parse("2029-12-31T12:00:00Z"))) != nil)
    }

    @Test("RFM boundaries score a value of the population exactly as the quintile scorer does")
    func boundaries() {
        // The hand store's orders per customer (hand_store.md §2): 1, 1, 2, 2, 3, 3, 3, 3, 3, 4.
        let orders = [1, 1, 2, 2, 3, 3, 3, 3, 3, 4]
        let profiles = orders.enumerated().map { i, count in
            CustomerProfile(customerID: "\(i)", summary: CustomerSummary(
                orders: count, firstOrder: 0, lastOrder: 0, secondOrder: nil, revenueMinor: Int64(count * 100), recencyDays: 10 * i,
                tenureDays: 100, purchaseDays: count, meanDaysBetweenOrders: nil, medianDaysBetweenOrders: nil, ordersPerMonth: 1),
                revenueMinor: Int64(count * 100), rfm: nil, segment: nil, stage: .active)
        }
        let boundaries = RFMBoundaries(profiles: profiles)
        let expected = QuintileScorer.scores(orders)
        for (i, profile) in profiles.enumerated() {
            #expect(boundaries.score(profile.summary!).f == Int(expected[i]))
        }
        // Better than everyone still scores 5.
        var best = profiles[9].summary!
        best.orders = 9
        best.recencyDays = -1
        #expect(boundaries.score(best).f == 5 && boundaries.score(best).r == 5)
    }
}
