/// A span of time written as a number and a unit: `30m`, `4h`, `3d`, `2w` (minutes, hours, days,
/// weeks), as campaign definitions write waits, windows and expiries.
public struct Span: Sendable, Hashable, CustomStringConvertible {
    /// The span in seconds.
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    /// Parses `30m`, `4h`, `3d`, `2w`; `nil` for anything else (a missing unit, zero, a negative number).
    public init?(_ text: String) {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0 else { return nil }
        switch unit {
        case "m": seconds = value * 60
        case "h": seconds = value * 3600
        case "d": seconds = value * 86_400
        case "w": seconds = value * 7 * 86_400
        default: return nil
        }
    }

    public static func days(_ days: Int64) -> Span { Span(seconds: days * 86_400) }
    public static func hours(_ hours: Int64) -> Span { Span(seconds: hours * 3600) }

    public var description: String {
        if seconds % (7 * 86_400) == 0 { return "\(seconds / (7 * 86_400))w" }
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        return "\(seconds / 60)m"
    }
}
