import ArgumentParser
import Foundation
import PerennialCore
import PerennialIngestion
import PerennialStorage

/// `--db`: the SQLite file, or the PostgreSQL server's `postgres://` URL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database file, or a PostgreSQL URL postgres://user:password@host:port/database (default: $PERENNIAL_DATABASE, else perennial.db).", valueName: "path|url"))
    var db: String?

    /// The location in force: a file path or a URL.
    var path: String { db ?? ProcessInfo.processInfo.environment["PERENNIAL_DATABASE"] ?? "perennial.db" }

    /// The location as messages show it (a URL's password hidden).
    var shown: String { StoreLocation.display(path) }

    /// Whether the store exists already (a PostgreSQL server is assumed to).
    var exists: Bool { StoreLocation.isPostgres(path) || FileManager.default.fileExists(atPath: path) }

    /// Opens the store, creating a SQLite file when `create` is set; `durable` commits with a full sync.
    func open(create: Bool, durable: Bool = false) async throws -> any PerennialStore {
        if !create && !exists {
            throw ValidationError("no database at '\(path)'. Import orders first (perennial import orders FILE --format …), pass --db PATH, or analyze a file directly (perennial analyze FILE --format …).")
        }
        return try await StoreLocation.open(path, durable: durable)
    }
}

/// How to read an order file: its format, mapping, timestamps and currency.
struct FileFormatOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The file's format: online-retail, cdnow or generic.", valueName: "format"))
    var format: String = "generic"

    @Option(help: ArgumentHelp("Generic format: field=Header pairs, e.g. order_id=InvoiceNo,customer_id=CustomerID,timestamp=InvoiceDate,sku=StockCode,quantity=Quantity,unit_price=UnitPrice.", valueName: "mapping"))
    var map: String?

    @Option(help: ArgumentHelp("How timestamps are written: auto (ISO 8601, M/D/YYYY H:MM, YYYYMMDD), unix, unix-ms, or a pattern like '%d.%m.%Y %H:%M'.", valueName: "format"))
    var timestampFormat: String = "auto"

    @Option(help: ArgumentHelp("The time zone of timestamps written without an offset (IANA name).", valueName: "zone"))
    var sourceTimezone: String = "UTC"

    @Option(help: ArgumentHelp("The currency of the amounts when the file does not say (ISO code, e.g. GBP).", valueName: "code"))
    var currency: String?

    @Option(help: ArgumentHelp("Where to write rejected rows (default: <file name>.rejected.csv here).", valueName: "path"))
    var quarantine: String?

    /// The import options these flags describe.
    func importOptions(details: Bool, storeCurrency: String? = nil) throws -> ImportOptions {
        let format = try OrderFormat(name: format)
        let mapping = try map.map(ImportOptions.parseMapping) ?? [:]
        if !mapping.isEmpty && format != .generic {
            throw ValidationError("--map applies to --format generic only; the \(format.rawValue) format knows its columns.")
        }
        guard let calendar = StoreCalendar(identifier: sourceTimezone) else { throw IngestionError.unknownTimeZone(sourceTimezone) }
        let code = currency ?? storeCurrency
        if let code, code.count != 3 { throw ValidationError("--currency '\(code)' is not a 3-letter ISO 4217 code such as GBP or CNY.") }
        return ImportOptions(format: format, mapping: mapping, timestampFormat: try TimestampFormat(timestampFormat),
                             sourceCalendar: calendar, currency: code.map(Currency.init), details: details, quarantinePath: quarantine)
    }
}

