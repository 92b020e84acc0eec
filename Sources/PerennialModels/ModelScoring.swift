import Foundation

/// Scores many customers at once: P(alive), expected purchases, expected spend and discounted CLV.
///
/// For all three purchase models E[X(t) | x, t_x, T] = P(alive | x, t_x, T) · E[X(t) | alive, x, T],
/// and the CLV's monthly expectations share that factor, so a customer's value is P(alive) times
/// functions of x and T alone. Customers are grouped by x; in each group of at least 64 customers the
/// two functions of T (expected purchases over the horizon and discounted purchases over the CLV
/// months, if alive) are interpolated in log(shift + T) by a Chebyshev interpolant of 24 or 48 points,
/// kept only when it matches the direct computation to 1e-11 of the functions' size at checkpoints
/// between its nodes; other customers are computed directly. P(alive) is always direct.
public enum ModelScoring {
    /// Per-customer predictions, in input order.
    public struct Scores: Sendable {
        /// P(alive).
        public var probabilityAlive: [Double]
        /// Expected purchases over the horizon.
        public var expectedPurchases: [Double]
        /// Expected value of a future transaction (empty without a spend model or spend column).
        public var expectedSpend: [Double]
        /// Discounted lifetime value over the CLV months (empty without a spend model or spend column).
        public var lifetimeValue: [Double]
    }

    /// Scores per-customer (x, t_x, T) columns with a fitted model.
    /// - Parameters:
    ///   - averageSpend: each customer's mean repeat-order value, for spend and CLV (with a spend model).
    ///   - horizon: the prediction horizon in the model's time units.
    ///   - months: CLV horizon in months; `monthlyDiscount` its monthly discount rate; `margin` the share
    ///     of spend that is profit.
    /// - Complexity: O(n) cheap evaluations, split across cores in chunks of 16,384.
    public static func score(model: FittedModel, frequency: [Double], recency: [Double], age: [Double],
                             averageSpend: [Double]? = nil, horizon: Double, months: Int = 12,
                             monthlyDiscount: Double = 0.01, margin: Double = 1) -> Scores {
        let n = frequency.count
        let valued = model.spend != nil && averageSpend != nil
        let shift = model.timeShift
        let (values, group) = FrequencyGroups.groupIDs(frequency)
        let ifAlive: @Sendable (Double, Double) -> SIMD2<Double> = { x, T in
            SIMD2(model.expectedPurchasesIfAlive(t: horizon, x: x, T: T),
                  valued ? model.discountedPurchasesIfAlive(x: x, T: T, months: months, monthlyDiscount: monthlyDiscount) : 0)
        }
        let probabilityAlive = model.probabilityAliveFunction
        // The interpolants, flattened: group k's coefficients are flat[start[k]..<start[k+1]] (none when
        // the group is computed directly).
        let interpolants = interpolate(values: values, group: group, age: age, shift: shift, ifAlive)
        let flat = interpolants.flatMap { $0?.coefficients ?? [] }
        var offsets = [0]
        for interpolant in interpolants { offsets.append(offsets.last! + (interpolant?.coefficients.count ?? 0)) }
        let start = offsets
        let bounds = interpolants.map { SIMD2($0?.lower ?? 0, $0?.upper ?? 0) }

        var alive = [Double](repeating: 0, count: n), purchases = [Double](repeating: 0, count: n)
        var spend = [Double](repeating: 0, count: valued ? n : 0), value = [Double](repeating: 0, count: valued ? n : 0)
        let chunk = 16_384
        alive.withUnsafeMutableBufferPointer { aliveOut in
        purchases.withUnsafeMutableBufferPointer { purchasesOut in
        spend.withUnsafeMutableBufferPointer { spendOut in
        value.withUnsafeMutableBufferPointer { valueOut in
            nonisolated(unsafe) let (a, p, s, v) = (aliveOut, purchasesOut, spendOut, valueOut)
            DispatchQueue.concurrentPerform(iterations: (n + chunk - 1) / chunk) { c in
                flat.withUnsafeBufferPointer { flat in
                for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                    let k = Int(group[i])
                    let x = values[k], T = age[i]
                    let probability = probabilityAlive(x, recency[i], T)
                    let conditional = start[k + 1] > start[k]
                        ? ChebyshevInterpolant.evaluate(UnsafeBufferPointer(rebasing: flat[start[k]..<start[k + 1]]),
                                                        lower: bounds[k][0], upper: bounds[k][1], at: log(shift + T))
                        : ifAlive(x, T)
                    a[i] = probability
                    p[i] = probability * conditional[0]
                    if valued, let expected = model.expectedSpend(x: x, averageSpend: averageSpend![i]) {
                        s[i] = expected
                        v[i] = probability * expected * margin * conditional[1]
                    }
                }
                }
            }
        }}}}
        return Scores(probabilityAlive: alive, expectedPurchases: purchases, expectedSpend: spend, lifetimeValue: value)
    }

    /// The interpolant of each frequency group that has one.
    static func interpolate(values: [Double], group: [Int32], age: [Double], shift: Double,
                            _ f: @Sendable (Double, Double) -> SIMD2<Double>) -> [ChebyshevInterpolant?] {
        var count = [Int](repeating: 0, count: values.count)
        var lowest = [Double](repeating: .infinity, count: values.count)
        var highest = [Double](repeating: -.infinity, count: values.count)
        for (k, T) in zip(group, age) {
            let k = Int(k)
            count[k] += 1
            lowest[k] = min(lowest[k], T)
            highest[k] = max(highest[k], T)
        }
        let (size, low, high) = (count, lowest, highest)
        var result = [ChebyshevInterpolant?](repeating: nil, count: values.count)
        result.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: values.count) { k in
                guard size[k] >= 64, high[k] > low[k], low[k] + shift > 0 else { return }
                let x = values[k]
                let (u0, u1) = (log(shift + low[k]), log(shift + high[k]))
                for points in [24, 48] {
                    if let fit = ChebyshevInterpolant(lower: u0, upper: u1, points: points, tolerance: 1e-11, { u in f(x, exp(u) - shift) }) {
                        output[k] = fit
                        return
                    }
                }
            }
        }
        return result
    }
}
