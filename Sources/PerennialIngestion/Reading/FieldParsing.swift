/// Fast parsers for the numbers, decimals and identifiers found in order exports, reading bytes in
/// place (no intermediate strings).
public enum FieldParsing {
    /// Removes leading and trailing spaces and tabs.
    @inlinable
    public static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var s = 0, e = bytes.count
        while s < e && (bytes[s] == 0x20 || bytes[s] == 0x09) { s += 1 }
        while e > s && (bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09) { e -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[s..<e])
    }

    /// Reads an optional leading `-` or `+`: whether the number is negative and where its digits start;
    /// `nil` for empty bytes.
    static func sign(_ bytes: UnsafeBufferPointer<UInt8>) -> (negative: Bool, start: Int)? {
        guard let first = bytes.first else { return nil }
        if first == UInt8(ascii: "-") { return (true, 1) }
        return (false, first == UInt8(ascii: "+") ? 1 : 0)
    }

    /// An integer such as `-12` or `+3`; a zero fraction (`6.0`, as float-typed exports write) is accepted.
    public static func integer(_ raw: UnsafeBufferPointer<UInt8>) -> Int64? {
        let bytes = trimmed(raw)
        guard let signed = sign(bytes), signed.start < bytes.count else { return nil }
        let negative = signed.negative
        var i = signed.start
        var value: Int64 = 0
        var digits = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            guard digits < 18 else { return nil }
            value = value * 10 + Int64(bytes[i] - 0x30)
            digits += 1
            i += 1
        }
        guard digits > 0 else { return nil }
        if i < bytes.count {
            guard bytes[i] == UInt8(ascii: ".") else { return nil }
            i += 1
            while i < bytes.count { guard bytes[i] == 0x30 else { return nil }; i += 1 }
        }
        return negative ? -value : value
    }

    /// A decimal such as `2.55`, `-0.001` or `12` in thousandths (`2550`); a fourth decimal and beyond
    /// round half away from zero. Exponents and thousands separators are rejected.
    public static func millis(_ raw: UnsafeBufferPointer<UInt8>) -> Int64? {
        let bytes = trimmed(raw)
        guard let signed = sign(bytes) else { return nil }
        let negative = signed.negative
        var i = signed.start
        var whole: Int64 = 0, digits = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            guard digits < 15 else { return nil }
            whole = whole * 10 + Int64(bytes[i] - 0x30)
            digits += 1
            i += 1
        }
        var fraction: Int64 = 0, fractionDigits = 0, roundUp = false
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                if fractionDigits < 3 {
                    fraction = fraction * 10 + Int64(bytes[i] - 0x30)
                } else if fractionDigits == 3 {
                    roundUp = bytes[i] >= 0x35
                }
                fractionDigits += 1
                digits += 1
                i += 1
            }
        }
        guard digits > 0, i == bytes.count else { return nil }
        for _ in min(fractionDigits, 3)..<3 { fraction *= 10 }
        let value = whole * 1000 + fraction + (roundUp ? 1 : 0)
        return negative ? -value : value
    }

    /// A customer or order id: trimmed, and a float export's `17850.0` read as `17850`. Empty gives `nil`.
    public static func identifier(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var bytes = trimmed(raw)
        guard !bytes.isEmpty else { return nil }
        if bytes.count > 2, bytes[bytes.count - 2] == UInt8(ascii: "."), bytes[bytes.count - 1] == 0x30,
           bytes[0..<(bytes.count - 2)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            bytes = UnsafeBufferPointer(rebasing: bytes[0..<(bytes.count - 2)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the bytes equal an ASCII string.
    @inlinable
    public static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let pointer = text.utf8Start
        for i in 0..<bytes.count where bytes[i] != pointer[i] { return false }
        return true
    }
}
