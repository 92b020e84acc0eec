import PerennialCore

/// Turns the current record of a ``RecordReader`` into an ``OrderLineRecord``, or says why it cannot.
protocol LineDecoder {
    /// Decodes the reader's current record.
    func decode(_ record: RecordReader, into line: inout OrderLineRecord) -> RowProblem?
}

/// Finds columns by header name, ignoring case, spaces, underscores and hyphens.
struct HeaderIndex {
    let names: [String]
    private let index: [String: Int]

    init(_ record: RecordReader) {
        names = (0..<record.fieldCount).map { record.string($0).trimmingSpaces }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[HeaderIndex.normalize(name)] == nil {
            index[HeaderIndex.normalize(name)] = i
        }
        self.index = index
    }

    /// The position of the first header matching any of the names.
    func column(_ candidates: String...) -> Int? { column(candidates) }

    func column(_ candidates: [String]) -> Int? {
        for name in candidates { if let i = index[HeaderIndex.normalize(name)] { return i } }
        return nil
    }

    static func normalize(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" })
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

/// Shared checks every decoder makes.
enum DecodeSupport {
    /// A problem when a CSV row's field count differs from the header's.
    static func fieldCountProblem(_ record: RecordReader, expected: Int) -> RowProblem? {
        guard record.fieldCount != expected else { return nil }
        return RowProblem(column: nil, reason: "the row has \(record.fieldCount) fields, the header has \(expected) (truncated or unquoted comma?)")
    }

    /// A problem for an empty order id column.
    static func missingOrderID(_ column: String) -> RowProblem {
        RowProblem(column: column, reason: "is empty; every line needs its order id")
    }

    /// A problem for a line whose amount, quantity or price is beyond what perennial accepts
    /// (``Money/maximumMinorUnits``, ``Money/maximumQuantity``).
    static func tooLarge(_ column: String, _ what: String) -> RowProblem {
        RowProblem(column: column, reason: "\(what) is beyond the largest amount perennial accepts (10^15 minor units, quantities up to 10^9); check the number and its decimal separator")
    }

    /// A problem for a field whose text is not what was expected.
    static func invalid(_ column: String, _ bytes: UnsafeBufferPointer<UInt8>, expected: String) -> RowProblem {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return RowProblem(column: column, reason: text.isEmpty ? "is empty; expected \(expected)" : "'\(text)' is not \(expected)")
    }
}
