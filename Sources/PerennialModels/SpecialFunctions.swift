#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Special functions for the likelihoods, computed in log space where they would overflow.
public enum Special {
    /// log Γ(x) for x > 0 (thread-safe `lgamma_r`).
    @inlinable
    public static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).
    @inlinable
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    /// The digamma function ψ(x) = d/dx log Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to
    /// x ≥ 10, then the asymptotic series (Abramowitz & Stegun 6.3.18), accurate to about 1e-14.
    public static func digamma(_ value: Double) -> Double {
        var x = value
        var result = 0.0
        while x < 10 {
            result -= 1 / x
            x += 1
        }
        let inverse = 1 / x, inverse2 = inverse * inverse
        // ln x − 1/(2x) − Σ B_2k / (2k x^{2k})
        let series = inverse2 * (1.0 / 12 - inverse2 * (1.0 / 120 - inverse2 * (1.0 / 252 - inverse2 * (1.0 / 240 - inverse2 * (1.0 / 132)))))
        return result + log(x) - 0.5 * inverse - series
    }

    /// The trigamma function ψ′(x) for x > 0: the recurrence ψ′(x) = ψ′(x + 1) + 1/x² up to x ≥ 10, then
    /// the asymptotic series 1/x + 1/(2x²) + Σ B_2k / x^{2k+1} (A&S 6.4.12).
    public static func trigamma(_ value: Double) -> Double {
        var x = value
        var result = 0.0
        while x < 10 {
            result += 1 / (x * x)
            x += 1
        }
        let inverse = 1 / x, inverse2 = inverse * inverse
        let series = inverse * (1 + inverse * (0.5 + inverse * (1.0 / 6 - inverse2 * (1.0 / 30 - inverse2 * (1.0 / 42 - inverse2 * (1.0 / 30 - inverse2 * (5.0 / 66)))))))
        return result + series
    }

    /// log(e^a + e^b) without overflow.
    @inlinable
    public static func logAddExp(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b))
    }

    /// The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series, summed
    /// until a term no longer changes the sum (Abramowitz & Stegun 15.1.1).
    ///
    /// For z > 0.5 the Euler transformation ₂F₁(a, b; c; z) = (1 − z)^{c−a−b} ₂F₁(c − a, c − b; c; z)
    /// (A&S 15.3.3) is used when it shortens the series (its terms shrink faster when c − a and c − b are
    /// small). Returns `nan` when the series does not settle within 100,000 terms.
    public static func hyp2f1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        precondition(z >= 0 && z < 1, "hyp2f1 needs 0 ≤ z < 1")
        if z > 0.5 && abs((c - a) * (c - b)) < abs(a * b) {
            return pow(1 - z, c - a - b) * series2f1(c - a, c - b, c, z)
        }
        return series2f1(a, b, c, z)
    }

    /// The plain power series of ₂F₁ (no transformation), for callers that transform themselves.
    public static func series2f1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        var term = 1.0, sum = 1.0
        for n in 0..<100_000 {
            let k = Double(n)
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            let next = sum + term
            if next == sum && n > 2 { return sum }
            sum = next
            if !sum.isFinite { return .nan }
        }
        return .nan
    }
}
