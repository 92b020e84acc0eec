import Foundation
import Testing
import PerennialGenerator
@testable import PerennialModels

/// The fast paths (batch scoring with interpolation, adaptive quadrature, partial collapsing) give the
/// numbers of the direct computations.
@Suite struct ScoringTests {
    /// 6,000 customers with x = 0…5 (so every frequency group is large enough to interpolate),
    /// continuous t_x ≤ T ≤ 80 weeks and mean spends of 5–100.
    static let population: (x: [Double], tx: [Double], T: [Double], spend: [Double]) = {
        var random = SeededRandom(seed: 11)
        var x: [Double] = [], tx: [Double] = [], T: [Double] = [], spend: [Double] = []
        for i in 0..<6_000 {
            let age = 0.5 + 79.5 * random.uniform()
            let frequency = Double(i % 6)
            x.append(frequency)
            T.append(age)
            tx.append(frequency > 0 ? age * random.uniform() : 0)
            spend.append(frequency > 0 ? 5 + 95 * random.uniform() : 0)
        }
        return (x, tx, T, spend)
    }()

    static func model(_ name: String, _ parameters: [Double]) -> FittedModel {
        func result(_ model: String, _ names: [String], _ values: [Double]) -> FitResult {
            FitResult(model: model, parameterNames: names, parameters: values, logLikelihood: 0, standardErrors: nil,
                      iterations: 0, gradientNorm: 0, converged: true, warnings: [], observations: 0)
        }
        return FittedModel(purchase: result(name, ["r", "alpha", "a", "b"], parameters),
                           spend: result("gamma-gamma", GammaGamma.parameterNames, [6.25, 3.74, 15.44]),
                           unitDays: 7, calibrationEnd: "")
    }

    @Test("batch scores equal the direct per-customer formulas (P(alive), E[X(13)], spend, 12-month CLV)", arguments: [
        ("bgnbd", [0.2426, 4.4136, 0.7929, 2.4259]),
        ("mbgnbd", [0.525, 6.183, 0.891, 1.614]),
        ("pnbd", [0.5533, 10.578, 0.6062, 11.67]),
    ])
    func batchEqualsDirect(_ name: String, _ parameters: [Double]) {
        let model = Self.model(name, parameters)
        let (x, tx, T, spend) = Self.population
        let scores = ModelScoring.score(model: model, frequency: x, recency: tx, age: T, averageSpend: spend,
                                        horizon: 13, months: 12, monthlyDiscount: 0.01)
        var worst = 0.0
        for i in 0..<x.count {
            let alive = model.probabilityAlive(x: x[i], tx: tx[i], T: T[i])
            let purchases = model.expectedPurchases(t: 13, x: x[i], tx: tx[i], T: T[i])
            let clv = model.lifetimeValue(x: x[i], tx: tx[i], T: T[i], averageSpend: spend[i], months: 12, monthlyDiscount: 0.01)!
            #expect(scores.probabilityAlive[i] == alive)
            worst = max(worst, abs(scores.expectedPurchases[i] - purchases) / purchases,
                        abs(scores.lifetimeValue[i] - clv) / clv)
        }
        #expect(worst < 1e-10, "largest relative difference \(worst)")
    }

    @Test("CLV is P(alive) × spend × Σ monthly increments of E[X] discounted: a hand sum for one customer")
    func lifetimeValueByHand() {
        let model = Self.model("bgnbd", [0.2426, 4.4136, 0.7929, 2.4259])
        let (x, tx, T, spend) = (2.0, 30.43, 38.86, 30.0)
        var total = 0.0, previous = 0.0
        for m in 1...12 {
            let cumulative = model.expectedPurchases(t: Double(m) * 30.4375 / 7, x: x, tx: tx, T: T)
            total += (cumulative - previous) / pow(1.01, Double(m))
            previous = cumulative
        }
        let value = total * model.expectedSpend(x: x, averageSpend: spend)!
        let computed = model.lifetimeValue(x: x, tx: tx, T: T, averageSpend: spend, months: 12, monthlyDiscount: 0.01)!
        #expect(abs(computed - value) < 1e-12 * value)
    }

    @Test("Pareto/NBD's integral matches a 200,000-panel Simpson rule, also for extreme customers", arguments: [
        ParetoNBD.Parameters(r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.67),
        ParetoNBD.Parameters(r: 0.1, alpha: 0.1, s: 0.1, beta: 1000),
        ParetoNBD.Parameters(r: 10, alpha: 1000, s: 10, beta: 0.1),
    ])
    func integral(_ p: ParetoNBD.Parameters) {
        for (x, tx, T) in [(0.0, 0.0, 38.86), (2, 30.43, 38.86), (500, 0.0, 39), (500, 38.9, 39), (100, 3, 500), (20, 499, 500)] {
            // ∫_{t_x}^{T} (α+y)^{−(r+x)} (β+y)^{−(s+1)} dy in v = log(c + y), c = min(α, β), scaled by
            // its value at t_x.
            let panels = 200_000
            let c = min(p.alpha, p.beta)
            let v0 = log(c + tx), h = (log(c + T) - v0) / Double(panels)
            let reference = -(p.r + x) * log(p.alpha + tx) - (p.s + 1) * log(p.beta + tx)
            var sum = 0.0
            for k in 0...panels {
                let v = v0 + Double(k) * h, y = exp(v) - c
                let f = exp(-(p.r + x) * log(p.alpha + y) - (p.s + 1) * log(p.beta + y) - reference + v)
                sum += f * (k == 0 || k == panels ? 1 : k % 2 == 1 ? 4 : 2)
            }
            let simpson = reference + log(sum * h / 3)
            let quadrature = ParetoNBD.integralMoments(p, x: x, tx: tx, T: T).logI
            #expect(abs(quadrature - simpson) < 1e-8, "x \(x) t_x \(tx) T \(T): \(quadrature) vs \(simpson)")
        }
    }

    @Test("collapsing: repeated rows merge, a long run of distinct rows is kept as it is, weights add up")
    func collapsing() {
        let n = PurchaseHistories.probeRows * 2
        let repeated = PurchaseHistories(frequency: (0..<n).map { Double($0 % 7) }, recency: (0..<n).map { Double($0 % 7) },
                                         age: Array(repeating: 40, count: n))
        #expect(repeated.count == 7)
        #expect(repeated.totalWeight == Double(n))
        let distinct = PurchaseHistories(frequency: Array(repeating: 1, count: n), recency: (0..<n).map { Double($0) / Double(n) },
                                         age: Array(repeating: 40, count: n))
        #expect(distinct.count == n)
        #expect(distinct.totalWeight == Double(n))
    }
}
