import PerennialCore

/// UCI Online Retail and Online Retail II exports: one row per invoice line.
///
/// Columns (either name): `InvoiceNo`/`Invoice`, `StockCode`, `Description`, `Quantity`, `InvoiceDate`,
/// `UnitPrice`/`Price`, `CustomerID`/`Customer ID`, `Country`. Invoices starting with `C` are
/// cancellations, with `A` adjustments; fee and adjustment stock codes are not products. Money is GBP.
struct OnlineRetailDecoder: LineDecoder {
    static let required = ["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"]

    /// Stock codes that are fees, postage or adjustments rather than products.
    static let nonProductCodes: Set<String> = [
        "POST", "DOT", "M", "m", "D", "C2", "CRUK", "BANK CHARGES", "AMAZONFEE", "PADS", "S", "B",
    ]

    /// Whether a stock code is a product.
    static func isProduct(_ code: String) -> Bool {
        !(nonProductCodes.contains(code) || code.hasPrefix("DCGS") || code.hasPrefix("gift_"))
    }

    let invoice: Int, stockCode: Int, description: Int?, quantity: Int, date: Int, price: Int, customer: Int, country: Int?
    let fieldCount: Int
    let timestamps: TimestampFormat
    let calendar: StoreCalendar
    let currency: Currency
    let details: Bool
    private let orders = RepeatCache<String?>()
    private let customers = RepeatCache<String?>()
    private let instants = RepeatCache<Int64?>()

    init(header: HeaderIndex, timestamps: TimestampFormat, calendar: StoreCalendar, currency: Currency?, details: Bool) throws {
        let columns = (
            header.column("InvoiceNo", "Invoice"), header.column("StockCode"), header.column("Quantity"),
            header.column("InvoiceDate"), header.column("UnitPrice", "Price"), header.column("CustomerID")
        )
        guard let invoice = columns.0, let stockCode = columns.1, let quantity = columns.2, let date = columns.3,
              let price = columns.4, let customer = columns.5 else {
            let found = [columns.0, columns.1, columns.2, columns.3, columns.4, columns.5]
            let missing = zip(Self.required, found).filter { $0.1 == nil }.map(\.0)
            throw IngestionError.missingColumns(missing: missing, found: header.names, format: "online-retail")
        }
        (self.invoice, self.stockCode, self.quantity, self.date, self.price, self.customer) = (invoice, stockCode, quantity, date, price, customer)
        description = header.column("Description")
        country = header.column("Country")
        fieldCount = header.names.count
        self.timestamps = timestamps
        self.calendar = calendar
        self.currency = currency ?? Currency("GBP")
        self.details = details
    }

    func decode(_ record: RecordReader, into line: inout OrderLineRecord) -> RowProblem? {
        if let problem = DecodeSupport.fieldCountProblem(record, expected: fieldCount) { return problem }
        guard let order = orders.value(for: record.field(invoice), parse: FieldParsing.identifier) else {
            return DecodeSupport.missingOrderID("InvoiceNo")
        }
        guard !FieldParsing.trimmed(record.field(stockCode)).isEmpty else {
            return RowProblem(column: "StockCode", reason: "is empty")
        }
        guard let units = FieldParsing.integer(record.field(quantity)) else {
            return DecodeSupport.invalid("Quantity", record.field(quantity), expected: "a whole number")
        }
        guard let at = instants.value(for: record.field(date), parse: { timestamps.parse($0, calendar: calendar) }) else {
            return DecodeSupport.invalid("InvoiceDate", record.field(date), expected: "a date like 2011-12-09 12:50:00 or 12/9/2011 12:50")
        }
        guard let unitPrice = FieldParsing.millis(record.field(price)) else {
            return DecodeSupport.invalid("UnitPrice", record.field(price), expected: "a decimal number like 2.55")
        }
        line.orderID = order
        line.customerID = customers.value(for: record.field(customer), parse: FieldParsing.identifier)
        line.placedAt = at
        switch order.utf8.first {
        case UInt8(ascii: "C"), UInt8(ascii: "c"): line.kind = .cancellation
        case UInt8(ascii: "A"), UInt8(ascii: "a"): line.kind = .adjustment
        default: line.kind = .purchase
        }
        line.quantity = units
        line.unitPriceMillis = unitPrice
        guard let amount = Money.lineAmount(quantity: units, unitPriceMillis: unitPrice, currency: currency) else {
            return DecodeSupport.tooLarge("UnitPrice", "Quantity × UnitPrice")
        }
        line.amountMinor = amount
        line.currency = currency
        // Analysis needs neither skus nor names; imports read them.
        if details {
            let sku = FieldParsing.identifier(record.field(stockCode)) ?? ""
            line.sku = sku
            line.isProduct = Self.isProduct(sku)
            line.description = description.map { record.string($0).trimmingSpaces } ?? ""
            line.country = country.flatMap { FieldParsing.identifier(record.field($0)) }
        }
        return nil
    }
}
