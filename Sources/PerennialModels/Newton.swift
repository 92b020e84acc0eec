#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Damped Newton maximisation over log-parameters with an analytic Hessian (Levenberg–Marquardt damping
/// and a sufficient-decrease test), for models that provide second derivatives: fewer passes over the
/// data than L-BFGS, and the standard errors come from the last Hessian at no extra cost.
enum Newton {
    /// The largest full Newton step, in log-parameters, at which a fit counts as converged.
    static let stepTolerance = 1e-8

    /// Maximises a log-likelihood that writes its gradient (n entries) and Hessian (n × n, row-major) in
    /// the natural parameters.
    static func fit(model: String, names: [String], start: [Double], observations: Double,
                    _ logLikelihood: ([Double], inout [Double], inout [Double]) -> Double) -> FitResult {
        let n = start.count
        var theta = start
        var g = [Double](repeating: 0, count: n), h = [Double](repeating: 0, count: n * n)
        var ll = logLikelihood(theta, &g, &h)
        var damping = 1e-3
        var iterations = 0, converged = false
        var gradientNorm = Double.infinity
        while iterations < 200 {
            // Objective f(u) = −LL(e^u)/N: gradient and Hessian in u.
            let gu = (0..<n).map { -g[$0] * theta[$0] / observations }
            gradientNorm = gu.reduce(0) { max($0, abs($1)) }
            if gradientNorm < 1e-10 { converged = true; break }
            var hu = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n { hu[i * n + j] = -h[i * n + j] * theta[i] * theta[j] / observations }
                hu[i * n + i] -= g[i] * theta[i] / observations
            }
            // Near the optimum the full Newton step is the distance to it (to second order): once it
            // moves no log-parameter by more than 1e-8, the estimates are good to eight digits and another
            // pass over the data would change nothing that is reported.
            let pureStep = solveCholesky(hu, gu.map { -$0 }, n)
            let newtonStep = pureStep?.reduce(0.0) { max($0, abs($1)) } ?? .infinity
            if newtonStep < stepTolerance {
                converged = true
                break
            }
            // Each iteration first tries the pure Newton step (quadratic convergence near the optimum),
            // then Levenberg–Marquardt damping, raised until a step gives sufficient decrease.
            var accepted = false
            var pure = pureStep != nil
            let scale = (0..<n).reduce(0.0) { max($0, abs(hu[$1 * n + $1])) }
            for _ in 0..<40 {
                var damped = hu
                for i in 0..<n { damped[i * n + i] += damping * max(scale, 1e-12) }
                guard let step = pure ? pureStep : solveCholesky(damped, gu.map { -$0 }, n) else {
                    damping *= 10
                    continue
                }
                let trial = (0..<n).map { theta[$0] * exp(max(-5, min(5, step[$0]))) }
                var gt = [Double](repeating: 0, count: n), ht = [Double](repeating: 0, count: n * n)
                let llt = logLikelihood(trial, &gt, &ht)
                var slope = 0.0 // directional derivative along the step (negative for a descent step)
                for i in 0..<n { slope += gu[i] * step[i] }
                let current = -ll / observations, next = -llt / observations
                if llt.isFinite && next <= current + 1e-4 * slope {
                    theta = trial; g = gt; h = ht; ll = llt
                    if !pure { damping = max(damping / 4, 1e-9) }
                    accepted = true
                    break
                }
                if pure { pure = false } else { damping *= 4 }
            }
            iterations += 1
            if !accepted {
                // No step decreases the objective: at the optimum to floating-point precision when the
                // Newton step is already tiny, stalled otherwise.
                converged = newtonStep < 1e-6
                break
            }
        }
        // Standard errors from the observed information −H.
        let information = (0..<n).map { i in (0..<n).map { j in -(h[i * n + j] + h[j * n + i]) / 2 } }
        var errors: [Double]?
        if let covariance = MaximumLikelihood.invert(information) {
            let variances = (0..<n).map { covariance[$0][$0] }
            if variances.allSatisfy({ $0 > 0 && $0.isFinite }) { errors = variances.map { $0.squareRoot() } }
        }
        let warnings = MaximumLikelihood.diagnostics(names: names, theta: theta, errors: errors, converged: converged,
                                                     stopped: "gradient norm \(gradientNorm)")
        return FitResult(model: model, parameterNames: names, parameters: theta, logLikelihood: ll, standardErrors: errors,
                         iterations: iterations, gradientNorm: gradientNorm, converged: converged, warnings: warnings,
                         observations: observations)
    }

    /// Solves A x = b for a symmetric positive-definite A (row-major n × n); `nil` when A is not.
    static func solveCholesky(_ a: [Double], _ b: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { x[i] -= l[k * n + i] * x[k] }
            x[i] /= l[i * n + i]
        }
        return x
    }
}
