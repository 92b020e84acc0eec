import Foundation
import PerennialCore
import PerennialGenerator
import PerennialIngestion
import PerennialTestSupport
import Testing

/// Mutated inputs with a fixed seed and a time budget: the event decoder and the CSV reader must
/// answer every one with a result or a named error — never a crash — and their counts must add up.
@Suite struct FuzzTests {
    /// How long each fuzz run may take.
    static let budget: Duration = .seconds(4)

    /// Mutations of bytes that hit the readers' edges: flipped bits, cut-offs, repeated spans, and
    /// inserted bytes that mean something (quotes, separators, NUL, line breaks, digits, huge numbers).
    static func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        let specials: [[UInt8]] = ["\"", ",", ";", "\n", "\r\n", "\0", "\\", "{", "[", "]", "}", "-", ".", "e308", "9999999999999999999999",
                                   "\u{FEFF}", "\u{00E9}", "\\u0000", "\\ud800", "null", "1e-400", "0x10"].map { Array($0.utf8) }
        for _ in 0..<(1 + Int(random.next() % 4)) {
            guard !bytes.isEmpty else { bytes = specials[Int(random.next() % UInt64(specials.count))]; continue }
            let at = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 6 {
            case 0: bytes[at] ^= UInt8(1 << (random.next() % 8))
            case 1: bytes.removeSubrange(at...)
            case 2: bytes.insert(contentsOf: specials[Int(random.next() % UInt64(specials.count))], at: at)
            case 3:
                let end = min(bytes.count, at + 1 + Int(random.next() % 40))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: at)
            case 4: bytes.remove(at: at)
            default: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            }
        }
        return bytes
    }

    @Test("the event batch decoder answers every mutated batch with events and per-event rejections, or a syntax error")
    func eventDecoder() {
        let seeds = [
            #"[{"event_id": "e1", "type": "order", "customer_id": "c1", "timestamp": "2024-01-01T10:00:00Z", "order_id": "o1", "currency": "GBP", "lines": [{"sku": "s", "quantity": 2, "unit_price": 12.75}]}, {"event_id": "e2", "type": "refund", "customer_id": "c1", "timestamp": "2024-01-02T10:00:00+08:00", "order_id": "o1", "currency": "GBP", "amount": 3.5}]"#,
            #"{"events": [{"event_id": "e3", "type": "identify", "customer_id": "c2", "timestamp": "2024-01-01T10:00:00Z", "user_id": "u9"}, {"event_id": "e4", "type": "consent", "customer_id": "c2", "timestamp": "2024-01-01T10:00:00Z", "channel": "email", "status": "granted"}]}"#,
            #"[{"event_id": "e5", "type": "review", "customer_id": "c3", "timestamp": "2024-01-01T10:00:00Z", "rating": 4, "text": "fine \u00e9"}, {"event_id": "e6", "type": "profile", "customer_id": "c3", "timestamp": "2024-01-01T10:00:00Z", "birthday": "1990-02-29", "time_zone": "Asia/Shanghai"}]"#,
        ].map { Array($0.utf8) }
        var random = SeededRandom(seed: 20261207)
        let decoder = EventDecoder(now: utc(2025, 1, 1))
        let deadline = ContinuousClock.now + Self.budget
        var runs = 0, decoded = 0, refused = 0
        while ContinuousClock.now < deadline {
            let input = Self.mutate(seeds[runs % seeds.count], &random)
            runs += 1
            do {
                let batch = try EventBatch.decode(input, decoder: decoder)
                decoded += 1
                for case let .event(event) in batch.items {
                    // Whatever is accepted is storable: no NUL, amounts within the limits.
                    #expect(!event.id.utf8.contains(0) && !event.customerID.utf8.contains(0))
                    if case let .order(order, _) = event.payload {
                        #expect(order.lines.allSatisfy { Money.isWithinLimit($0.amountMinor) })
                        #expect(Money.isWithinLimit(order.amountMinor))
                    }
                }
            } catch {
                refused += 1
            }
        }
        #expect(runs > 1_000, "only \(runs) inputs in the budget")
        #expect(decoded > 0 && refused > 0)
    }

    @Test("the CSV reader answers every mutated file with accepted and quarantined rows, or a named error; the counts add up")
    func csvReader() throws {
        let directory = try TemporaryDirectory()
        let seed = Array(#"""
            order_id,customer_id,timestamp,sku,description,quantity,unit_price,currency,kind
            A1,c1,2024-01-01T10:00:00Z,S1,"Mug, blue",2,12.75,GBP,purchase
            A1,c1,2024-01-01T10:00:00Z,S2,"Say ""hi""",1,0.001,GBP,purchase
            A2,,2024-01-02 11:00:00,S1,plain,-1,12.75,GBP,cancellation
            A3,c2,2024-01-03T10:00:00+08:00,S3,,3,4,GBP,purchase

            """#.utf8)
        var random = SeededRandom(seed: 7_2026)
        let deadline = ContinuousClock.now + Self.budget
        var runs = 0, read = 0, refused = 0
        while ContinuousClock.now < deadline {
            let bytes = Self.mutate(seed, &random)
            runs += 1
            let path = try directory.write("fuzz.csv", bytes: bytes)
            do {
                let reader = try OrderFileReader(path: path, options: ImportOptions(format: .generic, quarantinePath: directory.path("q.csv")))
                var lines = 0
                let summary = try reader.read { line in
                    lines += 1
                    #expect(Money.isWithinLimit(line.amountMinor))
                }
                #expect(summary.rowsAccepted == lines)
                #expect(summary.rowsAccepted + summary.rowsRejected <= summary.rowsRead)
                read += 1
            } catch is IngestionError {
                refused += 1
            }
        }
        #expect(runs > 300, "only \(runs) files in the budget")
        #expect(read > 0)
    }

    @Test("deeply nested JSON is a syntax error, not a stack overflow")
    func deepNesting() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 200_000) + Array(repeating: UInt8(ascii: "]"), count: 200_000)
        #expect(throws: (any Error).self) { _ = try EventBatch.decode(deep, decoder: EventDecoder()) }
    }
}
