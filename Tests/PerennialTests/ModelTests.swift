import Foundation
import PerennialModels
import PerennialTestSupport
import Testing

@Suite struct SpecialFunctionTests {
    @Test("digamma, log-gamma and 2F1 against known values")
    func values() {
        // ψ(1) = −γ (Euler–Mascheroni); ψ(0.5) = −γ − 2 ln 2; ψ(10) = H₉ − γ.
        let euler = 0.5772156649015329
        #expect(abs(Special.digamma(1) + euler) < 1e-13)
        #expect(abs(Special.digamma(0.5) - (-euler - 2 * log(2.0))) < 1e-13)
        let h9 = (1...9).reduce(0.0) { $0 + 1 / Double($1) }
        #expect(abs(Special.digamma(10) - (h9 - euler)) < 1e-13)
        #expect(abs(Special.logGamma(10) - log(362_880.0)) < 1e-12)
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z; ₂F₁(a, b; b; z) = (1 − z)^{−a}.
        for z in [0.1, 0.5, 0.9, 0.99] {
            #expect(abs(Special.hyp2f1(1, 1, 2, z) - (-log(1 - z) / z)) < 1e-12 * max(1, -log(1 - z) / z))
            #expect(abs(Special.hyp2f1(0.7, 2.5, 2.5, z) / pow(1 - z, -0.7) - 1) < 1e-12)
        }
    }
}

@Suite struct GradientTests {
    /// Central differences of the log-likelihood agree with the analytic gradient.
    static func check(_ parameters: [Double], _ ll: ([Double], inout [Double]) -> Double) {
        var analytic = [Double](repeating: 0, count: parameters.count)
        _ = ll(parameters, &analytic)
        for i in 0..<parameters.count {
            let h = 1e-6 * parameters[i]
            var plus = parameters, minus = parameters
            plus[i] += h
            minus[i] -= h
            var scratch = [Double](repeating: 0, count: parameters.count)
            let numeric = (ll(plus, &scratch) - ll(minus, &scratch)) / (2 * h)
            #expect(abs(numeric - analytic[i]) <= 1e-6 * max(1, abs(numeric)), "parameter \(i): \(numeric) vs \(analytic[i])")
        }
    }

    static let histories: [(x: Double, tx: Double, T: Double)] = [(0, 0, 38.86), (2, 30.43, 38.86), (1, 1.71, 38.86), (14, 35, 36), (250, 38, 39), (3, 0.5, 0.7)]

    @Test func bgnbd() {
        Self.check([0.24, 4.4, 0.79, 2.4]) { v, g in
            Self.histories.reduce(0) { $0 + BGNBD.logLikelihood(.init(v), x: $1.x, tx: $1.tx, T: $1.T, weight: 2, gradient: &g) }
        }
    }

    @Test func mbgnbd() {
        Self.check([0.5, 6, 0.5, 3.1]) { v, g in
            Self.histories.reduce(0) { $0 + MBGNBD.logLikelihood(.init(v), x: $1.x, tx: $1.tx, T: $1.T, weight: 1, gradient: &g) }
        }
    }

    @Test func paretoNBD() {
        Self.check([0.55, 10.6, 0.6, 11.7]) { v, g in
            Self.histories.reduce(0) { $0 + ParetoNBD.logLikelihood(.init(v), x: $1.x, tx: $1.tx, T: $1.T, weight: 1, gradient: &g) }
        }
        Self.check([2.5, 0.3, 0.2, 40]) { v, g in
            Self.histories.reduce(0) { $0 + ParetoNBD.logLikelihood(.init(v), x: $1.x, tx: $1.tx, T: $1.T, weight: 1, gradient: &g) }
        }
    }

    @Test func gammaGamma() {
        Self.check([6.25, 3.74, 15.44]) { v, g in
            [(1.0, 20.0), (3, 35.5), (40, 12)].reduce(0) { $0 + GammaGamma.logLikelihood(.init(v), x: $1.0, averageSpend: $1.1, weight: 1, gradient: &g) }
        }
    }

    @Test func bgbb() {
        Self.check([1.2, 0.75, 0.66, 2.8]) { v, g in
            [(0.0, 0.0, 6.0), (3, 4, 6), (6, 6, 6), (1, 1, 6)].reduce(0) { $0 + BGBB.logLikelihood(.init(v), x: $1.0, tx: $1.1, n: $1.2, weight: 3, gradient: &g) }
        }
    }
}

@Suite struct ParetoNBDFormTests {
    /// The ₂F₁ form of Fader & Hardie (2005), eq. 19, computed independently.
    static func logLikelihood2F1(_ p: ParetoNBD.Parameters, x: Double, tx: Double, T: Double) -> Double {
        let (r, alpha, s, beta) = (p.r, p.alpha, p.s, p.beta)
        let rsx = r + s + x
        let a0: Double
        if alpha >= beta {
            func term(_ t: Double) -> Double { Special.hyp2f1(rsx, s + 1, rsx + 1, (alpha - beta) / (alpha + t)) / pow(alpha + t, rsx) }
            a0 = term(tx) - term(T)
        } else {
            func term(_ t: Double) -> Double { Special.hyp2f1(rsx, r + x, rsx + 1, (beta - alpha) / (beta + t)) / pow(beta + t, rsx) }
            a0 = term(tx) - term(T)
        }
        let c = Special.logGamma(r + x) - Special.logGamma(r) + r * log(alpha) + s * log(beta)
        return c + log(1 / (pow(alpha + T, r + x) * pow(beta + T, s)) + s / rsx * a0)
    }

