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

    /// The pieces of one customer's likelihood L = C · (e^A + s·I), with
    /// C = Γ(r+x) α^r β^s / Γ(r), A = −(r+x) log(α+T) − s log(β+T) and
    /// I = ∫_{t_x}^{T} (α+y)^{−(r+x)} (β+y)^{−(s+1)} dy (Fader & Hardie 2005, eqs. 16–19, where I is
    /// written with ₂F₁; the integral form is the same quantity, and its parameter derivatives are
    /// integrals too).
    ///
    /// I is computed with 48-point Gauss–Legendre quadrature in v = log(min(α, β) + y), where the
    /// integrand is smooth, and returned in log space (online log-sum-exp, no scratch arrays) with the
    /// normalised moments ∫e^g g_θ / I (4) and ∫e^g (g_θ g_φ + g_θφ) / I (10, upper triangle of
    /// (r, α, s, β)), where g = −(r+x) log(α+y) − (s+1) log(β+y): the gradient and Hessian of I.
    static func integralMoments(_ p: Parameters, x: Double, tx: Double, T: Double) -> (logI: Double, first: [Double], second: [Double]) {
        guard T > tx else { return (-.infinity, [0, 0, 0, 0], [Double](repeating: 0, count: 10)) }
        let c = min(p.alpha, p.beta)
        let v0 = log(c + tx), v1 = log(c + T)
        let half = (v1 - v0) / 2, middle = (v1 + v0) / 2
        let rule = GaussLegendre.standard
        var top = -Double.infinity, total = 0.0
        var first = (0.0, 0.0, 0.0, 0.0)
        var second = [Double](repeating: 0, count: 10)
        for k in 0..<rule.nodes.count {
            let v = middle + half * rule.nodes[k]
            let y = exp(v) - c
            let ay = p.alpha + y, by = p.beta + y
            let la = log(ay), lb = log(by)
            let term = rule.logWeights[k] - (p.r + x) * la - (p.s + 1) * lb + v
            if term > top {
                let scale = exp(top - term)
                total *= scale
                first = (first.0 * scale, first.1 * scale, first.2 * scale, first.3 * scale)
                for i in 0..<10 { second[i] *= scale }
                top = term
            }
            let w = exp(term - top)
            let gr = -la, ga = -(p.r + x) / ay, gs = -lb, gb = -(p.s + 1) / by
            total += w
            first = (first.0 + w * gr, first.1 + w * ga, first.2 + w * gs, first.3 + w * gb)
            second[0] += w * gr * gr
            second[1] += w * (gr * ga - 1 / ay)
            second[2] += w * gr * gs
            second[3] += w * gr * gb
            second[4] += w * (ga * ga + (p.r + x) / (ay * ay))
            second[5] += w * ga * gs
            second[6] += w * ga * gb
            second[7] += w * gs * gs
            second[8] += w * (gs * gb - 1 / by)
            second[9] += w * (gb * gb + (p.s + 1) / (by * by))
        }
        return (top + log(total) + log(half), [first.0 / total, first.1 / total, first.2 / total, first.3 / total], second.map { $0 / total })
    }

    /// One customer's log-likelihood with gradient (entries 0–3) and Hessian (entries 4–13: the upper
    /// triangle rr rα rs rβ αα αs αβ ss sβ ββ) added to `sums` times `weight`.
    static func logLikelihood(_ p: Parameters, x: Double, tx: Double, T: Double, weight: Double, sums: inout [Double]) -> Double {
        let (r, alpha, s, beta) = (p.r, p.alpha, p.s, p.beta)
        let logC = Special.logGamma(r + x) - Special.logGamma(r) + r * log(alpha) + s * log(beta)
        let la = log(alpha + T), lb = log(beta + T)
        let a = -(r + x) * la - s * lb
        let moments = integralMoments(p, x: x, tx: tx, T: T)
        let b = log(s) + moments.logI
        let mix = Special.logAddExp(a, b)
        let wa = exp(a - mix), wb = exp(b - mix)
        // First derivatives of A, of log(sI), and their mixture.
        let a1 = [-la, -(r + x) / (alpha + T), -lb, -s / (beta + T)]
        let f = moments.first
        let b1 = [f[0], f[1], 1 / s + f[2], f[3]]
        let m1 = (0..<4).map { wa * a1[$0] + wb * b1[$0] }
        let c1 = [Special.digamma(r + x) - Special.digamma(r) + log(alpha), r / alpha, log(beta), s / beta]
        for i in 0..<4 { sums[i] += weight * (c1[i] + m1[i]) }
        // Second derivatives (upper triangle, index pairs in the order of `sums[4...]`).
        let pairs = [(0, 0), (0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3)]
        let m = moments.second
        for (k, (i, j)) in pairs.enumerated() {
            var a2 = 0.0, c2 = 0.0
            switch (i, j) {
            case (0, 0): c2 = Special.trigamma(r + x) - Special.trigamma(r)
            case (0, 1): a2 = -1 / (alpha + T); c2 = 1 / alpha
            case (1, 1): a2 = (r + x) / ((alpha + T) * (alpha + T)); c2 = -r / (alpha * alpha)
            case (2, 3): a2 = -1 / (beta + T); c2 = 1 / beta
            case (3, 3): a2 = s / ((beta + T) * (beta + T)); c2 = -s / (beta * beta)
            default: break
            }
            // ∂²(sI)/(sI): the moments, plus I_θ/(sI) terms where s is involved.
            var s2 = m[k]
            if i == 2 && j == 2 { s2 += 2 / s * f[2] } else if i == 2 { s2 += f[j] / s } else if j == 2 { s2 += f[i] / s }
            let hessian = c2 + wa * (a2 + a1[i] * a1[j]) + wb * s2 - m1[i] * m1[j]
            sums[4 + k] += weight * hessian
        }
        return weight * (logC + mix)
    }

    /// The grouped log-likelihood with gradient and Hessian (row-major 4 × 4), for Newton and tests.
    public static func logLikelihood(_ p: Parameters, _ data: PurchaseHistories, gradient: inout [Double], hessian: inout [Double]) -> Double {
        var sums = [Double](repeating: 0, count: 14)
        let total = MaximumLikelihood.sum(count: data.count, parameters: 14, gradient: &sums) { i, s in
            logLikelihood(p, x: data.frequency[i], tx: data.recency[i], T: data.age[i], weight: data.weight[i], sums: &s)
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
    public static func fit(_ data: PurchaseHistories, penalty: Double = 0,
                           start: Parameters = Parameters(r: 1, alpha: 1, s: 1, beta: 1)) -> FitResult {
        if penalty == 0 {
            let newton = Newton.fit(model: "pnbd", names: parameterNames, start: start.vector, observations: data.totalWeight) { v, g, h in
                logLikelihood(Parameters(v), data, gradient: &g, hessian: &h)
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
}
