import Foundation
import PerennialModels

/// The normal and Student-t distributions the uplift tests need.
public enum Distributions {
    /// P(Z ≤ z) for a standard normal Z.
    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// The 97.5% point of the standard normal: a 95% two-sided interval is ±this many standard errors.
    public static let z975 = 1.959963984540054

    /// P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is),
    /// from the regularized incomplete beta function: P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2).
    public static func studentCDF(_ t: Double, df: Double) -> Double {
        guard df > 0, t.isFinite else { return t > 0 ? 1 : 0 }
        let tail = 0.5 * regularizedBeta(df / (df + t * t), a: df / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The t for which P(T ≤ t) = p (bisection on the CDF: exact to 1e-12, and only called per report).
    public static func studentQuantile(_ p: Double, df: Double) -> Double {
        var low = -1e3, high = 1e3
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if studentCDF(mid, df: df) < p { low = mid } else { high = mid }
            if high - low < 1e-12 { break }
        }
        return (low + high) / 2
    }

    /// I_x(a, b), by the continued fraction (modified Lentz), using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
    public static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(a * log(x) + b * log1p(-x) - Special.logBeta(a, b))
        if x < (a + 1) / (a + b + 2) { return front * continuedFraction(x, a, b) / a }
        return 1 - exp(b * log1p(-x) + a * log(x) - Special.logBeta(a, b)) * continuedFraction(1 - x, b, a) / b
    }

    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }

    /// P(X > x) for a chi-square with 1 degree of freedom (the sample-ratio check).
    public static func chiSquare1Survival(_ x: Double) -> Double { x <= 0 ? 1 : erfc((x / 2).squareRoot()) }
}
