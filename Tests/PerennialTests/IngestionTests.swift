import Foundation
import PerennialCore
import PerennialIngestion
import PerennialTestSupport
import Testing

@Suite struct FieldParsingTests {
    func with<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var copy = text
        return copy.withUTF8(body)
    }

    @Test func numbers() {
        #expect(with("-12") { FieldParsing.integer($0) } == -12)
        #expect(with(" 6.0 ") { FieldParsing.integer($0) } == 6)
        #expect(with("6.5") { FieldParsing.integer($0) } == nil)
        #expect(with("abc") { FieldParsing.integer($0) } == nil)
        #expect(with("2.55") { FieldParsing.millis($0) } == 2_550)
        #expect(with("-0.001") { FieldParsing.millis($0) } == -1)
        #expect(with("11062.06") { FieldParsing.millis($0) } == 11_062_060)
        #expect(with("0.0005") { FieldParsing.millis($0) } == 1)
        #expect(with("1e3") { FieldParsing.millis($0) } == nil)
        #expect(with("17850.0") { FieldParsing.identifier($0) } == "17850")
        #expect(with("  ") { FieldParsing.identifier($0) } == nil)
    }

    @Test("timestamps: ISO 8601, US spreadsheet dates, compact dates, patterns, offsets and zones")
    func timestamps() throws {
        let auto = TimestampFormat.auto
        #expect(auto.parse("2011-12-09 12:50:00", calendar: .utc) == utc(2011, 12, 9, 12, 50))
        #expect(auto.parse("2011-12-09T12:50:00Z", calendar: .utc) == utc(2011, 12, 9, 12, 50))
        #expect(auto.parse("2011-12-09T20:50:00+08:00", calendar: .utc) == utc(2011, 12, 9, 12, 50))
        #expect(auto.parse("2011-12-09T12:50:00.250Z", calendar: .utc) == utc(2011, 12, 9, 12, 50))
        #expect(auto.parse("12/9/2011 12:50", calendar: .utc) == utc(2011, 12, 9, 12, 50))
        #expect(auto.parse("19970101", calendar: .utc) == utc(1997, 1, 1))
        #expect(auto.parse("2011-02-30 10:00:00", calendar: .utc) == nil)
        #expect(auto.parse("yesterday", calendar: .utc) == nil)
        let london = try #require(StoreCalendar(identifier: "Europe/London"))
        #expect(auto.parse("2011-07-01 09:00:00", calendar: london) == utc(2011, 7, 1, 8))
        #expect(try TimestampFormat("%d.%m.%Y %H:%M").parse("09.12.2011 12:50", calendar: .utc) == utc(2011, 12, 9, 12, 50))
        #expect(try TimestampFormat("%d %b %Y").parse("09 Dec 2011", calendar: .utc) == utc(2011, 12, 9))
        #expect(try TimestampFormat("unix").parse("1323435000", calendar: .utc) == 1_323_435_000)
        #expect(throws: IngestionError.self) { try TimestampFormat("%Q") }
    }
}

@Suite struct BadInputTests {
    static let header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"

    func read(_ text: String, format: OrderFormat = .onlineRetail, in directory: TemporaryDirectory) throws -> (ImportSummary, [OrderLineRecord], String) {
        let path = try directory.write("orders.csv", text)
        let quarantine = directory.path("rejects.csv")
        let reader = try OrderFileReader(path: path, options: ImportOptions(format: format, quarantinePath: quarantine))
        var lines: [OrderLineRecord] = []
        let summary = try reader.read { lines.append($0) }
        let rejects = (try? String(contentsOfFile: quarantine, encoding: .utf8)) ?? ""
        return (summary, lines, rejects)
    }

