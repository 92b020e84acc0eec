#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Remembers the last bytes seen in a column and what they parsed to: consecutive lines of one order
/// repeat their order id, customer and timestamp, so most rows skip the parse and the string copy.
final class RepeatCache<Value> {
    private let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    // Used by one reader's thread only: no dynamic exclusivity checks on the per-field path.
    @exclusivity(unchecked) private var count = -1
    @exclusivity(unchecked) private var value: Value?

    deinit { bytes.deallocate() }

    /// The parsed value of `field`, from the cache when the field repeats the previous one.
    func value(for field: UnsafeBufferPointer<UInt8>, parse: (UnsafeBufferPointer<UInt8>) -> Value) -> Value {
        if field.count == count, let value, count == 0 || memcmp(bytes, field.baseAddress!, count) == 0 {
            return value
        }
        let parsed = parse(field)
        if field.count <= 64 {
            if field.count > 0 { bytes.update(from: field.baseAddress!, count: field.count) }
            count = field.count
            value = parsed
        } else {
            count = -1
        }
        return parsed
    }
}
