import ArgumentParser
import PerennialCore
import PerennialReports
import PerennialIngestion
import PerennialStorage

/// A transaction table and where it came from.
struct LoadedTable {
    var table: TransactionTable
    /// The store's time zone setting, when it came from a database.
    var storeTimeZone: String?
    /// One line saying where the data came from.
    var origin: String
    /// The read summary, when it came from a file.
    var fileSummary: ImportSummary?
}

/// Loads the history to analyse: a file given on the command line, or else the database.
enum TableLoader {
    static func load(file: String?, format: FileFormatOptions, database: DatabaseOptions) async throws -> LoadedTable {
        if let file {
            let reader = try OrderFileReader(path: file, options: try format.importOptions(details: false))
            let (table, summary) = try reader.readTable(progress: Terminal.fileProgress(label: "reading \(file)"))
            Terminal.endProgress()
            if summary.rowsRejected > 0, let path = summary.quarantinePath {
                Terminal.note("note: \(Formatting.count(summary.rowsRejected)) rows of \(file) were rejected and written to \(path)")
            }
            return LoadedTable(table: table, storeTimeZone: nil,
                               origin: "\(file): \(Formatting.count(summary.rowsRead)) rows, \(Formatting.count(table.orderCount)) orders", fileSummary: summary)
        }
        let store = try await database.open(create: false)
        guard let table = try await store.loadTransactions() else {
            throw ValidationError("the database '\(database.shown)' holds no orders yet. Import some: perennial import orders FILE --format online-retail|cdnow|generic")
        }
        return LoadedTable(table: table, storeTimeZone: try await store.setting("timezone"),
                           origin: "\(database.shown): \(Formatting.count(table.orderCount)) orders", fileSummary: nil)
    }
}
