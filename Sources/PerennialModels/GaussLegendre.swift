#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gauss–Legendre quadrature nodes and weights on [−1, 1], found by Newton's method on the Legendre
/// polynomial (Press et al., *Numerical Recipes*, 3rd ed., §4.6, `gauleg`).
public struct GaussLegendre: Sendable {
    /// Nodes in [−1, 1].
    public let nodes: [Double]
    /// Weights, summing to 2.
    public let weights: [Double]
    /// Logarithms of the weights.
    public let logWeights: [Double]

    /// The n-point rule (exact for polynomials of degree 2n − 1).
    public init(points n: Int) {
        var nodes = [Double](repeating: 0, count: n), weights = [Double](repeating: 0, count: n)
        for i in 0..<(n + 1) / 2 {
            var z = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p1 = 1.0, p2 = 0.0
                for j in 0..<n {
                    let p3 = p2
                    p2 = p1
                    p1 = ((2 * Double(j) + 1) * z * p2 - Double(j) * p3) / Double(j + 1)
                }
                derivative = Double(n) * (z * p1 - p2) / (z * z - 1)
                let previous = z
                z = previous - p1 / derivative
                if abs(z - previous) < 1e-15 { break }
            }
            nodes[i] = -z
            nodes[n - 1 - i] = z
            weights[i] = 2 / ((1 - z * z) * derivative * derivative)
            weights[n - 1 - i] = weights[i]
        }
        self.nodes = nodes
        self.weights = weights
        logWeights = weights.map { log($0) }
    }

    /// The 48-point rule.
    public static let standard = GaussLegendre(points: 48)
    /// The rules Pareto/NBD's integral chooses from.
    static let six = GaussLegendre(points: 6), eight = GaussLegendre(points: 8)
    static let ten = GaussLegendre(points: 10), sixteen = GaussLegendre(points: 16)
}
