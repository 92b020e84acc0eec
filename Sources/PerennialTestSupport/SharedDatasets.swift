import Foundation

/// Finds the public datasets of `../shared/datasets` beside the repository, when they are there.
///
/// Tests that use them are skipped through Swift Testing (`.enabled(if: SharedDatasets.isPresent(…))`)
/// on a fresh clone without `../shared`.
public enum SharedDatasets {
    /// The package's root directory, found from this source file's path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path of a dataset file (`online_retail.csv.gz`, `cdnow/CDNOW_master.txt`), or `nil` when absent.
    /// `PERENNIAL_DATASETS` overrides the folder.
    public static func path(_ name: String) -> String? {
        let folder = ProcessInfo.processInfo.environment["PERENNIAL_DATASETS"]
            ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets").path
        let path = (folder as NSString).appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Whether a dataset file is present (for `.enabled(if:)`).
    public static func isPresent(_ name: String) -> Bool { path(name) != nil }
}
