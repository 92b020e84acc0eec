#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PerennialReports
import PerennialIngestion

/// Writing to the terminal: messages on standard error, and a progress line only when standard error is
/// a terminal (so piped output stays clean).
enum Terminal {
    /// Writes text to standard error, unbuffered.
    static func writeError(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }

    /// Whether standard error is a terminal.
    static let isInteractive = isatty(STDERR_FILENO) != 0

    /// Prints a message to standard error.
    static func note(_ message: String) {
        writeError(message + "\n")
    }

    /// A progress callback for file reads, or `nil` when not on a terminal.
    static func fileProgress(label: String) -> (@Sendable (ImportProgress) -> Void)? {
        guard isInteractive else { return nil }
        return { progress in
            let percent = progress.totalBytes > 0 ? Int(100 * progress.bytesRead / progress.totalBytes) : 0
            writeError("\r\(label): \(Formatting.count(progress.rowsRead)) rows, \(percent)% of the file")
        }
    }

    /// Rewrites the progress line (only on a terminal).
    static func progress(_ text: String) {
        if isInteractive { writeError("\r" + text) }
    }

    /// Clears a progress line.
    static func endProgress() {
        if isInteractive { writeError("\r\u{1B}[K") }
    }
}
