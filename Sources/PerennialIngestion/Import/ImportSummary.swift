import PerennialCore

/// What an import did, for the summary printed at its end.
public struct ImportSummary: Sendable, Codable {
    /// The file read.
    public var path = ""
    /// The format name.
    public var format = ""
    /// Data rows read (header and blank lines excluded).
    public var rowsRead = 0
    /// Rows that were valid and passed on.
    public var rowsAccepted = 0
    /// Rows rejected into the quarantine file.
    public var rowsRejected = 0
    /// Accepted rows without a customer id.
    public var guestRows = 0
    /// Accepted rows of cancellation orders.
    public var cancellationRows = 0
    /// Accepted rows of adjustment orders.
    public var adjustmentRows = 0
    /// Accepted rows whose sku is a fee or adjustment code.
    public var nonProductRows = 0
    /// Sum of quantities of accepted rows.
    public var grossQuantity: Int64 = 0
    /// Sum of quantity × unit price of accepted rows, in thousandths of a major unit (exact).
    public var grossValueMillis: Int64 = 0
    /// The currency of the accepted lines (the first line's, when the options named none).
    public var currency: String?
    /// The earliest accepted instant.
    public var firstTimestamp: Int64?
    /// The latest accepted instant.
    public var lastTimestamp: Int64?
    /// Where rejected rows were written, when there were any.
    public var quarantinePath: String?
    /// The first few rejections, for the summary.
    public var sampleProblems: [SampleProblem] = []
    /// Orders newly stored (set by a store; `nil` when the lines were not stored).
    public var ordersInserted: Int?
    /// Lines newly stored (set by a store).
    public var linesInserted: Int?
    /// Lines that were already stored and were left unchanged (set by a store).
    public var linesUnchanged: Int?

    /// One rejected row, for display.
    public struct SampleProblem: Sendable, Codable {
        /// The row's line number in the file.
        public var line: Int
        /// What was wrong.
        public var reason: String
    }

    /// An empty summary.
    public init() {}
}
