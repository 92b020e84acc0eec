#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The BG/NBD model of Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way: An
/// Alternative to the Pareto/NBD Model", Marketing Science 24(2): while alive, a customer buys as a
/// Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop out with probability
/// p ~ Beta(a, b).
public enum BGNBD {
    /// The model's parameters.
    public struct Parameters: Sendable, Equatable, Codable {
        /// r (shape of the purchase rates), α (their scale), a and b (the dropout Beta).
        public var r: Double, alpha: Double, a: Double, b: Double

        /// Creates parameters.
        public init(r: Double, alpha: Double, a: Double, b: Double) {
            self.r = r; self.alpha = alpha; self.a = a; self.b = b
        }

        /// `[r, α, a, b]`.
        public var vector: [Double] { [r, alpha, a, b] }

        /// From `[r, α, a, b]`.
        public init(_ v: [Double]) { self.init(r: v[0], alpha: v[1], a: v[2], b: v[3]) }
    }

    /// Parameter names, in vector order.
    public static let parameterNames = ["r", "alpha", "a", "b"]

    /// The log-likelihood of one customer (FHL 2005, eq. 6), with its gradient in (r, α, a, b) added to
    /// `gradient` times `weight`:
    ///
    /// L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^{r+x})
    ///   + δ(x>0) · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^{r+x}),
    ///
    /// computed as log Γ(r+x) − log Γ(r) + r log α + log Γ(a+b) + log Γ(b+x) − log Γ(b) − log Γ(a+b+x)
    /// + log(e^{A₃} + δ e^{A₄}), A₃ = −(r+x) log(α+T), A₄ = log a − log(b+x−1) − (r+x) log(α+t_x).
    @inlinable
    public static func logLikelihood(_ p: Parameters, x: Double, tx: Double, T: Double, weight: Double,
                                     gradient: inout [Double]) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let logAlphaT = log(alpha + T)
        let a1 = Special.logGamma(r + x) - Special.logGamma(r) + r * log(alpha)
        let a2 = Special.logGamma(a + b) + Special.logGamma(b + x) - Special.logGamma(b) - Special.logGamma(a + b + x)
        let a3 = -(r + x) * logAlphaT
        var w3 = 1.0, w4 = 0.0, mix = a3
        var logAlphaTx = 0.0
        if x > 0 {
            logAlphaTx = log(alpha + tx)
            let a4 = log(a) - log(b + x - 1) - (r + x) * logAlphaTx
            mix = Special.logAddExp(a3, a4)
            w3 = exp(a3 - mix)
            w4 = exp(a4 - mix)
        }
        let psiAB = Special.digamma(a + b), psiABX = Special.digamma(a + b + x)
        gradient[0] += weight * (Special.digamma(r + x) - Special.digamma(r) + log(alpha) - w3 * logAlphaT - w4 * logAlphaTx)
        gradient[1] += weight * (r / alpha - w3 * (r + x) / (alpha + T) - (x > 0 ? w4 * (r + x) / (alpha + tx) : 0))
        gradient[2] += weight * (psiAB - psiABX + (x > 0 ? w4 / a : 0))
        gradient[3] += weight * (psiAB + Special.digamma(b + x) - Special.digamma(b) - psiABX - (x > 0 ? w4 / (b + x - 1) : 0))
        return weight * (a1 + a2 + mix)
    }

    /// P(alive | x, t_x, T) (FHL 2005, eq. 13): 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^{r+x}).
    public static func probabilityAlive(_ p: Parameters, x: Double, tx: Double, T: Double) -> Double {
        guard x > 0 else { return 1 }
        let logRatio = log(p.a) - log(p.b + x - 1) + (p.r + x) * (log(p.alpha + T) - log(p.alpha + tx))
        return 1 / (1 + exp(logRatio))
    }

    /// E[X(t) | x, t_x, T], expected purchases in the next t (FHL 2005, eq. 10):
    ///
    /// (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z)] / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^{r+x}),
    /// z = t/(α+T+t). Euler's transformation (A&S 15.3.3) turns the bracket into
    /// 1 − ((α+T)/(α+T+t))^{a−1} ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose series has small numerator
    /// parameters whatever x is, so customers with hundreds of purchases stay finite.
    public static func expectedPurchases(_ p: Parameters, t: Double, x: Double, tx: Double, T: Double) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let z = t / (alpha + T + t)
        let hyp = Special.series2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        let numerator = (a + b + x - 1) / (a - 1) * (1 - exp((a - 1) * log((alpha + T) / (alpha + T + t))) * hyp)
        let odds = x > 0 ? exp(log(a) - log(b + x - 1) + (r + x) * (log(alpha + T) - log(alpha + tx))) : 0
        return numerator / (1 + odds)
    }

    /// E[X(t)] for a customer just acquired (FHL 2005, eq. 9).
    public static func expectedPurchasesNewCustomer(_ p: Parameters, t: Double) -> Double {
        let hyp = Special.hyp2f1(p.r, p.b, p.a + p.b - 1, t / (p.alpha + t))
        return (p.a + p.b - 1) / (p.a - 1) * (1 - pow(p.alpha / (p.alpha + t), p.r) * hyp)
    }

    /// P(X(t) = n) for a customer just acquired (FHL 2005, eq. 8).
    public static func probabilityOfPurchases(_ p: Parameters, n: Int, t: Double) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let x = Double(n)
        let logBeta = Special.logBeta(a, b)
        let logShare = log(t / (alpha + t)), logKeep = log(alpha / (alpha + t))
        func logNBD(_ j: Double) -> Double {
            Special.logGamma(r + j) - Special.logGamma(r) - Special.logGamma(j + 1) + r * logKeep + j * logShare
        }
        var result = exp(Special.logBeta(a, b + x) - logBeta + logNBD(x))
        if n > 0 {
            var cumulative = 0.0
            for j in 0..<n { cumulative += exp(logNBD(Double(j))) }
            result += exp(Special.logBeta(a + 1, b + x - 1) - logBeta) * (1 - cumulative)
        }
        return result
    }
}

