import PerennialCore

/// Reads events from a JSON Lines file (one event object a line, `.gz` read transparently), in
/// batches, with each line's number so a rejection can say where it was. Blank lines are skipped.
///
/// ```swift
/// let reader = try EventFileReader(path: "events.jsonl", quarantinePath: "events.rejected.csv")
/// while let batch = try reader.nextBatch(limit: 1_000) { … }
/// ```
public final class EventFileReader {
    /// One read line: its number and what it held.
    public struct Line: Sendable {
        public var number: Int
        public var item: EventBatch.Item
    }

    private let source: ByteSource
    private let decoder: EventDecoder
    private let quarantine: Quarantine
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var pending: [UInt8] = []
    private var lineNumber = 0
    private var finished = false
    /// Lines read so far (blank lines included).
    public var linesRead: Int { lineNumber }
    /// Lines that were refused (here or by the store, through ``reject(line:field:reason:raw:)``).
    public private(set) var rejectedCount = 0

    /// Opens a file; the longest accepted line is 1 MiB.
    public init(path: String, quarantinePath: String, decoder: EventDecoder = EventDecoder()) throws {
        source = try ByteSource(path: path)
        self.decoder = decoder
        quarantine = Quarantine(path: quarantinePath)
    }

    /// The next batch of up to `limit` non-blank lines, `nil` at the end of the file. Lines that are not
    /// JSON or not a valid event come back as rejected items and are written to the quarantine file.
    public func nextBatch(limit: Int) throws -> [Line]? {
        var lines: [Line] = []
        while lines.count < limit, let (number, bytes) = try nextLine() {
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            let item: EventBatch.Item
            do {
                item = decoder.item(try JSONParser.parse(bytes))
            } catch {
                item = .rejected(eventID: nil, EventRejection(field: error.path, reason: "not JSON: \(error.reason) at column \(error.column)"))
            }
            if case .rejected(_, let rejection) = item {
                try reject(line: number, field: rejection.field, reason: rejection.reason, raw: bytes)
            }
            lines.append(Line(number: number, item: item))
        }
        return lines.isEmpty && finished ? nil : lines
    }

    /// Writes a refused line to the quarantine file.
    public func reject(line: Int, field: String, reason: String, raw: [UInt8]) throws {
        rejectedCount += 1
        try quarantine.write(line: line, reason: "\(field): \(reason)", raw: String(decoding: raw.prefix(10_000), as: UTF8.self))
    }

    /// Closes the quarantine file.
    public func close() { quarantine.close() }

    private func nextLine() throws -> (Int, [UInt8])? {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                lineNumber += 1
                return (lineNumber, line)
            }
            if finished {
                guard !pending.isEmpty else { return nil }
                let line = pending
                pending = []
                lineNumber += 1
                return (lineNumber, line)
            }
            guard pending.count <= 1 << 20 else {
                throw IngestionError.readFailed(path: source.path, reason: "line \(lineNumber + 1) is longer than 1 MiB; is this a JSON Lines file (one event per line)?")
            }
            let count = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0.baseAddress!, count: $0.count) }
            if count == 0 { finished = true } else { pending.append(contentsOf: buffer[..<count]) }
        }
    }
}
