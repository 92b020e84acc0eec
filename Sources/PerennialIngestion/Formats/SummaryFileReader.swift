import PerennialCore

/// A per-customer model summary in the columns lifetimes uses: `frequency`, `recency`, `T`, and
/// optionally `monetary_value`, `periods` (discrete opportunities, for BG/BB) and `weights` (customers
/// per row). Extra columns (an id) are ignored.
public struct CustomerSummaryFile: Sendable {
    /// Repeat purchases.
    public var frequency: [Double] = []
    /// Recency (time of the last purchase after the first).
    public var recency: [Double] = []
    /// Age T; for discrete data, the number of opportunities when `periods` is absent.
    public var age: [Double] = []
    /// Mean repeat-purchase value, when the file has it.
    public var monetaryValue: [Double]?
    /// Opportunities per customer (BG/BB), when the file has them.
    public var periods: [Double]?
    /// Customers per row, when the file has them (1 otherwise).
    public var weights: [Double]?
    /// Rows rejected, with line numbers and reasons.
    public var problems: [(line: Int, reason: String)] = []

    /// Reads a summary file (CSV, optionally gzip-compressed).
    /// - Throws: ``IngestionError`` when the file cannot be read or lacks `frequency`/`recency`.
    public init(path: String) throws {
        let records = try RecordReader(source: try ByteSource(path: path))
        guard try records.next() else { throw IngestionError.emptyFile(path: path) }
        let header = HeaderIndex(records)
        let fx = header.column("frequency"), fr = header.column("recency")
        let ft = header.column("T"), fm = header.column("monetary_value"), fp = header.column("periods", "n_periods"), fw = header.column("weights", "weight")
        guard let fx, let fr, ft != nil || fp != nil else {
            let missing = [fx == nil ? "frequency" : nil, fr == nil ? "recency" : nil, (ft == nil && fp == nil) ? "T (or periods)" : nil].compactMap { $0 }
            throw IngestionError.missingColumns(missing: missing, found: header.names, format: "customer summary")
        }
        if fm != nil { monetaryValue = [] }
        if fp != nil { periods = [] }
        if fw != nil { weights = [] }
        while try records.next() {
            func number(_ column: Int, _ name: String) -> Double? {
                let bytes = FieldParsing.trimmed(records.field(column))
                guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite, value >= 0 else {
                    problems.append((records.lineNumber, "\(name): '\(String(decoding: bytes.prefix(30), as: UTF8.self))' is not a non-negative number"))
                    return nil
                }
                return value
            }
            guard records.fieldCount == header.names.count else {
                problems.append((records.lineNumber, "the row has \(records.fieldCount) fields, the header has \(header.names.count)"))
                continue
            }
            guard let x = number(fx, "frequency"), let r = number(fr, "recency") else { continue }
            let t = ft.flatMap { number($0, "T") }
            let p = fp.flatMap { number($0, "periods") }
            if (ft != nil && t == nil) || (fp != nil && p == nil) { continue }
            let m = fm.flatMap { number($0, "monetary_value") }
            if fm != nil && m == nil { continue }
            let w = fw.flatMap { number($0, "weights") }
            if fw != nil && w == nil { continue }
            guard r <= (t ?? p!) else {
                problems.append((records.lineNumber, "recency \(r) is after the end of observation \(t ?? p!)"))
                continue
            }
            frequency.append(x)
            recency.append(r)
            age.append(t ?? p!)
            if let m { monetaryValue?.append(m) }
            if let p { periods?.append(p) }
            if let w { weights?.append(w) }
        }
    }
}
