#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a text file splits into fields.
public enum Dialect: Sendable, Equatable {
    /// RFC 4180 CSV with the given delimiter: fields may be quoted with `"`, quotes doubled inside.
    case delimited(UInt8)
    /// Fields separated by runs of spaces or tabs; no quoting (CDNOW logs).
    case whitespace

    /// Comma-separated values.
    public static let csv = Dialect.delimited(UInt8(ascii: ","))
}

/// Streams records out of a ``ByteSource`` with constant memory: a buffer of about 1 MiB, reused.
///
/// After ``next()`` returns `true`, the current record's fields are read with ``field(_:)`` or
/// ``string(_:)``; they stay valid until the next call. Line endings may be `\n` or `\r\n`; blank lines
/// are skipped; a newline inside a quoted field belongs to the field.
///
/// - Complexity: O(bytes); each byte is looked at about once.
public final class RecordReader {
    /// The source being read.
    public var source: ByteSource { readAhead.source }
    private let readAhead: ReadAhead
    /// The dialect.
    public let dialect: Dialect
    /// The 1-based line number at which the current record starts.
    @exclusivity(unchecked) public private(set) var lineNumber = 0
    /// Records returned so far.
    @exclusivity(unchecked) public private(set) var recordCount = 0
    /// Set when the current record ended inside an unterminated quoted field.
    @exclusivity(unchecked) public private(set) var unterminatedQuote = false

    // The reader is used by one thread at a time and never re-entered, so its hot state skips Swift's
    // dynamic exclusivity checks (each costs a call per byte or field; measured in BENCHMARKS.md).
    @exclusivity(unchecked) private var buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var start = 0          // first unconsumed byte
    @exclusivity(unchecked) private var end = 0            // one past the last valid byte
    @exclusivity(unchecked) private var eof = false
    @exclusivity(unchecked) private var nextLine = 1
    @exclusivity(unchecked) private var recordStart = 0
    @exclusivity(unchecked) private var recordEnd = 0
    @exclusivity(unchecked) private var fields = FieldSpans()
    @exclusivity(unchecked) private var scratch: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var scratchCapacity = 256

    /// Reads from a source.
    /// - Throws: ``IngestionError/binaryFile(path:)`` when the first chunk holds NUL bytes.
    public init(source: ByteSource, dialect: Dialect = .csv, bufferSize: Int = 1 << 20) throws {
        readAhead = ReadAhead(source: source)
        self.dialect = dialect
        capacity = bufferSize
        buffer = .allocate(capacity: capacity)
        scratch = .allocate(capacity: scratchCapacity)
        try fill()
        if end == 0 { throw IngestionError.emptyFile(path: source.path) }
        let probe = UnsafeBufferPointer(start: buffer, count: min(end, 8192))
        if probe.contains(0) { throw IngestionError.binaryFile(path: source.path) }
        // Skip a UTF-8 byte-order mark.
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
    }

    deinit {
        readAhead.close()
        fields.deallocate()
        buffer.deallocate()
        scratch.deallocate()
    }

    /// The number of fields in the current record.
    public var fieldCount: Int { fields.count }

    /// Moves to the next record; `false` at the end of the file.
    public func next() throws -> Bool {
        while true {
            if start >= end {
                if eof { return false }
                try fill()
                if start >= end { return false }
            }
            let parsed: Bool
            switch dialect {
            case .delimited(let delimiter): parsed = parseDelimited(delimiter)
            case .whitespace: parsed = parseWhitespace()
            }
            if !parsed {
                // The record runs past the buffer: keep what we have and read more.
                if eof { return false }
                try fill()
                continue
            }
            if isBlank { continue }
            recordCount += 1
            return true
        }
    }

    private var isBlank: Bool { fields.count == 1 && fields.start(0) == fields.end(0) && !fields.isQuoted(0) }

