import PerennialCore; import VaporCSQLite; public enum _S { public static func v() -> String { String(cString: sqlite_nio_sqlite3_libversion()) } }
