import Foundation
import Yams

/// A definition document as written: JSON, or YAML (the same fields, as YAML maps and lists). Both
/// become the same JSON value, so one parser checks them and the store keeps JSON.
public enum DefinitionDocument {
    /// The document's JSON bytes: JSON as it is (a document whose first character is `{` or `[`),
    /// anything else read as YAML.
    public static func json(_ data: Data) throws(CampaignProblem) -> Data {
        if let first = data.first(where: { !Self.isSpace($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return data }
        let text = String(decoding: data, as: UTF8.self)
        let value: Any?
        do {
            value = try Yams.load(yaml: text)
        } catch {
            throw CampaignProblem(path: "(document)", message: "not valid YAML (\(Self.describe(error))); check the indentation and the `key: value` pairs")
        }
        guard let value else { throw CampaignProblem(path: "(document)", message: "the document is empty; write a campaign with id, trigger and steps") }
        let plain = Self.plain(value)
        guard JSONSerialization.isValidJSONObject(plain), let json = try? JSONSerialization.data(withJSONObject: plain, options: [.sortedKeys]) else {
            throw CampaignProblem(path: "(document)", message: "expected a campaign (a YAML map), a list of them, or campaigns: [...]")
        }
        return json
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xEF || byte == 0xBB || byte == 0xBF }

    /// YAML's values as JSON's: timestamps and binary become text, null becomes JSON null.
    private static func plain(_ value: Any) -> Any {
        switch value {
        case let map as [String: Any]: return map.mapValues(plain)
        case let map as [AnyHashable: Any]: return Dictionary(uniqueKeysWithValues: map.map { ("\($0.key)", plain($0.value)) })
        case let list as [Any]: return list.map(plain)
        case let date as Date: return ISO8601DateFormatter().string(from: date)
        case let data as Data: return data.base64EncodedString()
        case is NSNull: return NSNull()
        case let value as String: return value
        case let value as Bool: return value
        case let value as Int: return value
        case let value as Double: return value
        default: return "\(value)"
        }
    }

    /// Yams's error as one line, with its position.
    private static func describe(_ error: Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
    }
}
