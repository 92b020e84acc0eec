import ArgumentParser
import Foundation
import PerennialCampaigns
import PerennialCore
import PerennialReports
import PerennialStorage
import PerennialServer

extension Campaigns {
    struct Outbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the campaign messages in the outbox: pending, delivered or dead (every attempt failed).")

        @Option(help: ArgumentHelp("pending, delivered or dead (default: all).", valueName: "status"))
        var status: String?

        @Option(help: "At most this many, oldest first.")
        var limit = 100

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            var wanted: OutboxStatus?
            if let status {
                guard let value = OutboxStatus(rawValue: status) else { throw ValidationError("--status '\(status)' is not pending, delivered or dead.") }
                wanted = value
            }
            let messages = try await database.open(create: false).outbox(status: wanted, limit: limit)
            if json {
                struct Row: Encodable { var message_id, campaign_id, customer_id, channel, status: String; var attempts: Int; var last_error: String? }
                print(try ReportJSON.encode(messages.map { Row(message_id: $0.id, campaign_id: $0.campaignID, customer_id: $0.customerID, channel: $0.channel,
                                                               status: $0.status.rawValue, attempts: $0.attempts, last_error: $0.lastError) }))
                return
            }
            var table = TextTable(["message", "campaign", "customer", "channel", "status", "attempts", "last error"], leftColumns: [0, 1, 2, 3, 4, 6])
            for message in messages {
                table.add([message.id, message.campaignID, message.customerID, message.channel, message.status.rawValue, "\(message.attempts)", message.lastError ?? ""])
            }
            print(table.render())
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliver dead outbox messages again (a running server picks them up).")

        @Argument(help: ArgumentHelp("Message ids (see perennial campaigns outbox --status dead).", valueName: "id"))
        var ids: [String]

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await database.open(create: false)
            var missing: [String] = []
            for id in ids where !(try await store.retryDead(id: id, now: Int64(Date().timeIntervalSince1970))) { missing.append(id) }
            Terminal.note("\(ids.count - missing.count) message(s) pending again")
            if !missing.isEmpty { throw ValidationError("not dead or not in the outbox: \(missing.joined(separator: ", ")); list dead messages with perennial campaigns outbox --status dead.") }
        }
    }
}