/// The as-of instant, the store's time zone and every stage threshold.
struct AnalysisFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Analyse as of this instant (ISO 8601, e.g. 2011-12-10 or 2011-12-10T00:00:00Z; default: the start of the day after the last order).", valueName: "instant"))
    var asOf: String?

    @Option(help: ArgumentHelp("The store's time zone for days, weeks and months (default: the database's setting, else UTC).", valueName: "zone"))
    var timezone: String?

    @Option(help: "Churned: no order for more than this many days.")
    var churnDays: Int = 90

    @Option(help: "New: at most this many orders…")
    var newMaxOrders: Int = 2

    @Option(help: "…with the first order within this many days.")
    var newWithinDays: Int = 90

    @Option(help: "Declining: silent for longer than this multiple of the customer's median gap between purchase days.")
    var decliningGapMultiple: Double = 2

    @Option(help: "Loyal: at least this many orders a month over the last 12 months of tenure.")
    var loyalOrdersPerMonth: Double = 3

    @Option(help: "Active: at least this many orders a month (0 keeps every steady buyer active; 1 is the seed's band).")
    var activeMinOrdersPerMonth: Double = 0

    func validate() throws {
        if churnDays < 1 { throw ValidationError("--churn-days must be at least 1 (got \(churnDays)).") }
        if newMaxOrders < 1 { throw ValidationError("--new-max-orders must be at least 1 (got \(newMaxOrders)).") }
        if decliningGapMultiple <= 0 { throw ValidationError("--declining-gap-multiple must be positive (got \(decliningGapMultiple)).") }
    }

    /// The analysis options these flags describe, given the store's time zone setting.
    func options(storeTimeZone: String?, period: CalendarPeriod = .month) throws -> AnalysisOptions {
        let zone = timezone ?? storeTimeZone ?? "UTC"
        guard let calendar = StoreCalendar(identifier: zone) else {
            throw ValidationError("--timezone '\(zone)' is not a known time zone; use an IANA name such as UTC, Europe/London or Asia/Shanghai.")
        }
        var rules = StageRules()
        rules.churnDays = churnDays
        rules.newMaxOrders = newMaxOrders
        rules.newWithinDays = newWithinDays
        rules.decliningGapMultiple = decliningGapMultiple
        rules.loyalOrdersPerMonth = loyalOrdersPerMonth
        rules.activeMinOrdersPerMonth = activeMinOrdersPerMonth
        var asOfInstant: Int64?
        if let asOf {
            guard let instant = DayParsing.instant(asOf, calendar: calendar) else {
                throw ValidationError("--as-of '\(asOf)' is not a date or ISO 8601 instant (e.g. 2011-12-10 or 2011-12-10T00:00:00Z).")
            }
            asOfInstant = instant
        }
        return AnalysisOptions(asOf: asOfInstant, calendar: calendar, stageRules: rules, cohortPeriod: period)
    }
}

/// The time settings of model commands (`fit`, `evaluate`): the model's time unit and the store's zone
/// for purchase days.
struct ModelTimeOptions: ParsableArguments {
    @Option(help: "The model's time unit: week or day.")
    var timeUnit: TimeUnit = .week

    @Option(help: "The store's time zone for purchase days (default: the database's setting, else UTC).")
    var timezone: String?

    enum TimeUnit: String, ExpressibleByArgument, CaseIterable {
        case week, day
        /// Days per unit.
        var days: Double { self == .week ? 7 : 1 }
    }

    /// The calendar in force, given the store's own time zone setting.
    func calendar(storeTimeZone: String?) throws -> StoreCalendar {
        let zone = timezone ?? storeTimeZone ?? "UTC"
        guard let calendar = StoreCalendar(identifier: zone) else { throw ValidationError("--timezone '\(zone)' is not a known time zone.") }
        return calendar
    }

    /// Parses a `YYYY-MM-DD` option value, naming the flag when it is not a date.
    static func day(_ text: String, flag: String) throws -> CivilDate {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        let date = parts.count == 3 ? CivilDate(year: parts[0], month: parts[1], day: parts[2]) : nil
        guard let date, date.isValid else { throw ValidationError("\(flag) '\(text)' is not a date YYYY-MM-DD.") }
        return date
    }
}

/// Reads a day (`YYYY-MM-DD`, midnight in the calendar's zone) or an ISO 8601 instant given on the command line.
enum DayParsing {
    static func instant(_ text: String, calendar: StoreCalendar) -> Int64? {
        TimestampFormat.auto.parse(text.count == 10 ? text + "T00:00:00" : text, calendar: calendar)
    }
}
