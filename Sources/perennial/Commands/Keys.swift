import ArgumentParser
import Foundation
import PerennialReports
import PerennialServer
import PerennialStorage

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke the server's API keys.",
        discussion: """
        Every route but /healthz, /readyz and /openapi.json needs a key: send it as \
        Authorization: Bearer <key>. Roles: admin may do everything; analyst may only read (GET); \
        ingest may only post events. The key is printed once; the database keeps only its SHA-256.
          perennial keys create --role ingest --label "shop backend"
          perennial keys list
          perennial keys revoke 3f9a0c1e
        """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it once.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "admin, analyst or ingest.")
        var role: Role

        @Option(help: "What the key is for (shown in lists).")
        var label: String?

        @Flag(help: "Print JSON: key, id, role.")
        var json = false

        func run() async throws {
            let store = try await database.open(create: true)
            let (key, record) = APIKeys.generate(role: role, label: label, now: Int64(Date().timeIntervalSince1970))
            try await store.saveKey(record)
            if json {
                struct Created: Encodable { var key: String; var id: String; var role: String; var label: String? }
                print(try ReportJSON.encode(Created(key: key, id: record.id, role: record.role, label: label)))
            } else {
                print(key)
                Terminal.note("created \(role.rawValue) key \(record.id) in \(database.shown); it is shown only now, so keep it somewhere safe")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (ids, roles, labels; never the keys).")

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let keys = try await database.open(create: false).keys()
            if json {
                struct Row: Encodable { var id: String; var role: String; var label: String?; var created_at: String; var revoked_at: String? }
                print(try ReportJSON.encode(keys.map { Row(id: $0.id, role: $0.role, label: $0.label, created_at: Formatting.iso($0.createdAt),
                                                           revoked_at: $0.revokedAt.map(Formatting.iso)) }))
                return
            }
            var table = TextTable(["id", "role", "label", "created", "revoked"], leftColumns: [0, 1, 2])
            for key in keys {
                table.add([key.id, key.role, key.label ?? "", Formatting.iso(key.createdAt), key.revokedAt.map(Formatting.iso) ?? ""])
            }
            print(keys.isEmpty ? "no keys yet: perennial keys create --role admin" : table.render(indent: ""))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id; a running server stops accepting it within 10 seconds.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The key's id (the part after prn_, as keys list shows).", valueName: "id"))
        var id: String

        func run() async throws {
            guard try await database.open(create: false).revokeKey(id: id, at: Int64(Date().timeIntervalSince1970)) else {
                throw ValidationError("no live key with id '\(id)'; see perennial keys list")
            }
            Terminal.note("revoked key \(id)")
        }
    }
}

extension Role: ExpressibleByArgument {}
