import Foundation

/// How raw counts become confidences for implicit-feedback factorisation.
public enum ConfidenceWeighting: String, Sendable, Hashable, Codable, CaseIterable {
    /// The counts as they are.
    case none
    /// `1 + log(1 + count / ε)`, ε = 1 (Hu, Koren & Volinsky 2008, eq. 6 with α = 1).
    case log
    /// Okapi BM25 on the customer × item matrix: an item bought by fewer customers weighs more, a customer
    /// with many items weighs each less. K1 = 100, B = 0.8 as in `implicit.nearest_neighbours.bm25_weight`.
    case bm25

    /// The weighted matrix.
    /// - Complexity: O(entries).
    public func apply(to matrix: SparseMatrix, k1: Float = 100, b: Float = 0.8) -> SparseMatrix {
        switch self {
        case .none:
            return matrix
        case .log:
            return matrix.mapValues { 1 + Foundation.log(1 + $0) }
        case .bm25:
            // Item idf over customers; row length normalised by the mean row sum (as implicit does).
            let n = Float(matrix.rows)
            let df = matrix.columnCounts()
            let idf = df.map { Foundation.log(n) - Foundation.log1p(Float($0)) }
            var rowSums = [Float](repeating: 0, count: matrix.rows)
            for r in 0..<matrix.rows { rowSums[r] = matrix.values[matrix.row(r)].reduce(0, +) }
            let average = rowSums.reduce(0, +) / max(n, 1)
            var out = matrix
            for r in 0..<matrix.rows {
                let lengthNorm = (1 - b) + b * rowSums[r] / average
                for k in matrix.row(r) {
                    let v = matrix.values[k]
                    out.values[k] = v * (k1 + 1) / (k1 * lengthNorm + v) * idf[Int(matrix.columns[k])]
                }
            }
            return out
        }
    }
}
