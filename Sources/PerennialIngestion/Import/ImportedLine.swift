import PerennialCore

/// One validated order line read from a file.
public struct ImportedLine: Sendable {
    /// The order (invoice) id.
    public var orderID = ""
    /// The customer id, or `nil` for a guest.
    public var customerID: String?
    /// The order's instant, seconds since 1970 UTC.
    public var placedAt: Int64 = 0
    /// Purchase, cancellation or adjustment.
    public var kind = OrderKind.purchase
    /// The sku (empty when the format has none).
    public var sku = ""
    /// The product name (read only when details are asked for).
    public var description = ""
    /// The product category, when the file has one.
    public var category: String?
    /// Units.
    public var quantity: Int64 = 1
    /// Unit price in thousandths of a major unit.
    public var unitPriceMillis: Int64 = 0
    /// Line amount in minor units.
    public var amountMinor: Int64 = 0
    /// Whether the sku is a product (not a fee or adjustment code).
    public var isProduct = true
    /// The line's currency.
    public var currency = Currency("USD")
    /// The sales channel, when given.
    public var channel: String?
    /// The customer's country, when given.
    public var country: String?

    /// An empty line, filled in by a decoder.
    public init() {}
}

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
    /// Earliest and latest accepted instants.
    public var firstTimestamp: Int64?
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
        public var line: Int
        public var reason: String
    }

    /// An empty summary.
    public init() {}
}
