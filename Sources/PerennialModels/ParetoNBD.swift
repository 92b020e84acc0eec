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

    /// One customer's log-likelihood, gradient in (r, α, s, β) added to `gradient` times `weight`.
    public static func logLikelihood(_ p: Parameters, x: Double, tx: Double, T: Double, weight: Double,
                                     gradient: inout [Double]) -> Double {
        let (r, alpha, s, beta) = (p.r, p.alpha, p.s, p.beta)
        let logC = Special.logGamma(r + x) - Special.logGamma(r) + r * log(alpha) + s * log(beta)
        let la = log(alpha + T), lb = log(beta + T)
        let a = -(r + x) * la - s * lb
        let i = integralMoments(p, x: x, tx: tx, T: T)
        let b = log(s) + i.logI
        let mix = Special.logAddExp(a, b)
        let wa = exp(a - mix), wb = exp(b - mix)
        gradient[0] += weight * (Special.digamma(r + x) - Special.digamma(r) + log(alpha) - wa * la + wb * i.first[0])
        gradient[1] += weight * (r / alpha - wa * (r + x) / (alpha + T) + wb * i.first[1])
        gradient[2] += weight * (log(beta) - wa * lb + wb * (1 / s + i.first[2]))
        gradient[3] += weight * (s / beta - wa * s / (beta + T) + wb * i.first[3])
        return weight * (logC + mix)
    }

    /// P(alive | x, t_x, T) = e^A / (e^A + s·I) (Fader & Hardie 2005, eq. 18).
    public static func probabilityAlive(_ p: Parameters, x: Double, tx: Double, T: Double) -> Double {
        let a = -(p.r + x) * log(p.alpha + T) - p.s * log(p.beta + T)
        let b = log(p.s) + integralMoments(p, x: x, tx: tx, T: T).logI
        return exp(a - Special.logAddExp(a, b))
    }

    /// E[X(t) | x, t_x, T] = P(alive) · ``expectedPurchasesIfAlive(_:t:x:T:)`` (Schmittlein, Morrison &
    /// Colombo 1987, eq. 22).
    public static func expectedPurchases(_ p: Parameters, t: Double, x: Double, tx: Double, T: Double) -> Double {
        probabilityAlive(p, x: x, tx: tx, T: T) * expectedPurchasesIfAlive(p, t: t, x: x, T: T)
    }

    /// Expected purchases in the next t of a customer still alive at T:
    /// (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}]; for s = 1 the bracket's limit
    /// (β+T) log(1 + t/(β+T)).
    public static func expectedPurchasesIfAlive(_ p: Parameters, t: Double, x: Double, T: Double) -> Double {
        let rate = (p.r + x) / (p.alpha + T)
        let growth: Double
        if abs(p.s - 1) < 1e-9 {
            growth = (p.beta + T) * log1p(t / (p.beta + T))
        } else {
            growth = (p.beta + T) / (p.s - 1) * (1 - pow((p.beta + T) / (p.beta + T + t), p.s - 1))
        }
        return rate * growth
    }

    /// The pieces of one customer's likelihood L = C · (e^A + s·I), with
    /// C = Γ(r+x) α^r β^s / Γ(r), A = −(r+x) log(α+T) − s log(β+T) and
    /// I = ∫_{t_x}^{T} (α+y)^{−(r+x)} (β+y)^{−(s+1)} dy (Fader & Hardie 2005, eqs. 16–19, where I is
    /// written with ₂F₁; the integral form is the same quantity, and its parameter derivatives are
    /// integrals too).
    ///
    /// In v = log(c + y), c = min(α, β), the integrand is e^{g(v)} with
    /// g = −(r+x) log(α+y) − (s+1) log(β+y) + v concave and |g′| below k = r+x+s+1, so Gauss–Legendre
    /// needs few nodes when k times the interval's width W is small: 6, 8, 10 or 16 nodes for kW below
    /// 1, 2, 4 or 8, and beyond that panels of kW = 4 with 10 nodes each, stopping once the concave
    /// tail e^{g}/|g′| past a panel is below 1e-17 of the total. Against a 40-node-per-half-unit
    /// reference, over r, s ∈ [0.1, 10], α, β ∈ [0.1, 1000], x ≤ 500 and T ≤ 500, log I and the
    /// moments agree to 3e-12.
    ///
    /// Returns log I and the normalised moments ∫e^g g_θ / I (4) and ∫e^g (g_θ g_φ + g_θφ) / I (10,
    /// upper triangle of (r, α, s, β), in lanes 0–9): the gradient and Hessian of I.
    static func integralMoments(_ p: Parameters, x: Double, tx: Double, T: Double) -> (logI: Double, first: SIMD4<Double>, second: SIMD16<Double>) {
        guard T > tx else { return (-.infinity, .zero, .zero) }
        let (alpha, beta) = (p.alpha, p.beta)
        let rx = p.r + x, s1 = p.s + 1
        let alphaIsMin = alpha <= beta
        let c = alphaIsMin ? alpha : beta
        let v0 = log(c + tx), v1 = log(c + T)
        let kW = (rx + s1) * (v1 - v0)
        let rule: GaussLegendre, panels: Int
        switch kW {
        case ..<1: (rule, panels) = (GaussLegendre.six, 1)
        case ..<2: (rule, panels) = (GaussLegendre.eight, 1)
        case ..<4: (rule, panels) = (GaussLegendre.ten, 1)
        case ..<8: (rule, panels) = (GaussLegendre.sixteen, 1)
        default: (rule, panels) = (GaussLegendre.ten, Int((kW / 4).rounded(.up)))
        }
        // g at the left end, subtracted from every exponent: g is concave with slope at most 1 there,
        // so e^{g − g(v0)} stays below e^{W}.
        let reference = -rx * log(alpha + tx) - s1 * log(beta + tx) + v0
        let width = (v1 - v0) / Double(panels)
        var total = 0.0
        var first = SIMD4<Double>.zero, second = SIMD16<Double>.zero
        for panel in 0..<panels {
            let half = width / 2, middle = v0 + Double(panel) * width + half
            var panelTotal = 0.0
            for k in 0..<rule.nodes.count {
                let v = middle + half * rule.nodes[k]
                let y = exp(v) - c
                let ay = alpha + y, by = beta + y
                let la = alphaIsMin ? v : log(ay), lb = alphaIsMin ? log(by) : v
                let w = half * rule.weights[k] * exp(-rx * la - s1 * lb + v - reference)
                let ia = 1 / ay, ib = 1 / by
                let gr = -la, ga = -rx * ia, gs = -lb, gb = -s1 * ib
                panelTotal += w
                let g = SIMD4<Double>(gr, ga, gs, gb)
                first += w * g
                // Products g_θ g_φ for the upper triangle, plus the second derivatives g_θφ.
                let left = SIMD16<Double>(gr, gr, gr, gr, ga, ga, ga, gs, gs, gb, 0, 0, 0, 0, 0, 0)
                let right = SIMD16<Double>(gr, ga, gs, gb, ga, gs, gb, gs, gb, gb, 0, 0, 0, 0, 0, 0)
                var own = SIMD16<Double>.zero
                own[1] = -ia; own[4] = rx * ia * ia; own[8] = -ib; own[9] = s1 * ib * ib
                second += w * (left * right + own)
            }
            total += panelTotal
            if panel < panels - 1 {
                // The tail past this panel is at most e^{g(v)}/|g′(v)| once g′(v) < 0 (g is concave).
                let v = v0 + Double(panel + 1) * width
                let y = exp(v) - c
                let ey = exp(v)
                let slope = 1 - rx * ey / (alpha + y) - s1 * ey / (beta + y)
                let g = -rx * log(alpha + y) - s1 * log(beta + y) + v - reference
                if slope < 0 && exp(g) / -slope < 1e-17 * total { break }
            }
        }
        return (reference + log(total), first / total, second / total)
    }

    /// The terms of one customer's log-likelihood that depend on the parameters and x only: log C, its
    /// gradient and its Hessian (upper triangle, lanes 0–9), computed once per distinct x.
    struct Constants {
        var logC: Double, gradient: SIMD4<Double>, hessian: SIMD16<Double>

        init(_ p: Parameters, x: Double) {
            let (r, alpha, s, beta) = (p.r, p.alpha, p.s, p.beta)
            logC = Special.logGamma(r + x) - Special.logGamma(r) + r * log(alpha) + s * log(beta)
            gradient = SIMD4(Special.digamma(r + x) - Special.digamma(r) + log(alpha), r / alpha, log(beta), s / beta)
            hessian = .zero
            hessian[0] = Special.trigamma(r + x) - Special.trigamma(r)
            hessian[1] = 1 / alpha
            hessian[4] = -r / (alpha * alpha)
            hessian[8] = 1 / beta
            hessian[9] = -s / (beta * beta)
        }
    }

    /// One customer's log-likelihood with gradient (entries 0–3) and Hessian (entries 4–13: the upper
    /// triangle rr rα rs rβ αα αs αβ ss sβ ββ) times `weight`.
    static func logLikelihood(_ p: Parameters, x: Double, tx: Double, T: Double, weight: Double, constants: Constants) -> (Double, SIMD16<Double>) {
        let (r, alpha, s, beta) = (p.r, p.alpha, p.s, p.beta)
        let la = log(alpha + T), lb = log(beta + T)
        let a = -(r + x) * la - s * lb
        let moments = integralMoments(p, x: x, tx: tx, T: T)
        let b = log(s) + moments.logI
        let mix = Special.logAddExp(a, b)
        let wa = exp(a - mix), wb = exp(b - mix)
        // First derivatives of A, of log(sI), and their mixture.
        let ia = 1 / (alpha + T), ib = 1 / (beta + T)
        let f = moments.first
        let a1 = SIMD4(-la, -(r + x) * ia, -lb, -s * ib)
        let b1 = SIMD4(f[0], f[1], 1 / s + f[2], f[3])
        let m1 = wa * a1 + wb * b1
        // Second derivatives of A (upper triangle, in the order of the moments).
        var a2 = SIMD16<Double>.zero
        a2[1] = -ia; a2[4] = (r + x) * ia * ia; a2[8] = -ib; a2[9] = s * ib * ib
        // ∂²(sI)/(sI): the moments, plus I_θ/(sI) terms where s is involved (pairs rs, αs, ss, sβ).
        var s2 = moments.second
        s2[2] += f[0] / s; s2[5] += f[1] / s; s2[7] += 2 / s * f[2]; s2[8] += f[3] / s
        let outerA = SIMD16<Double>(a1[0] * a1[0], a1[0] * a1[1], a1[0] * a1[2], a1[0] * a1[3], a1[1] * a1[1], a1[1] * a1[2],
                                    a1[1] * a1[3], a1[2] * a1[2], a1[2] * a1[3], a1[3] * a1[3], 0, 0, 0, 0, 0, 0)
        let outerM = SIMD16<Double>(m1[0] * m1[0], m1[0] * m1[1], m1[0] * m1[2], m1[0] * m1[3], m1[1] * m1[1], m1[1] * m1[2],
                                    m1[1] * m1[3], m1[2] * m1[2], m1[2] * m1[3], m1[3] * m1[3], 0, 0, 0, 0, 0, 0)
        let hessian = constants.hessian + wa * (a2 + outerA) + wb * s2 - outerM
        let gradient = constants.gradient + m1
        let sums = SIMD16<Double>(gradient[0], gradient[1], gradient[2], gradient[3],
                                  hessian[0], hessian[1], hessian[2], hessian[3], hessian[4],
                                  hessian[5], hessian[6], hessian[7], hessian[8], hessian[9], 0, 0)
        return (weight * (constants.logC + mix), weight * sums)
    }

    /// The grouped log-likelihood with gradient and Hessian (row-major 4 × 4), for Newton and tests.
    public static func logLikelihood(_ p: Parameters, _ data: PurchaseHistories, gradient: inout [Double], hessian: inout [Double]) -> Double {
        logLikelihood(p, FrequencyGroups(data), gradient: &gradient, hessian: &hessian)
    }

    static func logLikelihood(_ p: Parameters, _ data: FrequencyGroups, gradient: inout [Double], hessian: inout [Double]) -> Double {
        let constants = data.values.map { Constants(p, x: $0) }
        let (total, sums) = MaximumLikelihood.sumBlocks(count: data.count, chunkSize: 256) { rows in
            var value = 0.0, sums = SIMD16<Double>.zero
            for i in rows {
                let k = Int(data.group[i])
                let (v, s) = logLikelihood(p, x: data.values[k], tx: data.recency[i], T: data.age[i], weight: data.weight[i],
                                           constants: constants[k])
                value += v
                sums += s
            }
            return (value, sums)
        }
        for i in 0..<4 { gradient[i] = sums[i] }
        let pairs = [(0, 0), (0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3)]
        for (k, (i, j)) in pairs.enumerated() {
            hessian[i * 4 + j] = sums[4 + k]
            hessian[j * 4 + i] = sums[4 + k]
        }
        return total
    }

    /// Fits the model by maximum likelihood: damped Newton with the analytic Hessian, L-BFGS when a
    /// penalty is asked for or Newton stalls.
    /// - Parameter start: where the search starts; by default r = s = 1 with α = β set so that r/α is
    ///   the customers' mean purchase rate Σx / ΣT (and, above 200,000 rows, the fit of a sample).
    public static func fit(_ data: PurchaseHistories, penalty: Double = 0, start: Parameters? = nil) -> FitResult {
        let start = start ?? defaultStart(data)
        if penalty == 0 {
            let origin = data.warmStart { fit($0, start: start) } ?? start.vector
            let grouped = FrequencyGroups(data)
            let newton = Newton.fit(model: "pnbd", names: parameterNames, start: origin, observations: data.totalWeight) { v, g, h in
                logLikelihood(Parameters(v), grouped, gradient: &g, hessian: &h)
            }
            if newton.converged { return newton }
        }
        return MaximumLikelihood.fit(model: "pnbd", names: parameterNames, start: start.vector, observations: data.totalWeight, penalty: penalty) { v, g in
            let p = Parameters(v)
            return MaximumLikelihood.sum(count: data.count, parameters: 4, gradient: &g) { i, g in
                logLikelihood(p, x: data.frequency[i], tx: data.recency[i], T: data.age[i], weight: data.weight[i], gradient: &g)
            }
        }
    }

    /// r = s = 1, α = β = the time per purchase (``PurchaseHistories/timePerPurchase``).
    static func defaultStart(_ data: PurchaseHistories) -> Parameters {
        let scale = data.timePerPurchase
        return Parameters(r: 1, alpha: scale, s: 1, beta: scale)
    }
}
