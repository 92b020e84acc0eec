import PerennialCore

/// Any orders CSV, one row per order line, with its columns named by a mapping.
///
/// Fields (`--map field=Header,…`; unmapped fields are looked up by their own name):
/// `order_id`, `customer_id`, `timestamp` (required), `unit_price` or `amount` (one required), and
/// optional `sku`, `description`, `category`, `quantity` (default 1), `currency`, `channel`, `country`,
/// `kind` (`purchase`, `cancellation`, `adjustment`; default purchase). The generator's output uses
/// exactly these names.
struct GenericDecoder: LineDecoder {
    /// Every field a mapping may name.
    static let fields = ["order_id", "customer_id", "timestamp", "sku", "description", "category", "quantity",
                         "unit_price", "amount", "currency", "channel", "country", "kind"]

    /// Parses `field=Header,field=Header`.
    static func parseMapping(_ text: String) throws -> [String: String] {
        var mapping: [String: String] = [:]
        for entry in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw IngestionError.invalidMapping("'\(entry)' is not field=Header (example: --map order_id=InvoiceNo,customer_id=CustomerID)")
            }
            guard fields.contains(parts[0]) else {
                throw IngestionError.invalidMapping("'\(parts[0])' is not a field; fields are \(fields.joined(separator: ", "))")
            }
            mapping[parts[0]] = parts[1]
        }
        return mapping
    }

    private let columns: [String: Int]
    let fieldCount: Int
    let timestamps: TimestampFormat
    let calendar: StoreCalendar
    let defaultCurrency: Currency
    let details: Bool
    private let orders = RepeatCache<String?>()
    private let customers = RepeatCache<String?>()
    private let instants = RepeatCache<Int64?>()
    private let currencies = RepeatCache<Currency?>()
    private let kinds = RepeatCache<OrderKind?>()
    let order: Int, customer: Int, timestamp: Int
    let unitPrice: Int?, amount: Int?, quantity: Int?, sku: Int?, kind: Int?, currency: Int?

    init(header: HeaderIndex, mapping: [String: String], timestamps: TimestampFormat, calendar: StoreCalendar,
         currency: Currency?, details: Bool) throws {
        var columns: [String: Int] = [:]
        for field in Self.fields {
            if let index = header.column(mapping[field] ?? field) { columns[field] = index }
        }
        self.columns = columns
        var missing = ["order_id", "customer_id", "timestamp"].filter { columns[$0] == nil }.map { field in mapping[field].map { "\($0) (for \(field))" } ?? field }
        if columns["unit_price"] == nil && columns["amount"] == nil { missing.append("unit_price or amount") }
        guard missing.isEmpty, let order = columns["order_id"], let customer = columns["customer_id"], let timestamp = columns["timestamp"] else {
            throw IngestionError.missingColumns(missing: missing, found: header.names, format: "generic")
        }
        (self.order, self.customer, self.timestamp) = (order, customer, timestamp)
        (unitPrice, amount, quantity, sku, kind, self.currency) = (columns["unit_price"], columns["amount"], columns["quantity"], columns["sku"], columns["kind"], columns["currency"])
        fieldCount = header.names.count
        self.timestamps = timestamps
        self.calendar = calendar
        defaultCurrency = currency ?? Currency("USD")
        self.details = details
    }

    func decode(_ record: RecordReader, into line: inout OrderLineRecord) -> RowProblem? {
        if let problem = DecodeSupport.fieldCountProblem(record, expected: fieldCount) { return problem }
        guard let orderID = orders.value(for: record.field(order), parse: FieldParsing.identifier) else {
            return DecodeSupport.missingOrderID("order_id")
        }
        guard let at = instants.value(for: record.field(timestamp), parse: { timestamps.parse($0, calendar: calendar) }) else {
            return DecodeSupport.invalid("timestamp", record.field(timestamp), expected: "a timestamp in the --timestamp-format (auto reads ISO 8601)")
        }
        var units: Int64 = 1
        if let quantity {
            guard let value = FieldParsing.integer(record.field(quantity)) else {
                return DecodeSupport.invalid("quantity", record.field(quantity), expected: "a whole number")
            }
            units = value
        }
        var lineCurrency = defaultCurrency
        if let currency, !FieldParsing.trimmed(record.field(currency)).isEmpty {
            let code = currencies.value(for: record.field(currency)) { bytes in
                FieldParsing.identifier(bytes).flatMap { $0.utf8.count == 3 ? Currency($0) : nil }
            }
            guard let code else { return DecodeSupport.invalid("currency", record.field(currency), expected: "a 3-letter ISO code") }
            lineCurrency = code
        }
        var price: Int64
        var total: Int64
        if let unitPrice {
            guard let value = FieldParsing.millis(record.field(unitPrice)) else {
                return DecodeSupport.invalid("unit_price", record.field(unitPrice), expected: "a decimal number like 12.75")
            }
            price = value
            guard let amount = Money.lineAmount(quantity: units, unitPriceMillis: value, currency: lineCurrency) else {
                return DecodeSupport.tooLarge("unit_price", "quantity × unit_price")
            }
            total = amount
        } else {
            guard let amount, let value = FieldParsing.millis(record.field(amount)) else {
                return DecodeSupport.invalid("amount", record.field(amount!), expected: "a decimal number like 25.50")
            }
            price = units == 0 ? value : value / units
            guard let amount = Money.lineAmount(quantity: 1, unitPriceMillis: value, currency: lineCurrency),
                  units.magnitude <= Money.maximumQuantity.magnitude else {
                return DecodeSupport.tooLarge("amount", "the amount or quantity")
            }
            total = amount
        }
        var orderKind = OrderKind.purchase
        if let kind {
            let parsed = kinds.value(for: record.field(kind)) { OrderKind(name: String(decoding: FieldParsing.trimmed($0), as: UTF8.self)) }
            guard let parsed else {
                return DecodeSupport.invalid("kind", record.field(kind), expected: "purchase, cancellation or adjustment")
            }
            orderKind = parsed
        }
        line.orderID = orderID
        line.customerID = customers.value(for: record.field(customer), parse: FieldParsing.identifier)
        line.placedAt = at
        line.kind = orderKind
        line.quantity = units
        line.unitPriceMillis = price
        line.amountMinor = total
        line.currency = lineCurrency
        if details {
            line.sku = sku.flatMap { FieldParsing.identifier(record.field($0)) } ?? ""
            line.description = columns["description"].map { record.string($0).trimmingSpaces } ?? ""
            line.category = columns["category"].flatMap { FieldParsing.identifier(record.field($0)) }
            line.channel = columns["channel"].flatMap { FieldParsing.identifier(record.field($0)) }
            line.country = columns["country"].flatMap { FieldParsing.identifier(record.field($0)) }
        }
        return nil
    }
}
