/// A database problem, with what to do about it. Descriptions never carry SQL arguments or personal
/// data.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    /// The database's result code, when it gave one.
    public var code: Int32
    /// What went wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(code: Int32 = 0, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Whether the database was locked by another connection or process (SQLite's `SQLITE_BUSY` or
    /// `SQLITE_LOCKED`): the write may be tried again.
    public var isBusy: Bool { code & 0xff == 5 || code & 0xff == 6 }
}
