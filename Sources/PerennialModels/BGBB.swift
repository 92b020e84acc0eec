#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The BG/BB model for discrete purchase opportunities (Fader, Hardie & Shang 2010, "Customer-Base
/// Analysis in a Discrete-Time Noncontractual Setting", Marketing Science 29(6)): while alive, a customer
/// buys at each opportunity with probability p ~ Beta(α, β); before each opportunity they drop out with
/// probability θ ~ Beta(γ, δ).
public enum BGBB {
    /// The model's parameters.
    public struct Parameters: Sendable, Equatable, Codable {
        /// α and β (the purchase-probability Beta), γ and δ (the dropout Beta).
        public var alpha: Double, beta: Double, gamma: Double, delta: Double

        /// Creates parameters.
        public init(alpha: Double, beta: Double, gamma: Double, delta: Double) {
            self.alpha = alpha; self.beta = beta; self.gamma = gamma; self.delta = delta
        }

        /// `[α, β, γ, δ]`.
        public var vector: [Double] { [alpha, beta, gamma, delta] }

        /// From `[α, β, γ, δ]`.
        public init(_ v: [Double]) { self.init(alpha: v[0], beta: v[1], gamma: v[2], delta: v[3]) }
    }

    /// Parameter names, in vector order.
    public static let parameterNames = ["alpha", "beta", "gamma", "delta"]

    /// One pattern's log-likelihood (Fader, Hardie & Shang 2010, eq. 5), gradient added to `gradient`:
    ///
    /// L = B(α+x, β+n−x)/B(α, β) · B(γ, δ+n)/B(γ, δ)
    ///   + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α, β) · B(γ+1, δ+t_x+i)/B(γ, δ)
    ///
    /// for x purchases in n opportunities, the last at opportunity t_x.
    public static func logLikelihood(_ p: Parameters, x: Double, tx: Double, n: Double, weight: Double,
                                     gradient: inout [Double]) -> Double {
        let (a, b, g, d) = (p.alpha, p.beta, p.gamma, p.delta)
        let base = -Special.logBeta(a, b) - Special.logBeta(g, d)
        // Terms: (log value, ∂/∂α, ∂/∂β, ∂/∂γ, ∂/∂δ) of each summand, before the common base.
        var terms: [(Double, Double, Double, Double, Double)] = []
        func term(_ purchaseA: Double, _ purchaseB: Double, _ dropG: Double, _ dropD: Double) {
            let value = Special.logBeta(purchaseA, purchaseB) + Special.logBeta(dropG, dropD)
            let psiP = Special.digamma(purchaseA + purchaseB), psiD = Special.digamma(dropG + dropD)
            terms.append((value, Special.digamma(purchaseA) - psiP, Special.digamma(purchaseB) - psiP,
                          Special.digamma(dropG) - psiD, Special.digamma(dropD) - psiD))
        }
        term(a + x, b + n - x, g, d + n)
        let extra = Int(n - tx)
        for i in 0..<max(0, extra) { term(a + x, b + tx - x + Double(i), g + 1, d + tx + Double(i)) }
        let top = terms.map(\.0).max()!
        let total = terms.reduce(0) { $0 + exp($1.0 - top) }
        let mix = top + log(total)
        var dA = 0.0, dB = 0.0, dG = 0.0, dD = 0.0
        for t in terms {
            let w = exp(t.0 - mix)
            dA += w * t.1; dB += w * t.2; dG += w * t.3; dD += w * t.4
        }
        let psiAB = Special.digamma(a + b), psiGD = Special.digamma(g + d)
        gradient[0] += weight * (dA - Special.digamma(a) + psiAB)
        gradient[1] += weight * (dB - Special.digamma(b) + psiAB)
        gradient[2] += weight * (dG - Special.digamma(g) + psiGD)
        gradient[3] += weight * (dD - Special.digamma(d) + psiGD)
        return weight * (base + mix)
    }

    /// P(alive at n+1 | x, t_x, n) (Fader, Hardie & Shang 2010, eq. 11).
    public static func probabilityAlive(_ p: Parameters, x: Double, tx: Double, n: Double) -> Double {
        var scratch = [0.0, 0, 0, 0]
        let logL = logLikelihood(p, x: x, tx: tx, n: n, weight: 1, gradient: &scratch)
        let alive = Special.logBeta(p.alpha + x, p.beta + n - x) - Special.logBeta(p.alpha, p.beta)
            + Special.logBeta(p.gamma, p.delta + n + 1) - Special.logBeta(p.gamma, p.delta)
        return exp(alive - logL)
    }

    /// Expected purchases in the next `future` opportunities (Fader, Hardie & Shang 2010, eq. 13):
    ///
    /// (1/L) · B(α+x+1, β+n−x)/B(α, β) · δ/(γ−1) · Γ(γ+δ)/Γ(1+δ)
    ///       · [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+n*)/Γ(γ+δ+n+n*)].
    public static func expectedPurchases(_ p: Parameters, future: Double, x: Double, tx: Double, n: Double) -> Double {
        var scratch = [0.0, 0, 0, 0]
        let logL = logLikelihood(p, x: x, tx: tx, n: n, weight: 1, gradient: &scratch)
        let (a, b, g, d) = (p.alpha, p.beta, p.gamma, p.delta)
        let purchase = Special.logBeta(a + x + 1, b + n - x) - Special.logBeta(a, b)
        let scale = Special.logGamma(g + d) - Special.logGamma(1 + d)
        let now = exp(Special.logGamma(1 + d + n) - Special.logGamma(g + d + n) + scale)
        let later = exp(Special.logGamma(1 + d + n + future) - Special.logGamma(g + d + n + future) + scale)
        return exp(purchase - logL) * d / (g - 1) * (now - later)
    }

    /// Fits the model to patterns of (x, t_x, n) with weights (the number of customers of each pattern).
    public static func fit(frequency: [Double], recency: [Double], opportunities: [Double], weight: [Double],
                           penalty: Double = 0, start: Parameters = Parameters(alpha: 1, beta: 1, gamma: 1, delta: 1)) -> FitResult {
        let data = (x: frequency, tx: recency, n: opportunities, w: weight)
        return MaximumLikelihood.fit(model: "bgbb", names: parameterNames, start: start.vector,
                                     observations: weight.reduce(0, +), penalty: penalty) { v, g in
            let p = Parameters(v)
            return MaximumLikelihood.sum(count: data.x.count, parameters: 4, gradient: &g) { i, g in
                logLikelihood(p, x: data.x[i], tx: data.tx[i], n: data.n[i], weight: data.w[i], gradient: &g)
            }
        }
    }
}
