import Foundation
import PerennialCore
import PerennialTestSupport
import Testing

@Suite struct QuintileScorerTests {
    @Test("1 + floor(5w/n), with w the number of strictly worse values")
    func tieRule() {
        // n = 5: w = 0, 1, 1, 3, 4 → 1, 2, 2, 4, 5.
        #expect(QuintileScorer.scores([10, 20, 20, 30, 40]) == [1, 2, 2, 4, 5])
        // Row order does not matter.
        #expect(QuintileScorer.scores([40, 20, 10, 30, 20]) == [5, 2, 1, 4, 2])
        // Smaller is better: w counts larger values. Recency 3, 3, 10, 50 → w = 2, 2, 1, 0 → n = 4: 1 + 10/4 = 3, 3, 2, 1.
        #expect(QuintileScorer.scoresSmallerIsBetter([3, 3, 10, 50]) == [3, 3, 2, 1])
        // All equal: everyone scores 1.
        #expect(QuintileScorer.scores([7, 7, 7]) == [1, 1, 1])
        #expect(QuintileScorer.scores([Int]()) == [])
    }

    @Test("ten distinct values fall two to a quintile")
    func distinct() {
        #expect(QuintileScorer.scores(Array(1...10)) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    }

    @Test("segment grid corners", arguments: [
        (RFMScore(r: 5, f: 5, m: 5), RFMSegment.champions), (RFMScore(r: 5, f: 1, m: 1), .new),
        (RFMScore(r: 1, f: 1, m: 1), .lost), (RFMScore(r: 1, f: 5, m: 5), .cantLose),
        (RFMScore(r: 4, f: 1, m: 1), .promising), (RFMScore(r: 3, f: 3, m: 3), .needAttention),
        (RFMScore(r: 3, f: 1, m: 2), .aboutToSleep), (RFMScore(r: 2, f: 3, m: 4), .atRisk),
        (RFMScore(r: 2, f: 1, m: 2), .hibernating), (RFMScore(r: 4, f: 4, m: 3), .loyal),
        (RFMScore(r: 4, f: 2, m: 3), .potentialLoyalist),
    ])
    func segments(_ score: RFMScore, _ segment: RFMSegment) {
        #expect(score.segment == segment)
    }
}

@Suite struct CalendarTests {
    @Test("day numbers round-trip and match known dates")
    func civil() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1).dayNumber == 11_017)
        #expect(CivilDate(dayNumber: 15_317) == CivilDate(year: 2011, month: 12, day: 9))
        for day in stride(from: -800_000, to: 800_000, by: 997) { #expect(CivilDate(dayNumber: day).dayNumber == day) }
        #expect(CivilDate(year: 2024, month: 2, day: 29).isValid && !CivilDate(year: 2023, month: 2, day: 29).isValid)
        #expect(CivilDate(year: 2011, month: 12, day: 5).isoWeekday == 1) // a Monday
    }

    @Test("buckets follow the store's time zone, across daylight saving")
    func zones() throws {
        let shanghai = try #require(StoreCalendar(identifier: "Asia/Shanghai"))
        // 2024-03-31T17:30Z is 01:30 on 1 April in Shanghai (UTC+8).
        #expect(shanghai.date(of: utc(2024, 3, 31, 17, 30)) == CivilDate(year: 2024, month: 4, day: 1))
        #expect(StoreCalendar.utc.date(of: utc(2024, 3, 31, 17, 30)) == CivilDate(year: 2024, month: 3, day: 31))
        let london = try #require(StoreCalendar(identifier: "Europe/London"))
        // Summer time: 23:30Z on 1 July is 00:30 on 2 July in London; winter: 23:30Z on 1 Jan stays 1 Jan.
        #expect(london.date(of: utc(2024, 7, 1, 23, 30)) == CivilDate(year: 2024, month: 7, day: 2))
        #expect(london.date(of: utc(2024, 1, 1, 23, 30)) == CivilDate(year: 2024, month: 1, day: 1))
        // Local 09:00 on 1 July 2024 in London is 08:00Z.
        #expect(london.instant(ofLocal: utc(2024, 7, 1, 9)) == utc(2024, 7, 1, 8))
        // The cached offsets agree with Foundation on every hour of 2011.
        for hour in stride(from: utc(2011, 1, 1), to: utc(2012, 1, 1), by: 3600) {
            let expected = Int64(TimeZone(identifier: "Europe/London")!.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour))))
            #expect(london.offset(at: hour) == expected)
        }
    }

    @Test("ISO weeks start on Monday; months are year × 12 + month − 1")
    func periods() {
        let monday = CivilDate(year: 2011, month: 12, day: 5).dayNumber
        #expect(CalendarPeriod.week.index(ofDay: monday) == CalendarPeriod.week.index(ofDay: monday + 6))
        #expect(CalendarPeriod.week.index(ofDay: monday) + 1 == CalendarPeriod.week.index(ofDay: monday + 7))
        #expect(CalendarPeriod.week.label(CalendarPeriod.week.index(ofDay: monday + 3)) == "2011-12-05")
        #expect(CalendarPeriod.month.label(CalendarPeriod.month.index(ofDay: monday)) == "2011-12")
    }
}

@Suite struct MoneyTests {
    @Test("line amounts round half away from zero to minor units")
    func lineAmount() {
        let gbp = Currency("GBP")
        #expect(Money.lineAmount(quantity: 6, unitPriceMillis: 2_550, currency: gbp) == 1_530)  // 6 × 2.55 = 15.30
        #expect(Money.lineAmount(quantity: 1, unitPriceMillis: 1, currency: gbp) == 0)          // 0.001 → 0.00
        #expect(Money.lineAmount(quantity: 5, unitPriceMillis: 1, currency: gbp) == 1)          // 0.005 → 0.01
        #expect(Money.lineAmount(quantity: -5, unitPriceMillis: 1, currency: gbp) == -1)        // −0.005 → −0.01
        #expect(Money.lineAmount(quantity: 3, unitPriceMillis: 1_500, currency: Currency("JPY")) == 5) // 4.5 yen → 5
        #expect(Money.format(-123_456, digits: 2) == "-1234.56")
        #expect(Money(minorUnits: 5, currency: gbp).description == "0.05 GBP")
    }
}
