import Foundation
import PerennialModels
import Testing

/// Extreme customers: every output finite, probabilities in [0, 1], expectations non-negative.
@Suite struct ModelStabilityTests {
    static let customers: [(x: Double, tx: Double, T: Double)] = [
        (0, 0, 0.001), (0, 0, 5_000), (1, 0.001, 0.002), (500, 38.9, 39), (500, 1, 39), (300, 2_000, 5_000),
        (2, 30.43, 38.86), (1_000, 10, 10.5), (50, 0.5, 1_000),
    ]
    static let horizons = [0.1, 39, 520]

    @Test("BG/NBD and MBG/NBD", arguments: [BGNBD.Parameters(r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259),
                                           BGNBD.Parameters(r: 5, alpha: 0.01, a: 1.5, b: 50)])
    func bgnbd(_ p: BGNBD.Parameters) {
        for c in Self.customers {
            var g = [0.0, 0, 0, 0]
            #expect(BGNBD.logLikelihood(p, x: c.x, tx: c.tx, T: c.T, weight: 1, gradient: &g).isFinite)
            #expect(MBGNBD.logLikelihood(p, x: c.x, tx: c.tx, T: c.T, weight: 1, gradient: &g).isFinite)
            #expect(g.allSatisfy { $0.isFinite })
            for alive in [BGNBD.probabilityAlive(p, x: c.x, tx: c.tx, T: c.T), MBGNBD.probabilityAlive(p, x: c.x, tx: c.tx, T: c.T)] {
                #expect(alive >= 0 && alive <= 1, "\(c)")
            }
            for t in Self.horizons {
                let e1 = BGNBD.expectedPurchases(p, t: t, x: c.x, tx: c.tx, T: c.T)
                let e2 = MBGNBD.expectedPurchases(p, t: t, x: c.x, tx: c.tx, T: c.T)
                #expect(e1.isFinite && e1 >= 0, "BG/NBD \(c) t=\(t): \(e1)")
                #expect(e2.isFinite && e2 >= 0, "MBG/NBD \(c) t=\(t): \(e2)")
            }
        }
    }

    @Test("Pareto/NBD", arguments: [ParetoNBD.Parameters(r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.67),
                                    ParetoNBD.Parameters(r: 3, alpha: 0.05, s: 1, beta: 0.02)])
    func paretoNBD(_ p: ParetoNBD.Parameters) {
        for c in Self.customers {
            var g = [0.0, 0, 0, 0]
            #expect(ParetoNBD.logLikelihood(p, x: c.x, tx: c.tx, T: c.T, weight: 1, gradient: &g).isFinite, "\(c)")
            #expect(g.allSatisfy { $0.isFinite }, "\(c)")
            let alive = ParetoNBD.probabilityAlive(p, x: c.x, tx: c.tx, T: c.T)
            #expect(alive >= 0 && alive <= 1, "\(c)")
            for t in Self.horizons {
                let e = ParetoNBD.expectedPurchases(p, t: t, x: c.x, tx: c.tx, T: c.T)
                #expect(e.isFinite && e >= 0, "\(c) t=\(t): \(e)")
            }
        }
    }

    @Test("Gamma-Gamma and BG/BB")
    func spendAndDiscrete() {
        let gg = GammaGamma.Parameters(p: 6.25, q: 3.74, gamma: 15.44)
        for (x, m) in [(1.0, 0.01), (500, 10_000), (1, 1e6), (300, 0.5)] {
            var g = [0.0, 0, 0]
            #expect(GammaGamma.logLikelihood(gg, x: x, averageSpend: m, weight: 1, gradient: &g).isFinite)
            let spend = GammaGamma.expectedAverageSpend(gg, x: x, averageSpend: m)
            #expect(spend.isFinite && spend > 0)
        }
        let bb = BGBB.Parameters(alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783)
        for (x, tx, n) in [(0.0, 0.0, 6.0), (6, 6, 6), (200, 300, 400), (0, 0, 500)] {
            let alive = BGBB.probabilityAlive(bb, x: x, tx: tx, n: n)
            let expected = BGBB.expectedPurchases(bb, future: 10, x: x, tx: tx, n: n)
            #expect(alive >= 0 && alive <= 1 && expected.isFinite && expected >= 0, "\(x) \(tx) \(n): \(alive) \(expected)")
        }
    }
}

@Suite struct TransformedPredictionTests {
    @Test("BG/NBD's transformed expectation equals FHL eq. 10 computed directly where the direct series works")
    func sameAsDirect() {
        let p = BGNBD.Parameters(r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259)
        for (x, tx, T) in [(0.0, 0.0, 38.86), (2, 30.43, 38.86), (7, 20, 30), (20, 35, 36)] {
            for t in [1.0, 39, 100] {
                let z = t / (p.alpha + T + t)
                let direct = (p.a + p.b + x - 1) / (p.a - 1)
                    * (1 - pow((p.alpha + T) / (p.alpha + T + t), p.r + x) * Special.series2f1(p.r + x, p.b + x, p.a + p.b + x - 1, z))
                    / (1 + (x > 0 ? p.a / (p.b + x - 1) * pow((p.alpha + T) / (p.alpha + tx), p.r + x) : 0))
                let transformed = BGNBD.expectedPurchases(p, t: t, x: x, tx: tx, T: T)
                #expect(abs(direct - transformed) < 1e-10 * max(1, direct), "x \(x) t \(t): \(direct) vs \(transformed)")
            }
        }
    }
}
