import PerennialCore

/// Builds instants for tests from calendar fields, in UTC.
public func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Int64 {
    Int64(CivilDate(year: year, month: month, day: day).dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
}
