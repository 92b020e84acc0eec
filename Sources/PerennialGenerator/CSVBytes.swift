import PerennialCore

/// A byte buffer that formats CSV rows of the generator without going through `String`.
struct CSVBytes {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 21) }

    var count: Int { bytes.count }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }

    mutating func pad2(_ value: Int) {
        bytes.append(UInt8(0x30 + value / 10))
        bytes.append(UInt8(0x30 + value % 10))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    mutating func timestamp(_ seconds: Int64) {
        let day = StoreCalendar.floorDiv(seconds, 86_400)
        let date = CivilDate(dayNumber: day)
        let rest = Int(seconds - Int64(day) * 86_400)
        append(Int64(date.year)); bytes.append(UInt8(ascii: "-")); pad2(date.month); bytes.append(UInt8(ascii: "-")); pad2(date.day)
        bytes.append(UInt8(ascii: "T")); pad2(rest / 3600); bytes.append(UInt8(ascii: ":")); pad2(rest / 60 % 60)
        bytes.append(UInt8(ascii: ":")); pad2(rest % 60); bytes.append(UInt8(ascii: "Z"))
    }

    /// A price in thousandths as a decimal with two places (`49900` → `49.90`).
    mutating func price(_ millis: Int64) {
        append(millis / 1000)
        bytes.append(UInt8(ascii: "."))
        pad2(Int((millis % 1000) / 10))
    }

    mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    mutating func row(_ order: String, _ customer: String, _ placed: Int64, _ item: some CatalogLike, _ quantity: Int,
                      _ currency: String, _ channel: String, _ country: String, _ kind: String) {
        append(order); comma(); append(customer); comma(); timestamp(placed); comma()
        append(item.sku); comma(); append(item.name); comma(); append(item.category); comma()
        append(Int64(quantity)); comma(); price(item.priceMillis); comma(); append(currency); comma()
        append(channel); comma(); append(country); comma(); append(kind); bytes.append(UInt8(ascii: "\n"))
    }

    mutating func flush(_ write: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { try write($0) }
        bytes.removeAll(keepingCapacity: true)
    }
}

/// What a row needs of a catalog item.
protocol CatalogLike {
    var sku: String { get }
    var name: String { get }
    var category: String { get }
    var priceMillis: Int64 { get }
}
