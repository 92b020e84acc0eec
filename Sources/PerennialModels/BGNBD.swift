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
        // One logarithm and one exponential; an overflow to infinity gives the right limit, 0.
        return 1 / (1 + p.a / (p.b + x - 1) * exp((p.r + x) * log((p.alpha + T) / (p.alpha + tx))))
    }

    /// E[X(t) | x, t_x, T], expected purchases in the next t (FHL 2005, eq. 10): P(alive) times
    /// ``expectedPurchasesIfAlive(_:t:x:T:)``.
    public static func expectedPurchases(_ p: Parameters, t: Double, x: Double, tx: Double, T: Double) -> Double {
        probabilityAlive(p, x: x, tx: tx, T: T) * expectedPurchasesIfAlive(p, t: t, x: x, T: T)
    }

    /// Expected purchases in the next t of a customer still alive at T, the numerator of FHL 2005,
    /// eq. 10 (it depends on x and T, not t_x):
    ///
    /// (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z)], z = t/(α+T+t).
    /// Euler's transformation (A&S 15.3.3) turns the bracket into
    /// 1 − ((α+T)/(α+T+t))^{a−1} ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose series has small numerator
    /// parameters whatever x is, so customers with hundreds of purchases stay finite.
    public static func expectedPurchasesIfAlive(_ p: Parameters, t: Double, x: Double, T: Double) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let z = t / (alpha + T + t)
        let hyp = Special.series2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        return (a + b + x - 1) / (a - 1) * (1 - exp((a - 1) * log((alpha + T) / (alpha + T + t))) * hyp)
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
    ///   - start: where the search starts; by default r = a = b = 1 with α the time per purchase (and,
    ///     above 200,000 rows, the fit of a sample).
    public static func fit(_ data: PurchaseHistories, penalty: Double = 0, start: Parameters? = nil) -> FitResult {
        let start = start ?? Parameters(r: 1, alpha: data.timePerPurchase, a: 1, b: 1)
        guard penalty == 0 else {
            let grouped = FrequencyGroups(data)
            return MaximumLikelihood.fit(model: "bgnbd", names: parameterNames, start: start.vector, observations: data.totalWeight, penalty: penalty) { v, g in
                gradientOnly(Parameters(v), grouped, &g)
            }
        }
        let origin = data.warmStart { fit($0, start: start) } ?? start.vector
        let grouped = FrequencyGroups(data)
        let newton = Newton.fit(model: "bgnbd", names: parameterNames, start: origin, observations: data.totalWeight) { v, g, h in
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
    /// Per customer, mix = log(e^{A₃} + δe^{A₄}) has Hessian w₃H₃ + w₄H₄ + w₃w₄(∇A₃ − ∇A₄)(∇A₃ − ∇A₄)ᵀ.
    /// The terms that depend on x alone (log-gammas, digammas, trigammas) are summed once per distinct
    /// x, times that frequency's total weight; the loop over customers only adds what depends on t_x
    /// and T. Accumulators: 0–3 gradient, then the 10 distinct Hessian entries rr rα ra rb αα αa αb aa
    /// ab bb.
    static func logLikelihood(_ p: Parameters, _ data: FrequencyGroups, gradient: inout [Double], hessian: inout [Double]) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let logAlpha = log(alpha), logA = log(a)
        let psiR = Special.digamma(r), psiB = Special.digamma(b), psiAB = Special.digamma(a + b)
        let lgR = Special.logGamma(r), lgB = Special.logGamma(b), lgAB = Special.logGamma(a + b)
        let triR = Special.trigamma(r), triB = Special.trigamma(b), triAB = Special.trigamma(a + b)
        // x-only terms, weighted by how many customers share each x.
        var constant = 0.0, constantSums = SIMD16<Double>.zero
        var logOdds = [Double](repeating: 0, count: data.values.count)
        var inverseB = [Double](repeating: 0, count: data.values.count)
        for (k, x) in data.values.enumerated() {
            let psiABX = Special.digamma(a + b + x), triABX = Special.trigamma(a + b + x)
            let hAA = triAB - triABX
            let w = data.groupWeight[k]
            constant += w * (Special.logGamma(r + x) - lgR + r * logAlpha + lgAB + Special.logGamma(b + x) - lgB - Special.logGamma(a + b + x))
            var c = SIMD16<Double>.zero
            c[0] = Special.digamma(r + x) - psiR + logAlpha
            c[1] = r / alpha
            c[2] = psiAB - psiABX
            c[3] = psiAB + Special.digamma(b + x) - psiB - psiABX
            c[4] = Special.trigamma(r + x) - triR
            c[5] = 1 / alpha
            c[8] = -r / (alpha * alpha)
            c[11] = hAA
            c[12] = hAA
            c[13] = triAB + Special.trigamma(b + x) - triB - triABX
            constantSums += w * c
            if x > 0 {
                logOdds[k] = logA - log(b + x - 1)
                inverseB[k] = 1 / (b + x - 1)
            }
        }
        let inverseA = 1 / a
        let (oddsByX, inverseByX) = (logOdds, inverseB)
        let (mixTotal, mixSums) = MaximumLikelihood.sumBlocks(count: data.count) { rows in
            var s = SIMD16<Double>.zero
            var value = 0.0
            data.values.withUnsafeBufferPointer { values in
            data.group.withUnsafeBufferPointer { group in
            data.weight.withUnsafeBufferPointer { weight in
            data.age.withUnsafeBufferPointer { age in
            data.recency.withUnsafeBufferPointer { recency in
            oddsByX.withUnsafeBufferPointer { logOdds in
            inverseByX.withUnsafeBufferPointer { inverseB in
                for i in rows {
                    let k = Int(group[i])
                    let x = values[k], w = weight[i]
                    let invT = 1 / (alpha + age[i])
                    let logAlphaT = log(alpha + age[i])
                    let a3 = -(r + x) * logAlphaT
                    guard x > 0 else {
                        // A₃ alone: its gradient (−log(α+T), −r/(α+T)) and Hessian.
                        value += w * a3
                        s[0] -= w * logAlphaT
                        s[1] -= w * r * invT
                        s[5] -= w * invT
                        s[8] += w * r * invT * invT
                        continue
                    }
                    let invTx = 1 / (alpha + recency[i])
                    let logAlphaTx = log(alpha + recency[i])
                    let a4 = logOdds[k] - (r + x) * logAlphaTx
                    let d = a4 - a3
                    let mix: Double, w4: Double
                    if d <= 0 {
                        let e = exp(d)
                        mix = a3 + log1p(e)
                        w4 = e / (1 + e)
                    } else {
                        let e = exp(-d)
                        mix = a4 + log1p(e)
                        w4 = 1 / (1 + e)
                    }
                    let w3 = 1 - w4
                    // ∇A₃ = (−log(α+T), −(r+x)/(α+T), 0, 0); ∇A₄ = (−log(α+t_x), −(r+x)/(α+t_x), 1/a, −1/(b+x−1)).
                    let g3r = -logAlphaT, g3a = -(r + x) * invT
                    let g4r = -logAlphaTx, g4a = -(r + x) * invTx, g4B = -inverseB[k]
                    let cross = w3 * w4
                    let dr = g3r - g4r, da = g3a - g4a, dA = -inverseA, dB = -g4B
                    let terms = SIMD16<Double>(
                        w3 * g3r + w4 * g4r,
                        w3 * g3a + w4 * g4a,
                        w4 * inverseA,
                        w4 * g4B,
                        cross * dr * dr,
                        -w3 * invT - w4 * invTx + cross * dr * da,
                        cross * dr * dA,
                        cross * dr * dB,
                        (r + x) * (w3 * invT * invT + w4 * invTx * invTx) + cross * da * da,
                        cross * da * dA,
                        cross * da * dB,
                        -w4 * inverseA * inverseA + cross * dA * dA,
                        cross * dA * dB,
                        w4 * g4B * g4B + cross * dB * dB,
                        0, 0)
                    s += w * terms
                    value += w * mix
                }
            }}}}}}}
            return (value, s)
        }
        let total = constant + mixTotal
        let sums = constantSums + mixSums
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
