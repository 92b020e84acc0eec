import ArgumentParser
import Foundation
import PerennialCore
import PerennialIngestion
import PerennialReports
import PerennialStorage

struct ImportEvents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Import events from a JSON Lines file (one event a line, .gz read transparently); re-importing changes nothing.",
        discussion: """
        Each line is one event in the shape POST /v1/events takes: event_id, type, customer_id, timestamp \
        (RFC 3339), then the type's own fields (README, "Events"). Events with an event_id already stored \
        are counted as duplicates and change nothing. Lines that cannot be read are written with their \
        line number, field and reason to <file>.rejected.csv (or --quarantine PATH); the rest are kept.
          perennial import events events.jsonl
        """)

    @Argument(help: ArgumentHelp("The JSON Lines file.", valueName: "file"))
    var file: String

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Where rejected lines go (default: <file>.rejected.csv).", valueName: "path"))
    var quarantine: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    struct Result: Encodable {
        var file: String
        var database: String
        var seconds: Double
        var lines: Int
        var accepted: Int
        var duplicates: Int
        var rejected: Int
        var quarantine: String?
        var first_problems: [Problem]
        struct Problem: Encodable { var line: Int; var field: String; var reason: String }
    }

    func run() async throws {
        let started = Date()
        let quarantinePath = quarantine ?? file + ".rejected.csv"
        let reader: EventFileReader
        do {
            reader = try EventFileReader(path: file, quarantinePath: quarantinePath, decoder: EventDecoder(now: Int64(Date().timeIntervalSince1970)))
        } catch let error as IngestionError {
            throw ValidationError(error.description)
        }
        let store = try await database.open(create: true)
        var result = Result(file: file, database: database.shown, seconds: 0, lines: 0, accepted: 0, duplicates: 0, rejected: 0,
                            quarantine: nil, first_problems: [])
        func note(_ line: Int, _ field: String, _ reason: String) {
            if result.first_problems.count < 5 { result.first_problems.append(.init(line: line, field: field, reason: reason)) }
        }
        while let batch = try reader.nextBatch(limit: 1_000) {
            var events: [CustomerEvent] = []
            var lines: [Int] = []
            for line in batch {
                switch line.item {
                case .event(let event):
                    events.append(event)
                    lines.append(line.number)
                case .rejected(_, let rejection):
                    note(line.number, rejection.field, rejection.reason)
                }
            }
            let report = try await store.record(events, receivedAt: Int64(Date().timeIntervalSince1970))
            for (i, outcome) in report.outcomes.enumerated() {
                switch outcome {
                case .accepted: result.accepted += 1
                case .duplicate: result.duplicates += 1
                case .rejected(let field, let reason):
                    try reader.reject(line: lines[i], field: field, reason: reason, raw: Array("event \(events[i].id)".utf8))
                    note(lines[i], field, reason)
                }
            }
            if !json { Terminal.progress("importing \(file): \(Formatting.count(reader.linesRead)) lines") }
        }
        reader.close()
        if !json { Terminal.endProgress() }
        result.lines = reader.linesRead
        result.rejected = reader.rejectedCount
        result.quarantine = reader.rejectedCount > 0 ? quarantinePath : nil
        result.seconds = Date().timeIntervalSince(started)
        if json {
            print(try ReportJSON.encode(result))
            return
        }
        var out = "Read \(file) into \(database.shown) in \(Formatting.decimal(result.seconds, places: 2)) s\n"
        out += "  lines       \(Formatting.count(result.lines))\n"
        out += "  accepted    \(Formatting.count(result.accepted))\n"
        out += "  duplicates  \(Formatting.count(result.duplicates)) (stored before; unchanged)\n"
        out += "  rejected    \(Formatting.count(result.rejected))\n"
        if let path = result.quarantine {
            out += "\nRejected lines were written to \(path) (line, reason, raw). First ones:\n"
            for problem in result.first_problems { out += "  line \(problem.line): \(problem.field): \(problem.reason)\n" }
        }
        print(out, terminator: "")
    }
}
