import Foundation

/// Buckets UTC instants into calendar days, ISO weeks and months in the store's time zone.
///
/// Timestamps are stored as UTC seconds; every "day", "week" and "month" of an analysis is a calendar
/// bucket in the store's zone (for example `Asia/Shanghai`). A zone's daylight-saving transitions from
/// 1970 to 2100 are read once, so bucketing an instant costs a binary search, not a time-zone lookup.
public struct StoreCalendar: Sendable {
    /// The store's time zone.
    public let timeZone: TimeZone
    /// The zone's identifier as given (`UTC`, `Europe/London`).
    public let identifier: String
    private let fixedOffset: Int64?
    /// Transition instants (ascending) and the offset in force from each one on.
    private let transitions: [Int64]
    private let offsets: [Int64]
    private let initialOffset: Int64

    /// The calendar of a time zone.
    public init(timeZone: TimeZone, identifier: String? = nil) {
        self.timeZone = timeZone
        self.identifier = identifier ?? timeZone.identifier
        // A zone without transitions in the years we meet has one offset for every instant.
        let probe = Date(timeIntervalSince1970: 0)
        initialOffset = Int64(timeZone.secondsFromGMT(for: probe))
        var transitions: [Int64] = []
        var offsets: [Int64] = []
        var cursor = probe
        let end = Date(timeIntervalSince1970: 4_102_444_800) // 2100-01-01
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            transitions.append(Int64(next.timeIntervalSince1970))
            offsets.append(Int64(timeZone.secondsFromGMT(for: next)))
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
        fixedOffset = transitions.isEmpty ? initialOffset : nil
    }

    /// The UTC calendar.
    public static let utc = StoreCalendar(timeZone: TimeZone(identifier: "UTC")!, identifier: "UTC")

    /// Creates the calendar of a zone identifier such as `Europe/London`, or `nil` when it is unknown.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(timeZone: zone, identifier: identifier)
    }

    /// Seconds east of UTC at an instant.
    public func offset(at seconds: Int64) -> Int64 {
        if let fixedOffset { return fixedOffset }
        guard seconds >= 0, let last = transitions.last, seconds < last + 366 * 86_400 else {
            return Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        }
        // The last transition at or before `seconds`.
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= seconds { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? initialOffset : offsets[low - 1]
    }

    /// The day number (days since 1970-01-01) of an instant in the store's zone.
    public func dayNumber(of seconds: Int64) -> Int {
        StoreCalendar.floorDiv(seconds + offset(at: seconds), 86_400)
    }

    /// The calendar date of an instant in the store's zone.
    public func date(of seconds: Int64) -> CivilDate { CivilDate(dayNumber: dayNumber(of: seconds)) }

    /// The UTC instant at which a local wall-clock time occurs in this zone (the earlier one when a
    /// daylight-saving change repeats it).
    public func instant(ofLocal localSeconds: Int64) -> Int64 {
        if let fixedOffset { return localSeconds - fixedOffset }
        // Two passes converge for every real zone: guess with the offset at the local time as if UTC.
        var guess = localSeconds - offset(at: localSeconds)
        guess = localSeconds - offset(at: guess)
        return guess
    }

    /// The UTC instant of the start of a day in the store's zone.
    public func startOfDay(_ dayNumber: Int) -> Int64 { instant(ofLocal: Int64(dayNumber) * 86_400) }

    /// Floor division that rounds toward negative infinity.
    @inlinable
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int {
        let q = a / b
        return Int((a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q)
    }
}

/// A calendar period used for cohorts and series.
public enum CalendarPeriod: String, Sendable, CaseIterable, Codable {
    /// ISO weeks, Monday to Sunday.
    case week
    /// Calendar months.
    case month

    /// The period index of a day number: ISO-week index (weeks since the Monday 1969-12-29) or month
    /// number (`year × 12 + month − 1`).
    public func index(ofDay day: Int) -> Int {
        switch self {
        case .week: StoreCalendar.floorDiv(Int64(day + 3), 7)
        case .month: CivilDate(dayNumber: day).monthNumber
        }
    }

    /// A label for a period index: `2011-03` for months, the Monday `2011-03-07` for weeks.
    public func label(_ index: Int) -> String {
        switch self {
        case .week: CivilDate(dayNumber: index * 7 - 3).description
        case .month: CivilDate.monthLabel(index)
        }
    }
}
