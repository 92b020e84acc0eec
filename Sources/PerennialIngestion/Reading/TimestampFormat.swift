import PerennialCore

/// How a timestamp column is written.
///
/// - `auto`: ISO 8601 (`2011-12-09 12:50:00`, `2011-12-09T12:50:00Z`, `…+08:00`, fractional seconds),
///   US spreadsheet dates (`12/9/2011 12:50`), or compact dates (`20111209`).
/// - `unix`, `unix-ms`: seconds or milliseconds since 1970 UTC.
/// - a pattern with `%Y %m %d %H %M %S %y %b` and literal characters, for example `%d.%m.%Y %H:%M`.
///
/// Timestamps without an offset are wall-clock times in the source time zone.
public enum TimestampFormat: Sendable, Equatable {
    case auto
    case unixSeconds
    case unixMilliseconds
    case pattern([PatternToken])

    /// One element of a pattern.
    public enum PatternToken: Sendable, Equatable {
        case year4, year2, month, monthName, day, hour, minute, second
        case literal(UInt8)
    }

    /// Parses a `--timestamp-format` value.
    public init(_ text: String) throws {
        switch text.lowercased() {
        case "auto", "iso8601", "iso-8601": self = .auto
        case "unix", "epoch", "unix-s": self = .unixSeconds
        case "unix-ms", "epoch-ms": self = .unixMilliseconds
        default:
            var tokens: [PatternToken] = []
            var bytes = Array(text.utf8)[...]
            while let byte = bytes.popFirst() {
                guard byte == UInt8(ascii: "%") else { tokens.append(.literal(byte)); continue }
                guard let code = bytes.popFirst() else { throw IngestionError.invalidTimestampFormat("'\(text)' ends with a lone %") }
                switch code {
                case UInt8(ascii: "Y"): tokens.append(.year4)
                case UInt8(ascii: "y"): tokens.append(.year2)
                case UInt8(ascii: "m"): tokens.append(.month)
                case UInt8(ascii: "b"): tokens.append(.monthName)
                case UInt8(ascii: "d"): tokens.append(.day)
                case UInt8(ascii: "H"): tokens.append(.hour)
                case UInt8(ascii: "M"): tokens.append(.minute)
                case UInt8(ascii: "S"): tokens.append(.second)
                case UInt8(ascii: "%"): tokens.append(.literal(code))
                default:
                    throw IngestionError.invalidTimestampFormat("'%\(Character(Unicode.Scalar(code)))' in '\(text)' is not supported; use %Y %y %m %b %d %H %M %S, or auto, unix, unix-ms")
                }
            }
            guard tokens.contains(.year4) || tokens.contains(.year2) else {
                throw IngestionError.invalidTimestampFormat("'\(text)' has no year (%Y or %y)")
            }
            self = .pattern(tokens)
        }
    }

    /// Reads a timestamp from a string.
    public func parse(_ text: String, calendar: StoreCalendar) -> Int64? {
        var copy = text
        return copy.withUTF8 { parse($0, calendar: calendar) }
    }

    /// Reads a timestamp as an instant (seconds since 1970 UTC), or `nil` when the text does not match.
    public func parse(_ raw: UnsafeBufferPointer<UInt8>, calendar: StoreCalendar) -> Int64? {
        let bytes = FieldParsing.trimmed(raw)
        guard !bytes.isEmpty else { return nil }
        switch self {
        case .unixSeconds: return FieldParsing.integer(bytes)
        case .unixMilliseconds: return FieldParsing.integer(bytes).map { $0 / 1000 }
        case .auto:
            var scanner = TimestampScanner(bytes)
            return scanner.auto(calendar: calendar)
        case .pattern(let tokens):
            var scanner = TimestampScanner(bytes)
            return scanner.pattern(tokens, calendar: calendar)
        }
    }
}

