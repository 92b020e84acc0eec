import PerennialCore

/// Reads an order file of any known format, line by line, with constant memory: validates each row,
/// hands valid lines to the caller, quarantines the others, and returns a summary.
///
/// ```swift
/// let reader = try OrderFileReader(path: "online_retail.csv.gz", options: ImportOptions(format: .onlineRetail))
/// let summary = try reader.read { line in builder.addLine(…) }
/// ```
public final class OrderFileReader {
    /// The options in force.
    public let options: ImportOptions
    private let records: RecordReader
    private let decoder: any LineDecoder
    @exclusivity(unchecked) private var pendingFirstRecord: Bool

    /// Opens a file and reads its header.
    /// - Throws: ``IngestionError`` when the file cannot be read or lacks required columns.
    public init(path: String, options: ImportOptions) throws {
        self.options = options
        let source = try ByteSource(path: path)
        switch options.format {
        case .cdnow:
            records = try RecordReader(source: source, dialect: .whitespace)
            decoder = CDNOWDecoder(calendar: options.sourceCalendar, currency: options.currency)
            guard try records.next() else { throw IngestionError.emptyFile(path: path) }
            // The sample has no header: its first record is data.
            pendingFirstRecord = !CDNOWDecoder.isHeader(records)
        case .onlineRetail, .generic:
            records = try RecordReader(source: source, dialect: .csv)
            guard try records.next() else { throw IngestionError.emptyFile(path: path) }
            let header = HeaderIndex(records)
            if options.format == .onlineRetail {
                decoder = try OnlineRetailDecoder(header: header, timestamps: options.timestampFormat,
                                                  calendar: options.sourceCalendar, currency: options.currency, details: options.details)
            } else {
                decoder = try GenericDecoder(header: header, mapping: options.mapping, timestamps: options.timestampFormat,
                                             calendar: options.sourceCalendar, currency: options.currency, details: options.details)
            }
            pendingFirstRecord = false
        }
    }

    /// The default quarantine path for a file: its name plus `.rejected.csv`, in the working directory.
    public static func defaultQuarantinePath(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name + ".rejected.csv"
    }

    /// What the read has done so far; final once ``nextBatch(into:limit:progress:)`` returns `false`.
    // Updated on every row by the one thread reading: no dynamic exclusivity checks.
    @exclusivity(unchecked) public private(set) var summary = ImportSummary()
    @exclusivity(unchecked) private var quarantine: Quarantine?
    @exclusivity(unchecked) private var requiredCurrency: Currency?
    @exclusivity(unchecked) private var finished = false

    /// Reads every row, calling `accept` with each valid line, and returns the summary.
    /// - Parameters:
    ///   - progress: called about every 65,536 rows.
    ///   - accept: receives each valid line; an error it throws stops the read.
    public func read(progress: ((ImportProgress) -> Void)? = nil, _ accept: (OrderLineRecord) throws -> Void) throws -> ImportSummary {
        var line = OrderLineRecord()
        while try nextLine(into: &line, progress: progress) { try accept(line) }
        return summary
    }

    /// Reads up to `limit` valid lines into `batch` (replacing its contents); `false` once the file is
    /// done and the batch is empty.
    public func nextBatch(into batch: inout [OrderLineRecord], limit: Int, progress: ((ImportProgress) -> Void)? = nil) throws -> Bool {
        batch.removeAll(keepingCapacity: true)
        var line = OrderLineRecord()
        while batch.count < limit, try nextLine(into: &line, progress: progress) { batch.append(line) }
        return !batch.isEmpty
    }

    /// Reads the next valid line into `line`, quarantining invalid rows on the way; `false` at the end.
    public func nextLine(into line: inout OrderLineRecord, progress: ((ImportProgress) -> Void)? = nil) throws -> Bool {
        if finished { return false }
        if quarantine == nil {
            summary.path = records.source.path
            summary.format = options.format.rawValue
            quarantine = Quarantine(path: options.quarantinePath ?? Self.defaultQuarantinePath(for: records.source.path))
            requiredCurrency = options.currency
        }
        while true {
            if !pendingFirstRecord {
                guard try records.next() else {
                    finished = true
                    quarantine?.close()
                    summary.currency = requiredCurrency?.code
                    return false
                }
            }
            pendingFirstRecord = false
            summary.rowsRead += 1
            if summary.rowsRead & 0xFFFF == 0, let progress {
                progress(ImportProgress(rowsRead: summary.rowsRead, bytesRead: records.source.fileBytesRead, totalBytes: records.source.fileSize))
            }
            var problem = records.unterminatedQuote
                ? RowProblem(column: nil, reason: "a quoted field is never closed (the file may be truncated)")
                : decoder.decode(records, into: &line)
            if problem == nil {
                if let required = requiredCurrency, line.currency != required {
                    problem = RowProblem(column: "currency", reason: "\(line.currency.code) differs from the store currency \(required.code); convert amounts before importing")
                } else if requiredCurrency == nil {
                    requiredCurrency = line.currency
                }
            }
            if let problem {
                summary.rowsRejected += 1
                try quarantine!.write(line: records.lineNumber, reason: problem.description, raw: records.rawRecord)
                summary.quarantinePath = quarantine!.path
                if summary.sampleProblems.count < 5 {
                    summary.sampleProblems.append(.init(line: records.lineNumber, reason: problem.description))
                }
                continue
            }
            summary.rowsAccepted += 1
            if line.customerID == nil { summary.guestRows += 1 }
            switch line.kind {
            case .cancellation: summary.cancellationRows += 1
            case .adjustment: summary.adjustmentRows += 1
            case .purchase: break
            }
            if !line.isProduct { summary.nonProductRows += 1 }
            summary.grossQuantity = summary.grossQuantity.clampedAdding(line.quantity)
            let (value, overflow) = line.quantity.multipliedReportingOverflow(by: line.unitPriceMillis)
            summary.grossValueMillis = summary.grossValueMillis.clampedAdding(overflow ? (line.quantity < 0) != (line.unitPriceMillis < 0) ? .min : .max : value)
            summary.firstTimestamp = min(summary.firstTimestamp ?? line.placedAt, line.placedAt)
            summary.lastTimestamp = max(summary.lastTimestamp ?? line.placedAt, line.placedAt)
            return true
        }
    }
}
