import PerennialCore; import CZlib; public enum _I { public static func v() -> String { String(cString: zlibVersion()) } }