    @Test("bad rows are quarantined with line number and reason; valid rows are all kept")
    func quarantine() throws {
        let directory = try TemporaryDirectory()
        let text = Self.header + """
        536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom
        536366,22633,HAND WARMER,six,2010-12-01 08:28:00,1.85,17850,United Kingdom
        536367,84879,BIRD ORNAMENT,32,2010-13-45 08:34:00,1.69,13047,United Kingdom
        536368,22960,JAM MAKING SET
        536369,21756,"BATH BUILDING, BLOCK",3,2010-12-01 08:35:00,5.95,13047,United Kingdom
        536370,22728,ALARM CLOCK,24,2010-12-01 08:45:00,£3.75,12583,France

        """
        let (summary, lines, rejects) = try read(text, in: directory)
        #expect(summary.rowsRead == 6)
        #expect(summary.rowsAccepted == 2)
        #expect(summary.rowsRejected == 4)
        #expect(lines.map(\.orderID) == ["536365", "536369"])
        #expect(lines[1].quantity == 3 && lines[1].amountMinor == 1_785)
        let rows = rejects.split(separator: "\n")
        #expect(rows.first == "line,reason,raw")
        #expect(rows[1].hasPrefix("3,Quantity: 'six' is not a whole number,"))
        #expect(rows[2].hasPrefix("4,InvoiceDate: '2010-13-45 08:34:00' is not a date"))
        #expect(rows[3].hasPrefix("5,\"the row has 3 fields, the header has 8"))
        #expect(rows[4].hasPrefix("7,UnitPrice: '£3.75' is not a decimal number"))
        // The raw row is kept whole, quoted because it holds commas.
        #expect(rows[4].hasSuffix(",\"536370,22728,ALARM CLOCK,24,2010-12-01 08:45:00,£3.75,12583,France\""))
    }

    @Test("a missing column names the ones found and the ones expected")
    func missingColumn() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: IngestionError.self) {
            _ = try read("InvoiceNo,StockCode,Quantity,InvoiceDate,CustomerID\n1,2,3,2011-01-01,4\n", in: directory)
        }
        #expect(error == .missingColumns(missing: ["UnitPrice"], found: ["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "CustomerID"], format: "online-retail"))
        #expect(error?.description.contains("needs the column(s) UnitPrice, but the header has: InvoiceNo, StockCode") == true)
    }

    @Test("empty, binary, missing and unknown-format files give their own errors")
    func wholeFileErrors() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.write("empty.csv", "")
        #expect(throws: IngestionError.emptyFile(path: empty)) { _ = try OrderFileReader(path: empty, options: ImportOptions(format: .generic)) }
        let headerOnly = try directory.write("header.csv", "\n\n")
        #expect(throws: IngestionError.emptyFile(path: headerOnly)) { _ = try OrderFileReader(path: headerOnly, options: ImportOptions(format: .generic)) }
        let binary = try directory.write("image.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        #expect(throws: IngestionError.binaryFile(path: binary)) { _ = try OrderFileReader(path: binary, options: ImportOptions(format: .generic)) }
        let missing = directory.path("nope.csv")
        #expect(throws: IngestionError.self) { _ = try OrderFileReader(path: missing, options: ImportOptions(format: .generic)) }
        let error = #expect(throws: IngestionError.self) { _ = try OrderFormat(name: "excel") }
        #expect(error?.description == "unknown format 'excel'; known formats: online-retail, cdnow, generic.")
    }

    @Test("a truncated file: the half-written last row and an unclosed quote are quarantined")
    func truncated() throws {
        let directory = try TemporaryDirectory()
        let text = Self.header + "536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n536366,2263\n536367,1,\"UNCLOSED,1"
        let (summary, lines, rejects) = try read(text, in: directory)
        #expect(summary.rowsRead == 3 && lines.count == 1 && summary.rowsRejected == 2)
        #expect(rejects.contains("4,a quoted field is never closed"))
    }

    @Test("a truncated gzip stream is reported, not read as a short file")
    func truncatedGzip() throws {
        // A generated store compressed with gzip here, then cut in the middle of its deflate stream.
        let directory = try TemporaryDirectory()
        let rows = (0..<20_000).map { n in "O\(n),c\(n % 977),2024-01-\(n % 18 + 10)T10:00:00Z,S\(n % 313),\(n % 5 + 1),\(n % 97).25,GBP" }
        let plain = try directory.write("store.csv", "order_id,customer_id,timestamp,sku,quantity,unit_price,currency\n" + rows.joined(separator: "\n") + "\n")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let whole = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
        // The whole file reads; the first half of it does not.
        let complete = try OrderFileReader(path: plain + ".gz", options: ImportOptions(format: .generic, quarantinePath: directory.path("q1.csv")))
        #expect(try complete.read { _ in }.rowsAccepted == 20_000)
        let cut = try directory.write("cut.csv.gz", bytes: Array(whole.prefix(whole.count / 2)))
        #expect(throws: IngestionError.self) {
            let reader = try OrderFileReader(path: cut, options: ImportOptions(format: .generic, quarantinePath: directory.path("q2.csv")))
            _ = try reader.read { _ in }
        }
    }

    @Test("generic: mapping, amount column, kind column, CRLF, BOM and a currency that differs")
    func generic() throws {
        let directory = try TemporaryDirectory()
        let text = "\u{FEFF}Order,Buyer,When,Total,Kind,Currency\r\nA-1,c1,2024-01-02T10:00:00Z,12.50,purchase,EUR\r\nA-2,c1,2024-01-03T10:00:00Z,-2.50,refund,EUR\r\nA-3,,2024-01-04T10:00:00Z,5,purchase,USD\r\n"
        let path = try directory.write("g.csv", text)
        let mapping = try ImportOptions.parseMapping("order_id=Order,customer_id=Buyer,timestamp=When,amount=Total")
        let reader = try OrderFileReader(path: path, options: ImportOptions(format: .generic, mapping: mapping, quarantinePath: directory.path("q.csv")))
        var lines: [OrderLineRecord] = []
        let summary = try reader.read { lines.append($0) }
        #expect(lines.map(\.amountMinor) == [1_250, -250])
        #expect(lines.map(\.kind) == [.purchase, .cancellation])
        #expect(summary.rowsRejected == 1)
        #expect(summary.sampleProblems.first?.reason == "currency: USD differs from the store currency EUR; convert amounts before importing")
        #expect(throws: IngestionError.self) { _ = try ImportOptions.parseMapping("order=Order") }
    }
}

