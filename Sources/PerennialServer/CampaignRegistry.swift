import Foundation
import PerennialCampaigns
import PerennialStorage

/// The campaigns a store runs: their definitions, one row each in the store (``CampaignStore``), so
/// every `serve` node on the database runs the same ones and two writers never lose each other's
/// changes. The one place where definitions are checked before they are stored: the CLI and the API
/// accept and refuse the same documents.
public enum CampaignRegistry {
    /// A definition document and the name it is reported under (a file's path; `nil` for a request body).
    public struct Document: Sendable {
        public var name: String?
        public var data: Data

        public init(name: String? = nil, data: Data) {
            self.name = name
            self.data = data
        }
    }

    /// The campaigns of documents, checked: every problem of every document (with the document's name
    /// before its path), and an id defined twice across them. Throws ``CampaignDefinitionError`` when
    /// there is any problem; returns the campaigns and the JSON object of each, in order.
    public static func check(_ documents: [Document]) throws(CampaignDefinitionError) -> [(campaign: Campaign, object: [String: Any])] {
        var checked: [(Campaign, [String: Any])] = []
        var problems: [CampaignProblem] = []
        for document in documents {
            let parsed = CampaignParser.parse(document.data)
            problems += parsed.problems.map { problem in
                guard let name = document.name else { return problem }
                return CampaignProblem(path: problem.path.isEmpty ? name : "\(name): \(problem.path)", message: problem.message)
            }
            guard parsed.problems.isEmpty, let json = try? DefinitionDocument.json(document.data),
                  let root = try? JSONSerialization.jsonObject(with: json) else { continue }
            var objects: [[String: Any]] = []
            if let list = root as? [[String: Any]] { objects = list }
            else if let wrapper = root as? [String: Any], let list = wrapper["campaigns"] as? [[String: Any]] { objects = list }
            else if let single = root as? [String: Any] { objects = [single] }
            checked += zip(parsed.campaigns, objects).map { ($0, $1) }
        }
        var seen: Set<String> = []
        for (campaign, _) in checked where !seen.insert(campaign.id).inserted {
            problems.append(CampaignProblem(path: "id", message: "the campaign id '\(campaign.id)' is defined more than once; ids must be unique"))
        }
        if !problems.isEmpty { throw CampaignDefinitionError(problems: problems) }
        return checked
    }

    /// The stored campaigns, each with its stored pause state.
    public static func campaigns(in store: any CampaignStore) async throws -> [Campaign] {
        var objects: [[String: Any]] = []
        for stored in try await store.storedCampaigns() {
            guard var object = (try? JSONSerialization.jsonObject(with: Data(stored.definition.utf8))) as? [String: Any] else { continue }
            object["active"] = stored.active
            objects.append(object)
        }
        return CampaignParser.parse(try JSONSerialization.data(withJSONObject: objects)).campaigns
    }

    /// Adds or replaces campaigns by id from definition documents (JSON or YAML), after checking them
    /// all (``check(_:)``): nothing is stored when any is invalid. All are stored in one transaction.
    /// Returns the ids applied.
    public static func apply(_ documents: [Document], to store: any CampaignStore, at instant: Int64 = Int64(Date().timeIntervalSince1970)) async throws -> [String] {
        let checked = try check(documents)
        let stored = try checked.map { campaign, object in
            StoredCampaign(id: campaign.id, definition: String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self),
                           active: campaign.active)
        }
        try await store.saveCampaigns(stored, at: instant)
        return stored.map(\.id)
    }

    /// Pauses or resumes a stored campaign; `false` when there is none with the id.
    public static func setActive(_ id: String, _ active: Bool, in store: any CampaignStore,
                                 at instant: Int64 = Int64(Date().timeIntervalSince1970)) async throws -> Bool {
        try await store.setCampaignActive(id: id, active: active, at: instant)
    }
}

/// Campaign definitions that did not pass the checks, with every problem.
public struct CampaignDefinitionError: Error, CustomStringConvertible {
    public var problems: [CampaignProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
