/// Why an import could not start or had to stop; each case says what to do about it.
///
/// Problems with single rows are not errors: the row is quarantined with a ``RowProblem`` and the
/// import continues.
public enum IngestionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file does not exist or cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// The file has no bytes.
    case emptyFile(path: String)
    /// The file holds binary data, not text.
    case binaryFile(path: String)
    /// The gzip stream is damaged.
    case corruptGzip(path: String, reason: String)
    /// A read failed midway.
    case readFailed(path: String, reason: String)
    /// The header lacks columns the format needs.
    case missingColumns(missing: [String], found: [String], format: String)
    /// The format name is not one Perennial reads.
    case unknownFormat(given: String, known: [String])
    /// A `--map` entry is malformed or names an unknown field.
    case invalidMapping(String)
    /// A timestamp format is malformed.
    case invalidTimestampFormat(String)
    /// A time zone identifier is unknown.
    case unknownTimeZone(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open '\(path)': \(reason). Check the path and that you may read the file."
        case let .emptyFile(path):
            "'\(path)' is empty (0 bytes): nothing to import. Export the orders again and check the file size."
        case let .binaryFile(path):
            "'\(path)' is a binary file, not CSV text (it contains NUL bytes). Export it as CSV (optionally gzip-compressed) and try again."
        case let .corruptGzip(path, reason):
            "'\(path)' is not a valid gzip stream (\(reason)). Re-download or re-compress it, or pass the uncompressed file."
        case let .readFailed(path, reason):
            "reading '\(path)' failed: \(reason)."
        case let .missingColumns(missing, found, format):
            "the \(format) format needs the column(s) \(missing.joined(separator: ", ")), but the header has: \(found.joined(separator: ", ")). "
                + (format == "generic" ? "Name them with --map field=Header,…" : "Check that the file is an export in the \(format) format, or use --format generic with --map.")
        case let .unknownFormat(given, known):
            "unknown format '\(given)'; known formats: \(known.joined(separator: ", "))."
        case let .invalidMapping(detail):
            "invalid --map: \(detail)"
        case let .invalidTimestampFormat(detail):
            "invalid --timestamp-format: \(detail)"
        case let .unknownTimeZone(identifier):
            "unknown time zone '\(identifier)'; use an IANA name such as UTC, Europe/London or Asia/Shanghai."
        }
    }
}

/// Why one row was rejected: the column it concerns and what was wrong.
public struct RowProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The column at fault, when one is.
    public var column: String?
    /// What was wrong, for people.
    public var reason: String

    /// Creates a problem.
    public init(column: String?, reason: String) {
        self.column = column
        self.reason = reason
    }

    public var description: String { column.map { "\($0): \(reason)" } ?? reason }
}