@Suite struct DatasetImportTests {
    @Test("the CDNOW sample log reads as 2,357 customers and 6,919 transactions worth $244,091.94")
    func cdnowSample() throws {
        let reader = try OrderFileReader(path: Fixtures.path("CDNOW_sample.txt"), options: ImportOptions(format: .cdnow, quarantinePath: "/dev/null"))
        let (table, summary) = try reader.readTable()
        #expect(summary.rowsRead == 6_919 && summary.rowsRejected == 0)
        #expect(table.customerCount == 2_357)
        #expect(table.orderCount == 6_919)
        #expect(table.orderAmount.reduce(0, +) == 24_409_194)
        #expect(summary.grossQuantity == 16_479)            // CDs: awk '{s+=$4}' over the file
        #expect(table.currency.code == "USD")
        #expect(summary.firstTimestamp == utc(1997, 1, 1) && summary.lastTimestamp == utc(1998, 6, 30))
    }

    @Test("the CDNOW master log has a header and reads as 23,570 customers and 69,659 rows", .enabled(if: SharedDatasets.isPresent("cdnow/CDNOW_master.txt"), "needs CDNOW_master.txt, one of the public datasets (README, Data)"))
    func cdnowMaster() throws {
        let path = try #require(SharedDatasets.path("cdnow/CDNOW_master.txt"))
        let (table, summary) = try OrderFileReader(path: path, options: ImportOptions(format: .cdnow, quarantinePath: "/dev/null")).readTable()
        #expect(summary.rowsRead == 69_659 && summary.rowsRejected == 0)
        #expect(table.customerCount == 23_570)
        #expect(summary.grossQuantity == 167_881)
        #expect(table.orderAmount.reduce(0, +) == 250_031_563)
    }

    @Test("Online Retail: 541,909 rows, 4,372 customers, quantity 5,176,450, value 9,747,747.934", .enabled(if: SharedDatasets.isPresent("online_retail.csv.gz"), "needs online_retail.csv.gz, one of the public datasets (README, Data)"))
    func onlineRetail() throws {
        let path = try #require(SharedDatasets.path("online_retail.csv.gz"))
        let reader = try OrderFileReader(path: path, options: ImportOptions(format: .onlineRetail, quarantinePath: "/dev/null"))
        let (table, summary) = try reader.readTable()
        #expect(summary.rowsRead == 541_909)
        #expect(summary.rowsRejected == 0)
        #expect(table.customerCount == 4_372)
        #expect(summary.grossQuantity == 5_176_450)
        #expect(summary.grossValueMillis == 9_747_747_934)
        #expect(summary.guestRows == 135_080)
        #expect(summary.cancellationRows == 9_288)
        #expect(table.orderCount == 25_900)
        #expect(summary.firstTimestamp == utc(2010, 12, 1, 8, 26) && summary.lastTimestamp == utc(2011, 12, 9, 12, 50))
    }
}
