import Foundation

/// A trained ``Recommender`` as bytes, for `perennial recommend train` to store and the server to load.
///
/// Layout: the magic `PRCM`, a format version, the configuration as JSON, then every array length-prefixed,
/// little-endian. Loading checks the magic, the version and every length.
public enum RecommenderArchive {
    /// The format version written.
    public static let version: UInt32 = 1

    /// Why bytes could not be read back.
    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The model's bytes.
    public static func encode(_ m: Recommender) -> [UInt8] {
        var w = Writer()
        w.bytes(Array("PRCM".utf8))
        w.u32(version)
        w.blob(Array((try? JSONEncoder().encode(m.configuration)) ?? Data()))
        w.i64(Int64(m.blendRows))
        w.doubles(m.blend.coefficients)
        let d = m.data
        w.strings(d.customers)
        w.strings(d.items)
        w.ints(d.orders.rowStart.map(Int64.init))
        w.int32s(d.orders.columns)
        w.floats(d.orders.values)
        w.ints(d.firstBought)
        w.ints(d.lastBought)
        w.ints(d.customerOrderCount.map(Int64.init))
        w.ints(d.customerFirst)
        w.ints(d.customerLast)
        w.i64(d.asOf)
        w.i64(Int64(m.factors.factors))
        w.floats(m.factors.customerFactors)
        w.floats(m.factors.itemFactors)
        w.i64(Int64(m.similarity.neighboursPerItem))
        w.floats([m.similarity.shrink])
        w.ints(m.similarity.buyers.map(Int64.init))
        w.ints(m.similarity.neighbours.map { Int64($0.count) })
        let all = m.similarity.neighbours.joined()
        w.int32s(all.map(\.item))
        w.int32s(all.map(\.together))
        w.floats(all.map(\.cosine))
        w.floats(all.map(\.lift))
        w.ints(m.statistics.buyers.map(Int64.init))
        w.ints(m.statistics.recentBuyers.map(Int64.init))
        w.doubles(m.statistics.repeatLogit)
        w.ints(m.statistics.popularRecently.map(Int64.init))
        return w.out
    }

    /// Reads a model back.
    /// - Throws: ``FormatError`` when the bytes are not an archive of this version or are cut short.
    public static func decode(_ bytes: [UInt8]) throws -> Recommender {
        var r = Reader(bytes: bytes)
        guard Array(try r.take(4)) == Array("PRCM".utf8) else { throw FormatError(description: "not a Perennial recommender model (bad magic)") }
        let found = try r.u32()
        guard found == version else {
            throw FormatError(description: "recommender model format \(found), this build reads \(version): run perennial recommend train again")
        }
        let configuration = try JSONDecoder().decode(RecommenderConfiguration.self, from: Data(try r.blob()))
        let blendRows = Int(try r.i64())
        let blend = LogisticRegression(coefficients: try r.doubles())
        let customers = try r.strings(), items = try r.strings()
        let rowStart = try r.ints().map(Int.init), columns = try r.int32s(), values = try r.floats()
        guard rowStart.count == customers.count + 1, rowStart.last == columns.count, columns.count == values.count,
              rowStart.first == 0, columns.allSatisfy({ $0 >= 0 && Int($0) < items.count }) else {
            throw FormatError(description: "the interaction matrix does not match its customers and items")
        }
        let orders = SparseMatrix(rows: customers.count, columnCount: items.count, rowStart: rowStart, columns: columns, values: values)
        let first = try r.ints(), last = try r.ints()
        let orderCount = try r.ints().map(Int.init), customerFirst = try r.ints(), customerLast = try r.ints()
        let asOf = try r.i64()
        guard first.count == columns.count, last.count == columns.count, orderCount.count == customers.count,
              customerFirst.count == customers.count, customerLast.count == customers.count else {
            throw FormatError(description: "purchase times do not match the interaction matrix")
        }
        let data = InteractionData(customers: customers, items: items, orders: orders, firstBought: first, lastBought: last,
                                   customerOrderCount: orderCount, customerFirst: customerFirst, customerLast: customerLast, asOf: asOf)
        let f = Int(try r.i64())
        let customerFactors = try r.floats(), itemFactors = try r.floats()
        guard f > 0, f % 8 == 0, customerFactors.count == f * customers.count, itemFactors.count == f * items.count else {
            throw FormatError(description: "factor arrays do not match the customers and items")
        }
        let keep = Int(try r.i64())
        let shrink = try r.floats().first ?? 0
        let buyers = try r.ints().map(Int.init), counts = try r.ints().map(Int.init)
        let neighbourItems = try r.int32s(), together = try r.int32s(), cosine = try r.floats(), lift = try r.floats()
        guard buyers.count == items.count, counts.count == items.count, counts.reduce(0, +) == neighbourItems.count,
              together.count == neighbourItems.count, cosine.count == neighbourItems.count, lift.count == neighbourItems.count,
              neighbourItems.allSatisfy({ $0 >= 0 && Int($0) < items.count }) else {
            throw FormatError(description: "neighbour lists do not match the items")
        }
        var neighbours: [[Neighbour]] = [], at = 0
        for n in counts {
            neighbours.append((at..<(at + n)).map { Neighbour(item: neighbourItems[$0], together: together[$0], cosine: cosine[$0], lift: lift[$0]) })
            at += n
        }
        let statistics = ItemStatistics(buyers: try r.ints().map(Int.init), recentBuyers: try r.ints().map(Int.init),
                                        repeatLogit: try r.doubles(), popularRecently: try r.ints().map(Int.init))
        guard statistics.buyers.count == items.count, statistics.recentBuyers.count == items.count,
              statistics.repeatLogit.count == items.count, statistics.popularRecently.allSatisfy({ $0 >= 0 && $0 < items.count }) else {
            throw FormatError(description: "item statistics do not match the items")
        }
        return Recommender(configuration: configuration, data: data,
                           factors: FactorModel(factors: f, customerFactors: customerFactors, itemFactors: itemFactors),
                           similarity: ItemSimilarity(neighboursPerItem: keep, shrink: shrink, neighbours: neighbours, buyers: buyers),
                           statistics: statistics, blend: blend, blendRows: blendRows)
    }

