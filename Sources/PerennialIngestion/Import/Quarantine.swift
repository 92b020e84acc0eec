#if canImport(Glibc)
import Glibc
#endif

/// Writes rejected rows to a CSV file (`line,reason,raw`), created on the first rejection.
final class Quarantine {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?

    init(path: String) { self.path = path }

    deinit { if let file { fclose(file) } }

    /// Appends one rejected row.
    func write(line: Int, reason: String, raw: String) throws {
        if file == nil {
            guard let opened = fopen(path, "w") else {
                throw IngestionError.cannotOpen(path: path, reason: "cannot create the quarantine file: \(String(cString: strerror(errno)))")
            }
            file = opened
            fputs("line,reason,raw\n", opened)
        }
        fputs("\(line),\(Self.escape(reason)),\(Self.escape(raw))\n", file)
    }

    /// Closes the file, flushing it.
    func close() {
        if let file { fclose(file) }
        file = nil
    }

    /// Quotes a CSV field when it needs it.
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