    @Test("the quadrature likelihood equals the hypergeometric one", arguments: [
        ParetoNBD.Parameters(r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.67),
        ParetoNBD.Parameters(r: 0.5533, alpha: 10.578, s: 0.6062, beta: 3),
        ParetoNBD.Parameters(r: 1.5, alpha: 2, s: 2.5, beta: 30),
        ParetoNBD.Parameters(r: 0.3, alpha: 0.05, s: 0.4, beta: 40),
        ParetoNBD.Parameters(r: 4, alpha: 60, s: 3, beta: 0.1),
    ])
    func forms(_ p: ParetoNBD.Parameters) {
        for (x, tx, T) in [(0.0, 0.0, 38.86), (2, 30.43, 38.86), (1, 1.71, 38.86), (7, 20, 32), (50, 0.5, 500), (3, 100, 700)] {
            var g = [0.0, 0, 0, 0]
            let quadrature = ParetoNBD.logLikelihood(p, x: x, tx: tx, T: T, weight: 1, gradient: &g)
            #expect(abs(quadrature - Self.logLikelihood2F1(p, x: x, tx: tx, T: T)) < 1e-9)
        }
    }
}

@Suite struct TrigammaTests {
    @Test("trigamma: ψ′(1) = π²/6, ψ′(1/2) = π²/2, and the derivative of digamma")
    func values() {
        #expect(abs(Special.trigamma(1) - Double.pi * Double.pi / 6) < 1e-13)
        #expect(abs(Special.trigamma(0.5) - Double.pi * Double.pi / 2) < 1e-12)
        for x in [0.3, 2.5, 17.0, 250.0] {
            let h = 1e-5 * x
            let numeric = (Special.digamma(x + h) - Special.digamma(x - h)) / (2 * h)
            #expect(abs(Special.trigamma(x) - numeric) < 1e-7 * max(1, Special.trigamma(x)))
        }
    }
}

/// Central differences of an analytic gradient agree with the analytic Hessian.
func checkHessian(_ parameters: [Double], _ ll: ([Double], inout [Double], inout [Double]) -> Double) {
    var g = [Double](repeating: 0, count: 4), h = [Double](repeating: 0, count: 16)
    _ = ll(parameters, &g, &h)
    for j in 0..<4 {
        let step = 1e-6 * parameters[j]
        var plus = parameters, minus = parameters
        plus[j] += step
        minus[j] -= step
        var gp = [Double](repeating: 0, count: 4), gm = [Double](repeating: 0, count: 4), scratch = [Double](repeating: 0, count: 16)
        _ = ll(plus, &gp, &scratch)
        _ = ll(minus, &gm, &scratch)
        for i in 0..<4 {
            let numeric = (gp[i] - gm[i]) / (2 * step)
            #expect(abs(numeric - h[i * 4 + j]) <= 1e-5 * max(1, abs(numeric)), "H[\(i)][\(j)]: \(numeric) vs \(h[i * 4 + j])")
        }
    }
}

@Suite struct HessianTests {
    @Test("BG/NBD's analytic Hessian equals central differences of its analytic gradient")
    func bgnbd() {
        let data = PurchaseHistories(frequency: [0, 2, 1, 14, 250, 3, 0], recency: [0, 30.43, 1.71, 35, 38, 0.5, 0],
                                     age: [38.86, 38.86, 38.86, 36, 39, 0.7, 12], weight: [3, 1, 2, 1, 1, 4, 2])
        checkHessian([0.24, 4.4, 0.79, 2.4]) { v, g, h in BGNBD.logLikelihoodForTesting(.init(v), data, gradient: &g, hessian: &h) }
    }
}

@Suite struct ParetoHessianTests {
    @Test("Pareto/NBD's analytic Hessian equals central differences of its analytic gradient")
    func hessian() {
        let data = PurchaseHistories(frequency: [0, 2, 1, 14, 3, 0], recency: [0, 30.43, 1.71, 35, 0.5, 0],
                                     age: [38.86, 38.86, 38.86, 36, 0.7, 12], weight: [3, 1, 2, 1, 4, 2])
        for p in [ParetoNBD.Parameters(r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7), ParetoNBD.Parameters(r: 2, alpha: 3, s: 1.5, beta: 30)] {
            var g = [Double](repeating: 0, count: 4), h = [Double](repeating: 0, count: 16)
            _ = ParetoNBD.logLikelihood(p, data, gradient: &g, hessian: &h)
            // The gradient agrees with the plain per-customer one.
            var plain = [Double](repeating: 0, count: 4)
            for i in 0..<data.count {
                _ = ParetoNBD.logLikelihood(p, x: data.frequency[i], tx: data.recency[i], T: data.age[i], weight: data.weight[i], gradient: &plain)
            }
            for i in 0..<4 { #expect(abs(plain[i] - g[i]) <= 1e-10 * max(1, abs(g[i]))) }
            checkHessian(p.vector) { v, g, h in ParetoNBD.logLikelihood(.init(v), data, gradient: &g, hessian: &h) }
        }
    }
}
