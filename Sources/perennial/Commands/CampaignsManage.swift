import ArgumentParser
import Foundation
import PerennialCampaigns
import PerennialCore
import PerennialReports
import PerennialStorage
import PerennialServer

extension Campaigns {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store campaign definitions in the database (replacing those with the same id); perennial serve runs them.",
            discussion: "Every file is checked first; if any definition has a problem, nothing is stored.")

        @Argument(help: ArgumentHelp("Definition files (JSON or YAML).", valueName: "file"))
        var files: [String]

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let documents = try Campaigns.documents(files)
            let ids = try await CampaignRegistry.apply(documents, to: try await database.open(create: true))
            Terminal.note("applied \(ids.joined(separator: ", ")) to \(database.shown); a running perennial serve picks them up at its next tick")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the campaigns stored in the database.")

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let campaigns = try await CampaignRegistry.campaigns(in: try await database.open(create: false))
            if json {
                struct Row: Encodable { var id, name: String; var priority: Int; var holdout: Double; var active: Bool }
                print(try ReportJSON.encode(campaigns.map { Row(id: $0.id, name: $0.name, priority: $0.priority, holdout: $0.holdout, active: $0.active) }))
                return
            }
            var table = TextTable(["campaign", "name", "priority", "holdout", "state"], leftColumns: [0, 1, 4])
            for c in campaigns { table.add([c.id, c.name, "\(c.priority)", Formatting.percent(c.holdout), c.active ? "active" : "paused"]) }
            print(table.render())
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a stored campaign (its definition is kept; resume it later).")

        @Argument(help: "The campaign id.")
        var id: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard try await CampaignRegistry.setActive(id, false, in: try await database.open(create: false)) else {
                throw ValidationError("no campaign '\(id)' in \(database.shown); list them with perennial campaigns list.")
            }
            Terminal.note("paused \(id)")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a paused campaign again.")

        @Argument(help: "The campaign id.")
        var id: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard try await CampaignRegistry.setActive(id, true, in: try await database.open(create: false)) else {
                throw ValidationError("no campaign '\(id)' in \(database.shown); list them with perennial campaigns list.")
            }
            Terminal.note("resumed \(id)")
        }
    }
}
