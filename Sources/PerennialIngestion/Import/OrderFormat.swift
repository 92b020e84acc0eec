import PerennialCore

/// The order-file formats Perennial reads.
public enum OrderFormat: String, Sendable, CaseIterable {
    /// UCI Online Retail / Online Retail II.
    case onlineRetail = "online-retail"
    /// The CDNOW master and sample logs.
    case cdnow
    /// Any orders CSV with a column mapping.
    case generic

    /// Parses a format name, listing the known ones when it is not one.
    public init(name: String) throws {
        guard let format = OrderFormat(rawValue: name.lowercased()) else {
            throw IngestionError.unknownFormat(given: name, known: OrderFormat.allCases.map(\.rawValue))
        }
        self = format
    }
}

/// How to read an order file.
public struct ImportOptions: Sendable {
    /// The file's format.
    public var format: OrderFormat
    /// Generic format: field → header name.
    public var mapping: [String: String]
    /// How timestamps are written.
    public var timestampFormat: TimestampFormat
    /// The zone of timestamps written without an offset.
    public var sourceCalendar: StoreCalendar
    /// The currency of amounts when the file does not say (and the only one accepted when set).
    public var currency: Currency?
    /// Whether to read descriptions, categories, channels and countries (imports do; analysis needs none).
    public var details: Bool
    /// Where to write rejected rows; `nil` writes `<file name>.rejected.csv` in the working directory.
    public var quarantinePath: String?

    /// Parses a generic-format mapping, `field=Header,field=Header`.
    public static func parseMapping(_ text: String) throws -> [String: String] {
        try GenericDecoder.parseMapping(text)
    }

    /// Options for a format, with automatic timestamps in UTC.
    public init(format: OrderFormat, mapping: [String: String] = [:], timestampFormat: TimestampFormat = .auto,
                sourceCalendar: StoreCalendar = .utc, currency: Currency? = nil, details: Bool = true,
                quarantinePath: String? = nil) {
        self.format = format
        self.mapping = mapping
        self.timestampFormat = timestampFormat
        self.sourceCalendar = sourceCalendar
        self.currency = currency
        self.details = details
        self.quarantinePath = quarantinePath
    }
}

/// How far a read has got, for a progress line.
public struct ImportProgress: Sendable {
    /// Data rows read so far.
    public var rowsRead: Int
    /// Bytes of the file consumed so far.
    public var bytesRead: Int64
    /// The file's size.
    public var totalBytes: Int64
}
