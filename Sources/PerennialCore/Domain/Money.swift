/// An ISO 4217 currency code with the number of digits in its minor unit.
///
/// ```swift
/// let gbp = Currency("GBP")     // 2 minor digits: amounts are in pence
/// let jpy = Currency("JPY")     // 0 minor digits: amounts are in yen
/// ```
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three-letter upper-case code, for example `GBP`.
    public let code: String
    /// Digits after the decimal point in the currency's minor unit (2 for GBP and USD, 0 for JPY).
    public let minorDigits: Int

    /// Creates a currency from its code; the minor-unit digits come from ISO 4217 (2 when unlisted).
    public init(_ code: String) {
        let upper = code.uppercased()
        self.code = upper
        self.minorDigits = Currency.zeroDigitCodes.contains(upper) ? 0 : (Currency.threeDigitCodes.contains(upper) ? 3 : 2)
    }

    /// The number of minor units in one major unit (100 for GBP).
    public var minorPerMajor: Int64 {
        var value: Int64 = 1
        for _ in 0..<minorDigits { value *= 10 }
        return value
    }

    public var description: String { code }

    private static let zeroDigitCodes: Set<String> = ["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG"]
    private static let threeDigitCodes: Set<String> = ["BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD"]
}

/// An amount of money as an integer number of minor units (pence, cents, fen) in one currency.
///
/// Money is never a floating-point number in storage or arithmetic; analytics convert to `Double` only
/// for ratios and display.
public struct Money: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The amount in minor units; negative for refunds and cancellations.
    public var minorUnits: Int64
    /// The currency of the amount.
    public var currency: Currency

    /// Creates an amount from minor units.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// The amount in major units, for display and ratios.
    public var majorUnits: Double { Double(minorUnits) / Double(currency.minorPerMajor) }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    /// The amount formatted with its minor digits and code, for example `1234.50 GBP`.
    public var description: String { "\(Money.format(minorUnits, digits: currency.minorDigits)) \(currency.code)" }

    /// Formats minor units as a plain decimal string with `digits` decimals (`-1234.5` → `-12.35` for 2).
    public static func format(_ minorUnits: Int64, digits: Int) -> String {
        guard digits > 0 else { return String(minorUnits) }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        let whole = magnitude / UInt64(scale)
        let fraction = String(magnitude % UInt64(scale))
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

extension Money {
    /// The amount of a line, `quantity × unitPrice`, in minor units, rounded half away from zero; the unit
    /// price is given in thousandths of a major unit (`2.55` GBP is `2550`).
    ///
    /// Prices in real exports carry up to three decimals (Online Retail has `0.001` GBP prices); keeping
    /// them exact until the line total is formed loses at most half a minor unit per line.
    public static func lineAmount(quantity: Int64, unitPriceMillis: Int64, currency: Currency) -> Int64 {
        let product = quantity * unitPriceMillis // in 1/1000 major units
        let minorPerMajor = currency.minorPerMajor
        // Convert 1/1000 major units to minor units: multiply by minorPerMajor / 1000.
        let numerator = product * minorPerMajor
        let divisor: Int64 = 1000
        let quotient = numerator / divisor
        let remainder = numerator % divisor
        if remainder.magnitude * 2 >= UInt64(divisor) {
            return quotient + (numerator < 0 ? -1 : 1)
        }
        return quotient
    }
}