extension BGNBD {
    /// Fits the model by maximum likelihood (log-parameters, L-BFGS, analytic gradient).
    ///
    /// Every term that depends on the parameters and x only (the log-gammas, digammas and log(b+x−1))
    /// is computed once per distinct frequency per evaluation; each customer then costs two logarithms
    /// and an exponential, and customers are summed on all cores.
    /// - Parameters:
    ///   - penalty: optional L2 penalty on the parameters (0 for plain maximum likelihood).
    public static func fit(_ data: PurchaseHistories, penalty: Double = 0, start: Parameters = Parameters(r: 1, alpha: 1, a: 1, b: 1)) -> FitResult {
        let grouped = FrequencyGroups(data)
        guard penalty == 0 else {
            return MaximumLikelihood.fit(model: "bgnbd", names: parameterNames, start: start.vector, observations: data.totalWeight, penalty: penalty) { v, g in
                gradientOnly(Parameters(v), grouped, &g)
            }
        }
        let newton = Newton.fit(model: "bgnbd", names: parameterNames, start: start.vector, observations: data.totalWeight) { v, g, h in
            logLikelihood(Parameters(v), grouped, gradient: &g, hessian: &h)
        }
        if newton.converged { return newton }
        // Newton stalled (a surface it cannot model well): L-BFGS from where it stopped.
        return MaximumLikelihood.fit(model: "bgnbd", names: parameterNames, start: newton.parameters, observations: data.totalWeight) { v, g in
            gradientOnly(Parameters(v), grouped, &g)
        }
    }

    /// The grouped log-likelihood with its gradient only, for L-BFGS (the Hessian is computed and dropped).
    static func gradientOnly(_ p: Parameters, _ data: FrequencyGroups, _ gradient: inout [Double]) -> Double {
        var hessian = [Double](repeating: 0, count: 16), g = [Double](repeating: 0, count: 4)
        let value = logLikelihood(p, data, gradient: &g, hessian: &hessian)
        for i in 0..<4 { gradient[i] += g[i] }
        return value
    }

