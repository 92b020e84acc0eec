#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for
/// Customer Base Analysis", JMR 42(4); Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"):
/// a customer's transaction values are Gamma(p, ν), and ν ~ Gamma(q, γ) across customers. It assumes
/// spend is independent of purchase frequency; ``frequencySpendCorrelation(frequency:averageSpend:)``
/// checks that.
public enum GammaGamma {
    /// The model's parameters.
    public struct Parameters: Sendable, Equatable, Codable {
        /// p (shape of transaction values), q and γ (the Gamma of their scale).
        public var p: Double, q: Double, gamma: Double

        /// Creates parameters.
        public init(p: Double, q: Double, gamma: Double) {
            self.p = p; self.q = q; self.gamma = gamma
        }

        /// `[p, q, γ]`.
        public var vector: [Double] { [p, q, gamma] }

        /// From `[p, q, γ]`.
        public init(_ v: [Double]) { self.init(p: v[0], q: v[1], gamma: v[2]) }
    }

    /// Parameter names, in vector order.
    public static let parameterNames = ["p", "q", "gamma"]

    /// The log-density of a customer's average spend m̄ over x transactions (Fader & Hardie 2013, eq. 3):
    ///
    /// f(m̄ | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q m̄^{px−1} x^{px} / (γ + m̄x)^{px+q},
    ///
    /// with its gradient in (p, q, γ) added to `gradient` times `weight`.
    @inlinable
    public static func logLikelihood(_ parameters: Parameters, x: Double, averageSpend m: Double, weight: Double,
                                     gradient: inout [Double]) -> Double {
        let (p, q, gamma) = (parameters.p, parameters.q, parameters.gamma)
        let px = p * x
        let logM = log(m), logX = log(x), logTotal = log(gamma + m * x)
        let psiSum = Special.digamma(px + q)
        gradient[0] += weight * x * (psiSum - Special.digamma(px) + logM + logX - logTotal)
        gradient[1] += weight * (psiSum - Special.digamma(q) + log(gamma) - logTotal)
        gradient[2] += weight * (q / gamma - (px + q) / (gamma + m * x))
        return weight * (Special.logGamma(px + q) - Special.logGamma(px) - Special.logGamma(q) + q * log(gamma)
            + (px - 1) * logM + px * logX - (px + q) * logTotal)
    }

    /// E[M | x, m̄]: the expected average transaction value of a customer (Fader & Hardie 2013, eq. 5),
    /// (γ + m̄x) p / (px + q − 1), a weighted mean of the population mean pγ/(q−1) and m̄.
    public static func expectedAverageSpend(_ p: Parameters, x: Double, averageSpend m: Double) -> Double {
        (p.gamma + m * x) * p.p / (p.p * x + p.q - 1)
    }

    /// Fits on repeat buyers: `frequency[i] > 0` transactions with mean value `averageSpend[i] > 0`.
    /// Customers without repeat purchases, or with a non-positive mean, are left out (their count is
    /// returned in the warnings).
    public static func fit(frequency: [Double], averageSpend: [Double], penalty: Double = 0,
                           start: Parameters = Parameters(p: 1, q: 1, gamma: 1)) -> FitResult {
        var xs: [Double] = [], ms: [Double] = []
        for i in 0..<frequency.count where frequency[i] > 0 && averageSpend[i] > 0 {
            xs.append(frequency[i])
            ms.append(averageSpend[i])
        }
        let left = frequency.count - xs.count
        let scale = ms.isEmpty ? 1 : ms.reduce(0, +) / Double(ms.count)
        let data = (x: xs, m: ms)
        var result = MaximumLikelihood.fit(model: "gamma-gamma", names: parameterNames,
                                           start: [start.p, start.q, start.gamma * scale], observations: Double(xs.count), penalty: penalty) { v, g in
            let p = Parameters(v)
            return MaximumLikelihood.sum(count: data.x.count, parameters: 3, gradient: &g) { i, g in
                logLikelihood(p, x: data.x[i], averageSpend: data.m[i], weight: 1, gradient: &g)
            }
        }
        if left > 0 { result.warnings.append("\(left) customers without repeat purchases or positive spend were left out") }
        return result
    }

    /// Pearson correlation of frequency and average spend among repeat buyers: the model assumes it is
    /// near 0 (Fader & Hardie 2013 report 0.11 on CDNOW).
    public static func frequencySpendCorrelation(frequency: [Double], averageSpend: [Double]) -> Double {
        var pairs: [(Double, Double)] = []
        for i in 0..<frequency.count where frequency[i] > 0 && averageSpend[i] > 0 { pairs.append((frequency[i], averageSpend[i])) }
        let n = Double(pairs.count)
        guard n > 2 else { return .nan }
        let mx = pairs.reduce(0) { $0 + $1.0 } / n, my = pairs.reduce(0) { $0 + $1.1 } / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in pairs {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
            syy += (y - my) * (y - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }
}
