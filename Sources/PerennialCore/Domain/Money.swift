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
    /// The largest magnitude of an order line's amount, an order's total or a refund, in minor units:
    /// 10^15 (ten trillion pounds, dollars or yuan; a thousand trillion yen). Anything beyond is rejected
    /// where it enters (API, CSV, JSON file) with its field named, so sums of stored amounts stay far
    /// from the limits of 64-bit integers.
    public static let maximumMinorUnits: Int64 = 1_000_000_000_000_000
    /// The largest magnitude of a line's quantity: 10^9 units.
    public static let maximumQuantity: Int64 = 1_000_000_000
    /// The largest magnitude of a unit price, in thousandths of a major unit (10^15 major units).
    public static let maximumUnitPriceMillis: Int64 = 1_000_000_000_000_000_000

    /// Whether an amount in minor units is within ``maximumMinorUnits``.
    @inlinable
    public static func isWithinLimit(_ minorUnits: Int64) -> Bool {
        minorUnits >= -maximumMinorUnits && minorUnits <= maximumMinorUnits
    }

    /// The amount of a line, `quantity × unitPrice`, in minor units, rounded half away from zero; the unit
    /// price is given in thousandths of a major unit (`2.55` GBP is `2550`). `nil` when the quantity, the
    /// price or the amount is beyond its maximum (``maximumQuantity``, ``maximumUnitPriceMillis``,
    /// ``maximumMinorUnits``): the caller rejects the line and names the field.
    ///
    /// Prices in real exports carry up to three decimals (Online Retail has `0.001` GBP prices); keeping
    /// them exact until the line total is formed loses at most half a minor unit per line.
    ///
    /// ```swift
    /// Money.lineAmount(quantity: 3, unitPriceMillis: 2_550, currency: Currency("GBP"))   // 765
    /// Money.lineAmount(quantity: 9_000_000_000, unitPriceMillis: 1_000, currency: Currency("GBP"))   // nil
    /// ```
    public static func lineAmount(quantity: Int64, unitPriceMillis: Int64, currency: Currency) -> Int64? {
        guard quantity.magnitude <= maximumQuantity.magnitude, unitPriceMillis.magnitude <= maximumUnitPriceMillis.magnitude else { return nil }
        // In 1/1000 major units, then minor units: multiply by minorPerMajor / 1000, with 128-bit room.
        let (high, low) = quantity.multipliedFullWidth(by: unitPriceMillis)
        let product = (Int128(high) << 64) | Int128(low)
        let numerator = product * Int128(currency.minorPerMajor)
        var quotient = numerator / 1000
        let remainder = numerator % 1000
        if remainder.magnitude * 2 >= 1000 { quotient += numerator < 0 ? -1 : 1 }
        guard quotient.magnitude <= UInt128(maximumMinorUnits) else { return nil }
        return Int64(quotient)
    }
}

extension Money {
    /// A floating-point amount (a prediction, an average) as whole minor units, rounded; held at the
    /// limits of `Int64` when beyond them, and 0 for NaN, so formatting a model's output never traps.
    public static func minorUnits(rounding value: Double) -> Int64 {
        guard !value.isNaN else { return 0 }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value.rounded())
    }
}

extension FixedWidthInteger where Self: SignedInteger {
    /// The sum, held at `max` or `min` instead of trapping when it would overflow.
    ///
    /// Store-wide and per-customer totals add amounts that are each within ``Money/maximumMinorUnits``;
    /// only billions of maximal orders could reach the limit, and loading such a store must still work.
    @inlinable
    public func clampedAdding(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
