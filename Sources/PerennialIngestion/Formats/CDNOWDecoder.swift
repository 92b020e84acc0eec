import PerennialCore

/// The CDNOW purchase logs of the BTYD papers: whitespace-separated, CRLF, one row per transaction.
///
/// The master log has a header and 4 columns (customer id, `YYYYMMDD`, number of CDs, dollars); the 1/10
/// sample has no header and 5 columns (master id, sample id, date, CDs, dollars). The customer id is the
/// master id in both, so the two files agree. Each row is one purchase order with one line (sku `CD`),
/// placed at the start of its day; its order id is `customer-date-n`, n counting that customer's rows on
/// that date in file order, so re-importing a file gives the same ids.
struct CDNOWDecoder: LineDecoder {
    let calendar: StoreCalendar
    let currency: Currency
    private final class Counter { var last = ""; var count = 0 }
    private let counter = Counter()

    init(calendar: StoreCalendar, currency: Currency?) {
        self.calendar = calendar
        self.currency = currency ?? Currency("USD")
    }

    /// Whether a first record is the master file's header rather than data.
    static func isHeader(_ record: RecordReader) -> Bool {
        FieldParsing.integer(record.field(0)) == nil
    }

    func decode(_ record: RecordReader, into line: inout OrderLineRecord) -> RowProblem? {
        let offset: Int
        switch record.fieldCount {
        case 4: offset = 0
        case 5: offset = 1
        default:
            return RowProblem(column: nil, reason: "the row has \(record.fieldCount) fields; CDNOW rows have 4 (master) or 5 (sample)")
        }
        guard let customer = FieldParsing.identifier(record.field(0)) else { return RowProblem(column: "customer_id", reason: "is empty") }
        let dateBytes = record.field(1 + offset)
        guard dateBytes.count == 8, let at = TimestampFormat.auto.parse(dateBytes, calendar: calendar) else {
            return DecodeSupport.invalid("date", dateBytes, expected: "a date YYYYMMDD")
        }
        guard let cds = FieldParsing.integer(record.field(2 + offset)) else {
            return DecodeSupport.invalid("number_of_cds", record.field(2 + offset), expected: "a whole number")
        }
        guard let dollars = FieldParsing.millis(record.field(3 + offset)) else {
            return DecodeSupport.invalid("dollar_value", record.field(3 + offset), expected: "a decimal number like 29.33")
        }
        let key = customer + "-" + String(decoding: dateBytes, as: UTF8.self)
        if key == counter.last { counter.count += 1 } else { counter.last = key; counter.count = 1 }
        line.orderID = key + "-" + String(counter.count)
        line.customerID = customer
        line.placedAt = at
        line.kind = .purchase
        line.sku = "CD"
        line.quantity = cds
        line.unitPriceMillis = cds == 0 ? dollars : dollars / cds
        guard let amount = Money.lineAmount(quantity: 1, unitPriceMillis: dollars, currency: currency), cds.magnitude <= Money.maximumQuantity.magnitude else {
            return DecodeSupport.tooLarge("dollar_value", "the value or the number of CDs")
        }
        line.amountMinor = amount
        line.isProduct = true
        line.currency = currency
        return nil
    }
}
