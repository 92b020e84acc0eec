import Foundation

/// L2-penalised logistic regression fitted by Newton's method (iteratively reweighted least squares):
/// the blend of ``Recommender`` learnt from the store's own history.
public struct LogisticRegression: Sendable, Hashable, Codable {
    /// One coefficient per feature (the first feature is the constant 1).
    public var coefficients: [Double]

    /// Creates a model from its coefficients.
    public init(coefficients: [Double]) { self.coefficients = coefficients }

    /// Fits `P(y = 1 | x) = 1 / (1 + e^(−w·x))` to 0/1 labels and rows `x` stored one after another in
    /// `flat`, `width` values each, with penalty `l2 / 2 × |w|²`, until no coefficient moves by `tolerance` or more.
    /// - Complexity: O(iterations × rows × features²).
    public static func fit(flat: [Double], width p: Int, labels: [Double], l2: Double = 1, maxIterations: Int = 25, tolerance: Double = 1e-4) -> LogisticRegression {
        guard p > 0 else { return LogisticRegression(coefficients: []) }
        var w = [Double](repeating: 0, count: p)
        for _ in 0..<maxIterations {
            var gradient = [Double](repeating: 0, count: p), hessian = [Double](repeating: 0, count: p * p)
            flat.withUnsafeBufferPointer { rows in
                for (r, y) in labels.enumerated() {
                    let x = rows.baseAddress! + r * p
                    var z = 0.0
                    for k in 0..<p { z += w[k] * x[k] }
                    let mu = 1 / (1 + exp(-z)), v = mu * (1 - mu)
                    for a in 0..<p where x[a] != 0 {
                        gradient[a] += (y - mu) * x[a]
                        let va = v * x[a]
                        for b in a..<p { hessian[a * p + b] += va * x[b] }
                    }
                }
            }
            for a in 0..<p {
                gradient[a] -= l2 * w[a]
                hessian[a * p + a] += l2
                for b in 0..<a { hessian[a * p + b] = hessian[b * p + a] }
            }
            let step = solve(hessian, gradient, p)
            var largest = 0.0
            for a in 0..<p { w[a] += step[a]; largest = max(largest, abs(step[a])) }
            if largest < tolerance { break }
        }
        return LogisticRegression(coefficients: w)
    }

    /// The linear score `w·x` (monotone in the probability).
    public func score<C: Collection<Double>>(_ x: C) -> Double {
        var z = 0.0
        for (w, v) in zip(coefficients, x) { z += w * v }
        return z
    }

    /// The probability `1 / (1 + e^(−w·x))`.
    public func probability<C: Collection<Double>>(_ x: C) -> Double { 1 / (1 + exp(-score(x))) }

    /// Solves the symmetric positive-definite system `a·x = b` by Gaussian elimination with partial pivoting.
    static func solve(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var a = a, b = b
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(a[r * n + col]) > abs(a[pivot * n + col]) { pivot = r }
            if pivot != col {
                for k in 0..<n { a.swapAt(col * n + k, pivot * n + k) }
                b.swapAt(col, pivot)
            }
            let d = a[col * n + col]
            if d == 0 { continue }
            for r in (col + 1)..<n {
                let f = a[r * n + col] / d
                if f == 0 { continue }
                for k in col..<n { a[r * n + k] -= f * a[col * n + k] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = b[r]
            for k in (r + 1)..<n { s -= a[r * n + k] * x[k] }
            x[r] = a[r * n + r] == 0 ? 0 : s / a[r * n + r]
        }
        return x
    }
}