    /// The total log-likelihood with its gradient and Hessian (4 × 4, row-major) in (r, α, a, b).
    ///
    /// Per customer, mix = log(e^{A₃} + δe^{A₄}) has Hessian w₃H₃ + w₄H₄ + w₃w₄(∇A₃ − ∇A₄)(∇A₃ − ∇A₄)ᵀ;
    /// the x-only terms contribute trigammas, once per distinct x.
    static func logLikelihood(_ p: Parameters, _ data: FrequencyGroups, gradient: inout [Double], hessian: inout [Double]) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let logAlpha = log(alpha), logA = log(a)
        let psiR = Special.digamma(r), psiB = Special.digamma(b), psiAB = Special.digamma(a + b)
        let lgR = Special.logGamma(r), lgB = Special.logGamma(b), lgAB = Special.logGamma(a + b)
        let triR = Special.trigamma(r), triB = Special.trigamma(b), triAB = Special.trigamma(a + b)
        struct PerX { var constant, dR, dA, dB, logOdds, inverseB, hRR, hAA, hBB: Double }
        let perX = data.values.map { x -> PerX in
            let psiABX = Special.digamma(a + b + x), triABX = Special.trigamma(a + b + x)
            return PerX(constant: Special.logGamma(r + x) - lgR + r * logAlpha + lgAB + Special.logGamma(b + x) - lgB - Special.logGamma(a + b + x),
                        dR: Special.digamma(r + x) - psiR + logAlpha, dA: psiAB - psiABX,
                        dB: psiAB + Special.digamma(b + x) - psiB - psiABX,
                        logOdds: x > 0 ? logA - log(b + x - 1) : -.infinity, inverseB: x > 0 ? 1 / (b + x - 1) : 0,
                        hRR: Special.trigamma(r + x) - triR, hAA: triAB - triABX, hBB: triAB + Special.trigamma(b + x) - triB - triABX)
        }
        // Accumulators: 0–3 gradient, then the 10 distinct Hessian entries rr rα ra rb αα αa αb aa ab bb.
        var sums = [Double](repeating: 0, count: 14)
        let total = MaximumLikelihood.sum(count: data.count, parameters: 14, gradient: &sums) { i, s in
            let k = Int(data.group[i])
            let x = data.values[k], w = data.weight[i]
            let c = perX[k]
            let alphaT = alpha + data.age[i]
            let logAlphaT = log(alphaT)
            let a3 = -(r + x) * logAlphaT
            // ∇A₃ and ∇A₄ in (r, α, a, b).
            let g3r = -logAlphaT, g3a = -(r + x) / alphaT
            var mix = a3, w4 = 0.0
            var g4r = 0.0, g4a = 0.0, g4A = 0.0, g4B = 0.0, alphaTx = 1.0
            if x > 0 {
                alphaTx = alpha + data.recency[i]
                let logAlphaTx = log(alphaTx)
                let a4 = c.logOdds - (r + x) * logAlphaTx
                let d = a4 - a3
                if d <= 0 {
                    let e = exp(d)
                    mix = a3 + log1p(e)
                    w4 = e / (1 + e)
                } else {
                    let e = exp(-d)
                    mix = a4 + log1p(e)
                    w4 = 1 / (1 + e)
                }
                g4r = -logAlphaTx; g4a = -(r + x) / alphaTx; g4A = 1 / a; g4B = -c.inverseB
            }
            let w3 = 1 - w4
            s[0] += w * (c.dR + w3 * g3r + w4 * g4r)
            s[1] += w * (r / alpha + w3 * g3a + w4 * g4a)
            s[2] += w * (c.dA + w4 * g4A)
            s[3] += w * (c.dB + w4 * g4B)
            // Hessian of the constant part and of mix.
            let cross = w3 * w4
            let dr = g3r - g4r, da = g3a - g4a, dA = -g4A, dB = -g4B
            s[4] += w * (c.hRR + cross * dr * dr)
            s[5] += w * (1 / alpha - w3 / alphaT - (x > 0 ? w4 / alphaTx : 0) + cross * dr * da)
            s[6] += w * (cross * dr * dA)
            s[7] += w * (cross * dr * dB)
            s[8] += w * (-r / (alpha * alpha) + w3 * (r + x) / (alphaT * alphaT) + (x > 0 ? w4 * (r + x) / (alphaTx * alphaTx) : 0) + cross * da * da)
            s[9] += w * (cross * da * dA)
            s[10] += w * (cross * da * dB)
            s[11] += w * (c.hAA - (x > 0 ? w4 / (a * a) : 0) + cross * dA * dA)
            s[12] += w * (c.hAA + cross * dA * dB)
            s[13] += w * (c.hBB + (x > 0 ? w4 * c.inverseB * c.inverseB : 0) + cross * dB * dB)
            return w * (c.constant + mix)
        }
        for i in 0..<4 { gradient[i] = sums[i] }
        let upper = [(0, 0, 4), (0, 1, 5), (0, 2, 6), (0, 3, 7), (1, 1, 8), (1, 2, 9), (1, 3, 10), (2, 2, 11), (2, 3, 12), (3, 3, 13)]
        for (i, j, k) in upper {
            hessian[i * 4 + j] = sums[k]
            hessian[j * 4 + i] = sums[k]
        }
        return total
    }

}

extension BGNBD {
    /// The grouped log-likelihood with gradient and Hessian, exposed for tests.
    public static func logLikelihoodForTesting(_ p: Parameters, _ data: PurchaseHistories, gradient: inout [Double], hessian: inout [Double]) -> Double {
        logLikelihood(p, FrequencyGroups(data), gradient: &gradient, hessian: &hessian)
    }
}

/// Purchase histories with each row's frequency replaced by an index into the distinct frequencies,
/// so terms that depend on x alone are computed once per distinct x.
struct FrequencyGroups: Sendable {
    let values: [Double]
    let group: [Int32]
    let recency: [Double]
    let age: [Double]
    let weight: [Double]
    var count: Int { group.count }

    init(_ data: PurchaseHistories) {
        var index: [Double: Int32] = [:]
        var values: [Double] = []
        group = data.frequency.map { x in
            if let k = index[x] { return k }
            let k = Int32(values.count)
            index[x] = k
            values.append(x)
            return k
        }
        self.values = values
        recency = data.recency
        age = data.age
        weight = data.weight
    }
}
