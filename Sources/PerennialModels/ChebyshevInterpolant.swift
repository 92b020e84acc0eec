#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Chebyshev interpolant of two smooth functions of one variable on [lower, upper] (Trefethen,
/// *Approximation Theory and Approximation Practice*, 2013, ch. 3–4): their values at the n Chebyshev
/// points of the first kind give the coefficients by a cosine sum, and Clenshaw's recurrence evaluates
/// them. For functions analytic in a Bernstein ellipse of parameter ρ the error falls like ρ^{−n}.
struct ChebyshevInterpolant: Sendable {
    let lower: Double, upper: Double
    let coefficients: [SIMD2<Double>]

    /// Interpolates `f` with `points` nodes, then checks it at `points / 3` places between nodes; `nil`
    /// when anywhere there the error exceeds `tolerance` times the largest value at the nodes.
    init?(lower: Double, upper: Double, points n: Int, tolerance: Double, _ f: (Double) -> SIMD2<Double>) {
        precondition(upper > lower && n > 1)
        self.lower = lower
        self.upper = upper
        let half = (upper - lower) / 2, middle = (upper + lower) / 2
        let angles = (0..<n).map { Double.pi * (Double($0) + 0.5) / Double(n) }
        let values = angles.map { f(middle + half * cos($0)) }
        var coefficients = (0..<n).map { k in
            var sum = SIMD2<Double>.zero
            for j in 0..<n { sum += values[j] * cos(Double(k) * angles[j]) }
            return sum * (2 / Double(n))
        }
        coefficients[0] /= 2
        self.coefficients = coefficients
        var scale = SIMD2<Double>.zero
        for value in values { scale = pointwiseMax(scale, Self.magnitude(value)) }
        for j in stride(from: 1, to: n, by: 3) {
            let u = middle + half * cos(Double.pi * Double(j) / Double(n))
            let error = Self.magnitude(evaluate(u) - f(u))
            guard error[0] <= tolerance * scale[0], error[1] <= tolerance * scale[1] else { return nil }
        }
    }

    /// Both functions at `u`.
    func evaluate(_ u: Double) -> SIMD2<Double> {
        coefficients.withUnsafeBufferPointer { Self.evaluate($0, lower: lower, upper: upper, at: u) }
    }

    /// A Chebyshev series on [lower, upper] at `u` (Clenshaw's recurrence).
    @inline(__always)
    static func evaluate(_ coefficients: UnsafeBufferPointer<SIMD2<Double>>, lower: Double, upper: Double, at u: Double) -> SIMD2<Double> {
        let t = (2 * u - (lower + upper)) / (upper - lower)
        var b1 = SIMD2<Double>.zero, b2 = SIMD2<Double>.zero
        for k in stride(from: coefficients.count - 1, through: 1, by: -1) {
            let b0 = 2 * t * b1 - b2 + coefficients[k]
            b2 = b1
            b1 = b0
        }
        return t * b1 - b2 + coefficients[0]
    }

    static func magnitude(_ v: SIMD2<Double>) -> SIMD2<Double> { SIMD2(abs(v[0]), abs(v[1])) }
}