/// A cursor over timestamp bytes.
struct TimestampScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { i >= bytes.count }

    mutating func number(minDigits: Int, maxDigits: Int) -> Int? {
        var value = 0, digits = 0
        while i < bytes.count, digits < maxDigits, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            value = value * 10 + Int(bytes[i] - 0x30)
            digits += 1
            i += 1
        }
        return digits >= minDigits ? value : nil
    }

    mutating func expect(_ byte: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    /// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH[:MM]]`, `M/D/YYYY[ H:MM[:SS]]` or `YYYYMMDD`.
    mutating func auto(calendar: StoreCalendar) -> Int64? {
        let slash = bytes.contains(UInt8(ascii: "/"))
        var year: Int, month: Int, day: Int
        if slash {
            guard let m = number(minDigits: 1, maxDigits: 2), expect(UInt8(ascii: "/")),
                  let d = number(minDigits: 1, maxDigits: 2), expect(UInt8(ascii: "/")),
                  let y = number(minDigits: 4, maxDigits: 4) else { return nil }
            (year, month, day) = (y, m, d)
        } else if bytes.count == 8 {
            guard let y = number(minDigits: 4, maxDigits: 4), let m = number(minDigits: 2, maxDigits: 2),
                  let d = number(minDigits: 2, maxDigits: 2) else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            guard let y = number(minDigits: 4, maxDigits: 4), expect(UInt8(ascii: "-")),
                  let m = number(minDigits: 1, maxDigits: 2), expect(UInt8(ascii: "-")),
                  let d = number(minDigits: 1, maxDigits: 2) else { return nil }
            (year, month, day) = (y, m, d)
        }
        var hour = 0, minute = 0, second = 0
        if !atEnd {
            guard expect(UInt8(ascii: "T")) || expect(UInt8(ascii: " ")) else { return nil }
            while expect(UInt8(ascii: " ")) {}
            guard let h = number(minDigits: 1, maxDigits: 2), expect(UInt8(ascii: ":")),
                  let mi = number(minDigits: 2, maxDigits: 2) else { return nil }
            (hour, minute) = (h, mi)
            if expect(UInt8(ascii: ":")) {
                guard let s = number(minDigits: 2, maxDigits: 2) else { return nil }
                second = s
                if expect(UInt8(ascii: ".")) || expect(UInt8(ascii: ",")) {
                    guard number(minDigits: 1, maxDigits: 9) != nil else { return nil }
                }
            }
        }
        var offset: Int?
        if !atEnd {
            if expect(UInt8(ascii: "Z")) || expect(UInt8(ascii: "z")) {
                offset = 0
            } else {
                let sign: Int
                if expect(UInt8(ascii: "+")) { sign = 1 } else if expect(UInt8(ascii: "-")) { sign = -1 } else { return nil }
                guard let oh = number(minDigits: 2, maxDigits: 2) else { return nil }
                _ = expect(UInt8(ascii: ":"))
                let om = number(minDigits: 2, maxDigits: 2) ?? 0
                offset = sign * (oh * 3600 + om * 60)
            }
            guard atEnd else { return nil }
        }
        return Self.instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                            offset: offset, calendar: calendar)
    }

    mutating func pattern(_ tokens: [TimestampFormat.PatternToken], calendar: StoreCalendar) -> Int64? {
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0
        for token in tokens {
            switch token {
            case .year4: guard let v = number(minDigits: 4, maxDigits: 4) else { return nil }; year = v
            case .year2: guard let v = number(minDigits: 2, maxDigits: 2) else { return nil }; year = 2000 + v
            case .month: guard let v = number(minDigits: 1, maxDigits: 2) else { return nil }; month = v
            case .monthName: guard let v = monthName() else { return nil }; month = v
            case .day: guard let v = number(minDigits: 1, maxDigits: 2) else { return nil }; day = v
            case .hour: guard let v = number(minDigits: 1, maxDigits: 2) else { return nil }; hour = v
            case .minute: guard let v = number(minDigits: 2, maxDigits: 2) else { return nil }; minute = v
            case .second: guard let v = number(minDigits: 2, maxDigits: 2) else { return nil }; second = v
            case .literal(let byte): guard expect(byte) else { return nil }
            }
        }
        guard atEnd else { return nil }
        return Self.instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                            offset: nil, calendar: calendar)
    }

    mutating func monthName() -> Int? {
        guard i + 3 <= bytes.count else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + 3)]), as: UTF8.self).lowercased()
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard let index = names.firstIndex(of: name) else { return nil }
        i += 3
        return index + 1
    }

    static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int?,
                        calendar: StoreCalendar) -> Int64? {
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid, hour < 24, minute < 60, second < 61 else { return nil }
        let local = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        if let offset { return local - Int64(offset) }
        return calendar.instant(ofLocal: local)
    }
}
