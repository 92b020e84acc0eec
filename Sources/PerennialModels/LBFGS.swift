/// Limited-memory BFGS minimisation with a strong-Wolfe line search (Nocedal & Wright, *Numerical
/// Optimization*, 2nd ed., Algorithms 7.4 and 3.5–3.6).
public struct LBFGS: Sendable {
    /// How a minimisation ended.
    public struct Result: Sendable {
        /// The minimiser found.
        public var x: [Double]
        /// The objective there.
        public var value: Double
        /// The gradient's infinity norm there.
        public var gradientNorm: Double
        /// Iterations taken.
        public var iterations: Int
        /// Objective evaluations.
        public var evaluations: Int
        /// Whether the gradient tolerance was reached (rather than the iteration limit or a stalled
        /// line search).
        public var converged: Bool
        /// Why it stopped, for people.
        public var message: String
    }

    /// Pairs of (step, gradient change) kept.
    public var memory = 10
    /// Stop when the gradient's infinity norm falls below this.
    public var gradientTolerance = 1e-9
    /// Stop after this many iterations.
    public var maxIterations = 500

    /// Default settings.
    public init() {}

    /// Minimises `f`, which returns the objective and writes its gradient.
    public func minimize(_ start: [Double], _ f: ([Double], inout [Double]) -> Double) -> Result {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var value = f(x, &g)
        var evaluations = 1
        var steps: [[Double]] = [], changes: [[Double]] = [], rhos: [Double] = []
        var iteration = 0
        func norm(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        guard value.isFinite else {
            return Result(x: x, value: value, gradientNorm: .nan, iterations: 0, evaluations: 1, converged: false,
                          message: "the objective is not finite at the starting point")
        }
        while iteration < maxIterations {
            if norm(g) < gradientTolerance {
                return Result(x: x, value: value, gradientNorm: norm(g), iterations: iteration, evaluations: evaluations,
                              converged: true, message: "gradient below tolerance")
            }
            // Two-loop recursion: direction = −H g.
            var q = g
            var alphas = [Double](repeating: 0, count: steps.count)
            for i in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[i] = rhos[i] * dot(steps[i], q)
                for j in 0..<n { q[j] -= alphas[i] * changes[i][j] }
            }
            if let s = steps.last, let y = changes.last {
                let gamma = dot(s, y) / dot(y, y)
                for j in 0..<n { q[j] *= gamma }
            } else {
                let scale = 1 / max(1, norm(g))
                for j in 0..<n { q[j] *= scale }
            }
            for i in 0..<steps.count {
                let beta = rhos[i] * dot(changes[i], q)
                for j in 0..<n { q[j] += steps[i][j] * (alphas[i] - beta) }
            }
            var direction = q.map { -$0 }
            var slope = dot(g, direction)
            if slope >= 0 {
                // Not a descent direction: restart from steepest descent.
                steps.removeAll(); changes.removeAll(); rhos.removeAll()
                direction = g.map { -$0 / max(1, norm(g)) }
                slope = dot(g, direction)
            }
            guard let step = lineSearch(x: x, value: value, gradient: g, direction: direction, slope: slope, f, &evaluations) else {
                return Result(x: x, value: value, gradientNorm: norm(g), iterations: iteration, evaluations: evaluations,
                              converged: norm(g) < 1e-5, message: "the line search could not improve the objective (flat surface or limit of precision)")
            }
            let s = zip(step.x, x).map { $0 - $1 }
            let y = zip(step.gradient, g).map { $0 - $1 }
            let sy = dot(s, y)
            if sy > 1e-12 {
                steps.append(s); changes.append(y); rhos.append(1 / sy)
                if steps.count > memory { steps.removeFirst(); changes.removeFirst(); rhos.removeFirst() }
            }
            let previous = value
            x = step.x
            g = step.gradient
            value = step.value
            iteration += 1
            if abs(previous - value) <= 1e-15 * max(1, abs(value)) && norm(g) < 1e-6 {
                return Result(x: x, value: value, gradientNorm: norm(g), iterations: iteration, evaluations: evaluations,
                              converged: true, message: "objective stationary")
            }
        }
        return Result(x: x, value: value, gradientNorm: norm(g), iterations: iteration, evaluations: evaluations,
                      converged: false, message: "iteration limit reached")
    }

    private struct Point {
        var x: [Double]
        var value: Double
        var gradient: [Double]
        var slope: Double
    }

    /// Strong-Wolfe line search (c1 = 1e-4, c2 = 0.9) with bracketing and bisection/cubic zoom.
    private func lineSearch(x: [Double], value: Double, gradient: [Double], direction: [Double], slope: Double,
                            _ f: ([Double], inout [Double]) -> Double, _ evaluations: inout Int) -> Point? {
        let c1 = 1e-4, c2 = 0.9
        func evaluate(_ t: Double) -> Point {
            var g = [Double](repeating: 0, count: x.count)
            let point = zip(x, direction).map { $0 + t * $1 }
            let v = f(point, &g)
            evaluations += 1
            return Point(x: point, value: v.isFinite ? v : .infinity, gradient: g, slope: zip(g, direction).reduce(0) { $0 + $1.0 * $1.1 })
        }
        var previousT = 0.0
        var previous = Point(x: x, value: value, gradient: gradient, slope: slope)
        var t = 1.0
        for attempt in 0..<40 {
            let current = evaluate(t)
            if current.value > value + c1 * t * slope || (attempt > 0 && current.value >= previous.value) {
                return zoom(low: previous, lowT: previousT, high: current, highT: t, value: value, slope: slope, c1: c1, c2: c2, evaluate)
            }
            if abs(current.slope) <= -c2 * slope { return current }
            if current.slope >= 0 {
                return zoom(low: current, lowT: t, high: previous, highT: previousT, value: value, slope: slope, c1: c1, c2: c2, evaluate)
            }
            previous = current
            previousT = t
            t *= 2
        }
        return nil
    }

    private func zoom(low: Point, lowT: Double, high: Point, highT: Double, value: Double, slope: Double, c1: Double, c2: Double,
                      _ evaluate: (Double) -> Point) -> Point? {
        var low = low, high = high, lowT = lowT, highT = highT
        for _ in 0..<60 {
            // Cubic interpolation between the bracket ends, kept inside the bracket; bisection otherwise.
            var t = cubicMinimum(lowT, low.value, low.slope, highT, high.value, high.slope)
            let (a, b) = (min(lowT, highT), max(lowT, highT))
            if !t.isFinite || t <= a + 0.1 * (b - a) || t >= b - 0.1 * (b - a) { t = (lowT + highT) / 2 }
            let current = evaluate(t)
            if current.value > value + c1 * t * slope || current.value >= low.value {
                high = current
                highT = t
            } else {
                if abs(current.slope) <= -c2 * slope { return current }
                if current.slope * (highT - lowT) >= 0 {
                    high = low
                    highT = lowT
                }
                low = current
                lowT = t
            }
            if abs(highT - lowT) < 1e-16 { break }
        }
        return low.value < value ? low : nil
    }

    private func cubicMinimum(_ t0: Double, _ f0: Double, _ d0: Double, _ t1: Double, _ f1: Double, _ d1: Double) -> Double {
        let d1c = d0 + d1 - 3 * (f0 - f1) / (t0 - t1)
        let discriminant = d1c * d1c - d0 * d1
        guard discriminant >= 0 else { return .nan }
        let d2 = (t1 > t0 ? 1.0 : -1.0) * discriminant.squareRoot()
        return t1 - (t1 - t0) * (d1 + d2 - d1c) / (d1 - d0 + 2 * d2)
    }
}
