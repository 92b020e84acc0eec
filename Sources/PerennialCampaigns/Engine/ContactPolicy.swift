import PerennialCore

/// The store-wide rules every campaign's messages obey.
public struct ContactPolicy: Sendable, Hashable {
    /// Marketing messages a customer may get in any 24 hours, and in any 7 days; transactional
    /// messages are exempt and do not count.
    public var perDay: Int
    public var perWeek: Int
    /// Quiet hours in the customer's local time: from `quietStart` to `quietEnd` (hours, 0–23;
    /// `21` to `9` spans midnight). Messages due then wait until `quietEnd`.
    public var quietStart: Int
    public var quietEnd: Int
    /// The time zone of customers whose own is unknown.
    public var defaultTimeZone: String

    public init(perDay: Int = 1, perWeek: Int = 3, quietStart: Int = 21, quietEnd: Int = 9, defaultTimeZone: String = "UTC") {
        self.perDay = perDay
        self.perWeek = perWeek
        self.quietStart = quietStart
        self.quietEnd = quietEnd
        self.defaultTimeZone = defaultTimeZone
    }

    /// Whether a local hour is quiet.
    public func isQuiet(hour: Int) -> Bool {
        quietStart == quietEnd ? false : quietStart < quietEnd ? (hour >= quietStart && hour < quietEnd) : (hour >= quietStart || hour < quietEnd)
    }

    /// The first instant at or after `instant` outside quiet hours in a calendar (the quiet end of the
    /// same or the next local day); `instant` itself when it is not quiet.
    public func nextAllowed(after instant: Int64, in calendar: StoreCalendar) -> Int64 {
        let local = instant + calendar.offset(at: instant)
        let day = StoreCalendar.floorDiv(local, 86_400)
        let hour = Int((local - Int64(day) * 86_400) / 3600)
        guard isQuiet(hour: hour) else { return instant }
        // Quiet from quietStart to midnight: the end is tomorrow; from midnight (or a same-day span): today.
        let endDay = (quietStart > quietEnd && hour >= quietStart) ? day + 1 : day
        return calendar.startOfDay(endDay) + Int64(quietEnd) * 3600
    }
}
