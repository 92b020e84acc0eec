import PerennialCore

/// Number, money, percentage and time formatting for text output.
public enum Formatting {
    /// `1234567` → `1,234,567`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Minor units as a grouped decimal: `974774793` → `9,747,747.93`.
    public static func money(_ minor: Int64, _ currency: Currency) -> String {
        let plain = Money.format(minor, digits: currency.minorDigits)
        let negative = plain.hasPrefix("-")
        let body = negative ? String(plain.dropFirst()) : plain
        let parts = body.split(separator: ".", maxSplits: 1)
        let whole = count(Int(parts[0]) ?? 0)
        return (negative ? "-" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A money amount given as a (fractional) number of minor units.
    public static func money(_ minor: Double, _ currency: Currency) -> String {
        money(Money.minorUnits(rounding: minor), currency)
    }

    /// Thousandths of a major unit with two decimals, rounded half away from zero: `9747747934` → `9,747,747.93`.
    public static func thousandths(_ millis: Int64) -> String {
        let hundredths = millis / 10 + (millis % 10 >= 5 ? 1 : (millis % 10 <= -5 ? -1 : 0))
        return money(hundredths, Currency("USD"))
    }

    /// `0.6557` → `65.6%`.
    public static func percent(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return value.isNaN ? "–" : (value < 0 ? "-∞%" : "∞%") }
        let tenths = Int((value * 1000).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)%"
    }

    /// A number with one decimal.
    public static func decimal(_ value: Double, places: Int = 1) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        // Past about 9.2 × 10^18 the scaled value has no Int; such figures come only from absurd data.
        guard value.isFinite, abs(value * scale) < 9.2e18 else { return value.isNaN ? "–" : (value < 0 ? "-∞" : "∞") }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale), fraction = abs(scaled % Int(scale))
        let text = String(fraction)
        return (value < 0 && whole == 0 ? "-" : "") + String(whole) + "." + String(repeating: "0", count: places - text.count) + text
    }

    /// An instant as `2011-12-09T12:50:00Z`.
    public static func iso(_ seconds: Int64) -> String {
        let day = StoreCalendar.floorDiv(seconds, 86_400)
        let rest = Int(seconds - Int64(day) * 86_400)
        return "\(CivilDate(dayNumber: day))T\(pad(rest / 3600)):\(pad(rest / 60 % 60)):\(pad(rest % 60))Z"
    }

    /// An instant as local `2011-12-09 12:50` in a calendar.
    public static func local(_ seconds: Int64, _ calendar: StoreCalendar) -> String {
        let local = seconds + calendar.offset(at: seconds)
        let day = StoreCalendar.floorDiv(local, 86_400)
        let rest = Int(local - Int64(day) * 86_400)
        return "\(CivilDate(dayNumber: day)) \(pad(rest / 3600)):\(pad(rest / 60 % 60))"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// A plain-text table with aligned columns: text left, numbers right.
public struct TextTable {
    public var headers: [String]
    public var rows: [[String]] = []
    /// Columns aligned left (the others align right).
    public var leftColumns: Set<Int> = [0]

    public init(_ headers: [String], leftColumns: Set<Int> = [0]) {
        self.headers = headers
        self.leftColumns = leftColumns
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func render(indent: String = "  ") -> String {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: max(0, widths[i] - cell.count))
                parts.append(leftColumns.contains(i) ? cell + padding : padding + cell)
            }
            var text = indent + parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