    /// The bytes of field `index` (quotes removed, doubled quotes collapsed).
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let s = fields.start(index), e = fields.end(index)
        guard fields.isQuoted(index) else { return UnsafeBufferPointer(start: buffer + s, count: e - s) }
        // A quoted field: collapse doubled quotes into the scratch buffer.
        if e - s > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = e - s
            scratch = .allocate(capacity: scratchCapacity)
        }
        var i = s, count = 0
        while i < e {
            let byte = buffer[i]
            scratch[count] = byte
            count += 1
            i += (byte == UInt8(ascii: "\"") && i + 1 < e && buffer[i + 1] == UInt8(ascii: "\"")) ? 2 : 1
        }
        return UnsafeBufferPointer(start: scratch, count: count)
    }

    /// Field `index` as a string (invalid UTF-8 is repaired).
    public func string(_ index: Int) -> String {
        String(decoding: field(index), as: UTF8.self)
    }

    /// The current record's raw text, without its line ending, for quarantine files.
    public var rawRecord: String {
        var e = recordEnd
        while e > recordStart && (buffer[e - 1] == UInt8(ascii: "\n") || buffer[e - 1] == UInt8(ascii: "\r")) { e -= 1 }
        return String(decoding: UnsafeBufferPointer(start: buffer + recordStart, count: e - recordStart), as: UTF8.self)
    }

    // MARK: - Buffering

    private func fill() throws {
        if start > 0 {
            // Move the unconsumed tail to the front.
            let remaining = end - start
            if remaining > 0 { memmove(buffer, buffer + start, remaining) }
            end = remaining
            start = 0
        } else if end == capacity {
            // One record fills the buffer: grow it.
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        while end < capacity && !eof {
            let n = try readAhead.read(into: buffer + end, count: capacity - end)
            if n == 0 { eof = true } else { end += n }
        }
    }

    // MARK: - Parsing

    /// Parses one delimited record starting at `start`; `false` when the buffer ends first.
    ///
    /// The hot loop reads only locals: the buffer, its end and the end-of-file flag are copied in, and
    /// the field spans are built in a local copy written back on return, so no byte pays for a class
    /// property's dynamic exclusivity check.
    private func parseDelimited(_ delimiter: UInt8) -> Bool {
        var fields = self.fields
        defer { self.fields = fields }
        fields.removeAll()
        unterminatedQuote = false
        let buffer = self.buffer, end = self.end, eof = self.eof
        var i = start
        var lines = 0
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        while true {
            // Start of a field.
            if i < end && buffer[i] == quote {
                let fieldStart = i + 1
                i += 1
                var closed = false
                while i < end {
                    let byte = buffer[i]
                    if byte == quote {
                        if i + 1 < end && buffer[i + 1] == quote { i += 2; continue }
                        if i + 1 >= end && !eof { return false }
                        closed = true
                        break
                    }
                    if byte == newline { lines += 1 }
                    i += 1
                }
                if !closed {
                    if !eof { return false }
                    unterminatedQuote = true
                    fields.append(fieldStart, i, quoted: true)
                    return finishRecord(at: i, lines: lines)
                }
                fields.append(fieldStart, i, quoted: true)
                i += 1 // past the closing quote
                // Tolerate stray bytes between the closing quote and the delimiter.
                while i < end && buffer[i] != delimiter && buffer[i] != newline { i += 1 }
            } else {
                let fieldStart = i
                while i < end && buffer[i] != delimiter && buffer[i] != newline { i += 1 }
                var fieldEnd = i
                if i < end && buffer[i] == newline && fieldEnd > fieldStart && buffer[fieldEnd - 1] == cr { fieldEnd -= 1 }
                if i >= end && !eof { return false }
                if i >= end && fieldEnd > fieldStart && buffer[fieldEnd - 1] == cr { fieldEnd -= 1 }
                fields.append(fieldStart, fieldEnd, quoted: false)
            }
            if i >= end {
                if !eof { return false }
                return finishRecord(at: i, lines: lines)
            }
            if buffer[i] == newline { return finishRecord(at: i + 1, lines: lines + 1) }
            i += 1 // past the delimiter
        }
    }

    /// Parses one whitespace-separated record; `false` when the buffer ends first (locals only in the
    /// loop, as in ``parseDelimited(_:)``).
    private func parseWhitespace() -> Bool {
        var fields = self.fields
        defer { self.fields = fields }
        fields.removeAll()
        unterminatedQuote = false
        let buffer = self.buffer, end = self.end, eof = self.eof
        var i = start
        let newline = UInt8(ascii: "\n")
        while i < end && buffer[i] != newline {
            let byte = buffer[i]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") { i += 1; continue }
            let fieldStart = i
            while i < end, buffer[i] != UInt8(ascii: " "), buffer[i] != UInt8(ascii: "\t"), buffer[i] != UInt8(ascii: "\r"), buffer[i] != newline { i += 1 }
            fields.append(fieldStart, i, quoted: false)
        }
        if i >= end && !eof { return false }
        if fields.count == 0 { fields.append(i, i, quoted: false) }
        return i < end ? finishRecord(at: i + 1, lines: 1) : finishRecord(at: i, lines: 0)
    }

    private func finishRecord(at position: Int, lines: Int) -> Bool {
        recordStart = start
        recordEnd = position
        lineNumber = nextLine
        nextLine += max(lines, 1)
        start = position
        return true
    }
}

/// The byte ranges of the current record's fields, in storage reused from record to record.
struct FieldSpans {
    private var bounds: UnsafeMutablePointer<Int>
    private var quoted: UnsafeMutablePointer<Bool>
    private var capacity = 64
    private(set) var count = 0

    init() {
        bounds = .allocate(capacity: 2 * 64)
        quoted = .allocate(capacity: 64)
    }

    func deallocate() {
        bounds.deallocate()
        quoted.deallocate()
    }

    mutating func removeAll() { count = 0 }

    mutating func append(_ start: Int, _ end: Int, quoted isQuoted: Bool) {
        if count == capacity {
            let newBounds = UnsafeMutablePointer<Int>.allocate(capacity: 4 * capacity)
            newBounds.update(from: bounds, count: 2 * count)
            bounds.deallocate()
            bounds = newBounds
            let newQuoted = UnsafeMutablePointer<Bool>.allocate(capacity: 2 * capacity)
            newQuoted.update(from: quoted, count: count)
            quoted.deallocate()
            quoted = newQuoted
            capacity *= 2
        }
        bounds[2 * count] = start
        bounds[2 * count + 1] = end
        quoted[count] = isQuoted
        count += 1
    }

    func start(_ index: Int) -> Int { bounds[2 * index] }
    func end(_ index: Int) -> Int { bounds[2 * index + 1] }
    func isQuoted(_ index: Int) -> Bool { quoted[index] }
}
