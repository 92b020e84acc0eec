import Foundation
import PerennialCampaigns
import PerennialStorage

/// The campaigns a store runs: their definitions, kept as one JSON list in the store's settings
/// (`campaigns`), so every `serve` node on the database runs the same ones.
public enum CampaignRegistry {
    static let key = "campaigns"

    /// The stored definitions (raw JSON objects, by id, in the order applied).
    static func definitions(in store: any OrderStore) async throws -> [[String: Any]] {
        guard let text = try await store.setting(key), let list = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] else { return [] }
        return list
    }

    private static func save(_ definitions: [[String: Any]], in store: any OrderStore) async throws {
        let data = try JSONSerialization.data(withJSONObject: definitions, options: [.sortedKeys])
        try await store.setSetting(key, String(decoding: data, as: UTF8.self))
    }

    /// The stored campaigns.
    public static func campaigns(in store: any OrderStore) async throws -> [Campaign] {
        let data = try JSONSerialization.data(withJSONObject: try await definitions(in: store))
        return CampaignParser.parse(data).campaigns
    }

    /// Adds or replaces campaigns by id from definition documents (JSON or YAML), after checking them
    /// all; throws the problems (nothing is stored) when any is invalid. Returns the ids applied.
    public static func apply(_ documents: [Data], to store: any OrderStore) async throws -> [String] {
        var objects: [[String: Any]] = []
        var problems: [CampaignProblem] = []
        for document in documents {
            let parsed = CampaignParser.parse(document)
            problems += parsed.problems
            guard parsed.problems.isEmpty, let json = try? DefinitionDocument.json(document),
                  let root = try? JSONSerialization.jsonObject(with: json) else { continue }
            if let list = root as? [[String: Any]] { objects += list }
            else if let wrapper = root as? [String: Any], let list = wrapper["campaigns"] as? [[String: Any]] { objects += list }
            else if let single = root as? [String: Any] { objects.append(single) }
        }
        if !problems.isEmpty { throw CampaignDefinitionError(problems: problems) }
        var stored = try await definitions(in: store)
        for object in objects {
            let id = object["id"] as? String
            if let i = stored.firstIndex(where: { $0["id"] as? String == id }) { stored[i] = object } else { stored.append(object) }
        }
        try await save(stored, in: store)
        return objects.compactMap { $0["id"] as? String }
    }

    /// Pauses or resumes a stored campaign; `false` when there is none with the id.
    public static func setActive(_ id: String, _ active: Bool, in store: any OrderStore) async throws -> Bool {
        var stored = try await definitions(in: store)
        guard let i = stored.firstIndex(where: { $0["id"] as? String == id }) else { return false }
        stored[i]["active"] = active
        try await save(stored, in: store)
        return true
    }
}

/// Campaign definitions that did not pass the checks, with every problem.
public struct CampaignDefinitionError: Error, CustomStringConvertible {
    public var problems: [CampaignProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
