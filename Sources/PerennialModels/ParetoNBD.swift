#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987, "Counting Your Customers", Management
/// Science 33(1); Fader & Hardie 2005, "A Note on Deriving the Pareto/NBD Model and Related
/// Expressions"): while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); their
/// lifetime is exponential with rate μ ~ Gamma(s, β).
public enum ParetoNBD {
    /// The model's parameters.
    public struct Parameters: Sendable, Equatable, Codable {
        /// r and α (the Gamma of purchase rates), s and β (the Gamma of dropout rates).
        public var r: Double, alpha: Double, s: Double, beta: Double

        /// Creates parameters.
        public init(r: Double, alpha: Double, s: Double, beta: Double) {
            self.r = r; self.alpha = alpha; self.s = s; self.beta = beta
        }

        /// `[r, α, s, β]`.
        public var vector: [Double] { [r, alpha, s, beta] }

        /// From `[r, α, s, β]`.
        public init(_ v: [Double]) { self.init(r: v[0], alpha: v[1], s: v[2], beta: v[3]) }
    }

    /// Parameter names, in vector order.
    public static let parameterNames = ["r", "alpha", "s", "beta"]

    /// The pieces of one customer's likelihood L = C · (e^A + s·I), with
    /// C = Γ(r+x) α^r β^s / Γ(r), A = −(r+x) log(α+T) − s log(β+T) and
    /// I = ∫_{t_x}^{T} (α+y)^{−(r+x)} (β+y)^{−(s+1)} dy (Fader & Hardie 2005, eqs. 16–19, where I is
    /// written with ₂F₁; the integral form is the same quantity, and its parameter derivatives are
    /// integrals too).
    ///
    /// I is computed with 48-point Gauss–Legendre quadrature in v = log(min(α, β) + y), where the
    /// integrand is smooth, and returned in log space with the log of the integrals of its derivatives'
    /// factors −log(α+y), −1/(α+y), −log(β+y), −1/(β+y) (as signed ratios to I).
    struct Integral {
        var logI = -Double.infinity
        var dR = 0.0, dAlpha = 0.0, dS = 0.0, dBeta = 0.0
    }

    static func integral(_ p: Parameters, x: Double, tx: Double, T: Double) -> Integral {
        guard T > tx else { return Integral() }
        let c = min(p.alpha, p.beta)
        let v0 = log(c + tx), v1 = log(c + T)
        let half = (v1 - v0) / 2, middle = (v1 + v0) / 2
        let rule = GaussLegendre.standard
        // One pass with a running maximum (online log-sum-exp): no scratch arrays.
        var top = -Double.infinity
        var total = 0.0, dR = 0.0, dA = 0.0, dS = 0.0, dB = 0.0
        for k in 0..<rule.nodes.count {
            let v = middle + half * rule.nodes[k]
            let y = exp(v) - c
            let la = log(p.alpha + y), lb = log(p.beta + y)
            let term = rule.logWeights[k] - (p.r + x) * la - (p.s + 1) * lb + v
            if term > top {
                let scale = exp(top - term)
                total *= scale; dR *= scale; dA *= scale; dS *= scale; dB *= scale
                top = term
            }
            let w = exp(term - top)
            total += w
            dR -= w * la
            dA -= w * (p.r + x) / (p.alpha + y)
            dS -= w * lb
            dB -= w * (p.s + 1) / (p.beta + y)
        }
        return Integral(logI: top + log(total) + log(half), dR: dR / total, dAlpha: dA / total, dS: dS / total, dBeta: dB / total)
    }

    /// One customer's log-likelihood, gradient in (r, α, s, β) added to `gradient` times `weight`.
    public static func logLikelihood(_ p: Parameters, x: Double, tx: Double, T: Double, weight: Double,
                                     gradient: inout [Double]) -> Double {
        let (r, alpha, s, beta) = (p.r, p.alpha, p.s, p.beta)
        let logC = Special.logGamma(r + x) - Special.logGamma(r) + r * log(alpha) + s * log(beta)
        let la = log(alpha + T), lb = log(beta + T)
        let a = -(r + x) * la - s * lb
        let i = integral(p, x: x, tx: tx, T: T)
        let b = log(s) + i.logI
        let mix = Special.logAddExp(a, b)
        let wa = exp(a - mix), wb = exp(b - mix)
        gradient[0] += weight * (Special.digamma(r + x) - Special.digamma(r) + log(alpha) - wa * la + wb * i.dR)
        gradient[1] += weight * (r / alpha - wa * (r + x) / (alpha + T) + wb * i.dAlpha)
        gradient[2] += weight * (log(beta) - wa * lb + wb * (1 / s + i.dS))
        gradient[3] += weight * (s / beta - wa * s / (beta + T) + wb * i.dBeta)
        return weight * (logC + mix)
    }

    /// P(alive | x, t_x, T) = e^A / (e^A + s·I) (Fader & Hardie 2005, eq. 18).
    public static func probabilityAlive(_ p: Parameters, x: Double, tx: Double, T: Double) -> Double {
        let a = -(p.r + x) * log(p.alpha + T) - p.s * log(p.beta + T)
        let b = log(p.s) + integral(p, x: x, tx: tx, T: T).logI
        return exp(a - Special.logAddExp(a, b))
    }

    /// E[X(t) | x, t_x, T] = P(alive) · (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}]
    /// (Schmittlein, Morrison & Colombo 1987, eq. 22); for s = 1 the bracket's limit (β+T) log(1 + t/(β+T)).
    public static func expectedPurchases(_ p: Parameters, t: Double, x: Double, tx: Double, T: Double) -> Double {
        let alive = probabilityAlive(p, x: x, tx: tx, T: T)
        let rate = (p.r + x) / (p.alpha + T)
        let growth: Double
        if abs(p.s - 1) < 1e-9 {
            growth = (p.beta + T) * log1p(t / (p.beta + T))
        } else {
            growth = (p.beta + T) / (p.s - 1) * (1 - pow((p.beta + T) / (p.beta + T + t), p.s - 1))
        }
        return alive * rate * growth
    }

    /// Fits the model by maximum likelihood.
    public static func fit(_ data: PurchaseHistories, penalty: Double = 0,
                           start: Parameters = Parameters(r: 1, alpha: 1, s: 1, beta: 1)) -> FitResult {
        MaximumLikelihood.fit(model: "pnbd", names: parameterNames, start: start.vector, observations: data.totalWeight, penalty: penalty) { v, g in
            let p = Parameters(v)
            return MaximumLikelihood.sum(count: data.count, parameters: 4, gradient: &g) { i, g in
                logLikelihood(p, x: data.frequency[i], tx: data.recency[i], T: data.age[i], weight: data.weight[i], gradient: &g)
            }
        }
    }
}
