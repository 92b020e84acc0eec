import Foundation
import PerennialCore
import PerennialReports

/// The dashboard's string tables (`Resources/en.json`, `Resources/zh_Hans.json`): every UI string by key.
public enum StringTables {
    /// The table of a language, parsed once.
    public static func table(_ language: Language) -> [String: String] {
        switch language {
        case .en: english
        case .zhHans: simplifiedChinese
        }
    }

    private static let english = parse(PackageResources.en_json)
    private static let simplifiedChinese = parse(PackageResources.zh_Hans_json)

    private static func parse(_ bytes: [UInt8]) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String]) ?? [:]
    }
}

/// Strings, numbers, money and dates in one language.
///
/// Numbers group thousands with commas in both languages (as both write them); money carries the
/// currency's symbol (`£`, `¥`, `$`, `€`) or its ISO code; months read `Jun 2024` or `2024年6月`.
public struct Localizer: Sendable {
    public let language: Language
    private let table: [String: String]

    public init(_ language: Language) {
        self.language = language
        table = StringTables.table(language)
    }

    /// The string of `key`; the key itself when the table lacks it (a test keeps the tables complete).
    public subscript(_ key: String) -> String { table[key] ?? key }

    /// The string of `key` with `{0}`, `{1}`, … replaced by `arguments`.
    public func format(_ key: String, _ arguments: String...) -> String {
        var text = self[key]
        for (i, argument) in arguments.enumerated() { text = text.replacingOccurrences(of: "{\(i)}", with: argument) }
        return text
    }

    /// `12345` → `12,345`.
    public func count(_ value: Int) -> String { Formatting.count(value) }

    /// A fraction as a percentage with one decimal.
    public func percent(_ value: Double) -> String { Formatting.percent(value) }

    /// A decimal number.
    public func decimal(_ value: Double, places: Int = 1) -> String { Formatting.decimal(value, places: places) }

    /// The symbol written before amounts of a currency.
    public static func symbol(_ currency: Currency) -> String {
        switch currency.code {
        case "GBP": "£"
        case "CNY", "JPY": "¥"
        case "USD": "$"
        case "EUR": "€"
        case "HKD": "HK$"
        default: currency.code + " "
        }
    }

    /// Minor units as money with the currency's symbol: `£1,080.00`.
    public func money(_ minor: Int64, _ currency: Currency) -> String {
        let plain = Formatting.money(minor, currency)
        return plain.hasPrefix("-") ? "-" + Self.symbol(currency) + plain.dropFirst() : Self.symbol(currency) + plain
    }

    /// A fractional number of minor units as money.
    public func money(_ minor: Double, _ currency: Currency) -> String { money(Money.minorUnits(rounding: minor), currency) }

    /// Major units as money (predictions are in major units).
    public func money(major: Double, _ currency: Currency) -> String {
        money(Money.minorUnits(rounding: major * Double(currency.minorPerMajor)), currency)
    }

    /// Money rounded to whole major units, for chart labels: `£1,080`.
    public func wholeMoney(major: Double, _ currency: Currency) -> String {
        let value = Money.minorUnits(rounding: major)
        return (value < 0 ? "-" : "") + Self.symbol(currency) + Formatting.count(Int(clamping: value.magnitude))
    }

    /// A month label `2024-06` as `Jun 2024` or `2024年6月`.
    public func month(_ label: String) -> String {
        let parts = label.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return label }
        switch language {
        case .en: return "\(Self.monthNames[month - 1]) \(year)"
        case .zhHans: return "\(year)年\(month)月"
        }
    }

    /// A short month label for axes: `Jun` / `6月`, with the year at January and at the first point.
    public func shortMonth(_ label: String, withYear: Bool) -> String {
        let parts = label.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return label }
        switch language {
        case .en: return withYear ? "\(Self.monthNames[month - 1]) \(year % 100 < 10 ? "0" : "")\(year % 100)" : Self.monthNames[month - 1]
        case .zhHans: return withYear ? "\(year % 100)年\(month)月" : "\(month)月"
        }
    }

    /// A calendar date as `2024-06-25` or `2024年6月25日`.
    public func date(_ date: CivilDate) -> String {
        switch language {
        case .en: return date.description
        case .zhHans: return "\(date.year)年\(date.month)月\(date.day)日"
        }
    }

    /// An instant as a local date and time.
    public func dateTime(_ seconds: Int64, _ calendar: StoreCalendar) -> String {
        let text = Formatting.local(seconds, calendar)
        switch language {
        case .en: return text
        case .zhHans:
            let parts = text.split(separator: " ")
            return date(calendar.date(of: seconds)) + " " + (parts.last.map(String.init) ?? "")
        }
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
