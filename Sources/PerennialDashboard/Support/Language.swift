import Foundation

/// A language the dashboard speaks.
public enum Language: String, Sendable, CaseIterable {
    case en
    case zhHans = "zh-Hans"

    /// The value of the `lang` attribute and of `?lang=`.
    public var tag: String { rawValue }

    /// A language named by `?lang=` (`en`, `zh-Hans`, also `zh` and `zh-CN`); `nil` for others.
    public init?(tag: String) {
        switch tag.lowercased() {
        case "en", "en-gb", "en-us": self = .en
        case "zh-hans", "zh", "zh-cn", "zh-sg", "zh-hans-cn": self = .zhHans
        default: return nil
        }
    }

    /// The language an `Accept-Language` header prefers, by quality; English when none is supported.
    ///
    /// `zh-TW` and `zh-Hant` are Traditional Chinese, which the dashboard does not have: they are
    /// skipped, so a reader who also accepts English gets English.
    public static func preferred(acceptLanguage header: String?) -> Language {
        guard let header else { return .en }
        var best: (language: Language, quality: Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = parts.first, !range.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0, let language = match(range) else { continue }
            if best == nil || quality > best!.quality { best = (language, quality) }
        }
        return best?.language ?? .en
    }

    private static func match(_ range: String) -> Language? {
        let lower = range.lowercased()
        if lower == "en" || lower.hasPrefix("en-") { return .en }
        if lower.hasPrefix("zh-hant") || lower == "zh-tw" || lower == "zh-hk" || lower == "zh-mo" { return nil }
        if lower == "zh" || lower.hasPrefix("zh-") { return .zhHans }
        return nil
    }
}