    struct Writer {
        var out: [UInt8] = []
        mutating func bytes(_ b: [UInt8]) { out += b }
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        mutating func blob(_ b: [UInt8]) { i64(Int64(b.count)); out += b }
        mutating func ints(_ a: [Int64]) { i64(Int64(a.count)); for v in a { i64(v) } }
        mutating func int32s(_ a: [Int32]) { i64(Int64(a.count)); for v in a { withUnsafeBytes(of: v.littleEndian) { out += $0 } } }
        mutating func floats(_ a: [Float]) { i64(Int64(a.count)); for v in a { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } } }
        mutating func doubles(_ a: [Double]) { i64(Int64(a.count)); for v in a { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } } }
        mutating func strings(_ a: [String]) { i64(Int64(a.count)); for s in a { blob(Array(s.utf8)) } }
    }

    struct Reader {
        let bytes: [UInt8]
        var at = 0
        mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, at + n <= bytes.count else { throw FormatError(description: "the model is cut short at byte \(at)") }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let slice = try take(MemoryLayout<T>.size)
            var v: T = 0
            for (k, b) in slice.enumerated() { v |= T(truncatingIfNeeded: b) << (8 * k) }
            return v
        }
        mutating func u32() throws -> UInt32 { try fixed(UInt32.self) }
        mutating func i64() throws -> Int64 { try fixed(Int64.self) }
        mutating func count(_ width: Int) throws -> Int {
            let n = try i64()
            guard n >= 0, Int(n) <= (bytes.count - at) / max(width, 1) else { throw FormatError(description: "a length at byte \(at) runs past the end") }
            return Int(n)
        }
        mutating func blob() throws -> [UInt8] { Array(try take(try count(1))) }
        mutating func ints() throws -> [Int64] { try (0..<count(8)).map { _ in try i64() } }
        mutating func int32s() throws -> [Int32] { try (0..<count(4)).map { _ in try fixed(Int32.self) } }
        mutating func floats() throws -> [Float] { try (0..<count(4)).map { _ in Float(bitPattern: try fixed(UInt32.self)) } }
        mutating func doubles() throws -> [Double] { try (0..<count(8)).map { _ in Double(bitPattern: try fixed(UInt64.self)) } }
        mutating func strings() throws -> [String] {
            try (0..<count(8)).map { _ in
                guard let s = String(validating: try blob(), as: UTF8.self) else { throw FormatError(description: "a name is not UTF-8") }
                return s
            }
        }
    }
}
