import Foundation

/// A fitted model: parameters, log-likelihood, standard errors and how the optimiser ended.
public struct FitResult: Sendable, Codable, Equatable {
    /// The model's id (`bgnbd`, `mbgnbd`, `pnbd`, `bgbb`, `gamma-gamma`).
    public var model: String
    /// Parameter names, in order.
    public var parameterNames: [String]
    /// Maximum-likelihood estimates.
    public var parameters: [Double]
    /// The total log-likelihood at the estimates (penalty excluded).
    public var logLikelihood: Double
    /// Standard errors from the inverse of the observed information (the negative Hessian), `nil` when
    /// the Hessian is singular.
    public var standardErrors: [Double]?
    /// L-BFGS iterations.
    public var iterations: Int
    /// The gradient's infinity norm at the end, in log-parameters per customer.
    public var gradientNorm: Double
    /// Whether the optimiser reached its gradient tolerance.
    public var converged: Bool
    /// What people should know: non-convergence, weakly identified parameters.
    public var warnings: [String]
    /// Customers (total weight) the fit used.
    public var observations: Double

    /// Whether a parameter went to the edge of its range (below 1e-4 or above 1e4).
    public var reachedBoundary: Bool { parameters.contains(where: Self.isAtBoundary) }

    /// Whether a parameter value is at the edge of its range: below 1e-4 or above 1e4.
    static func isAtBoundary(_ value: Double) -> Bool { value < 1e-4 || value > 1e4 }

    /// A parameter by name.
    public subscript(name: String) -> Double? {
        parameterNames.firstIndex(of: name).map { parameters[$0] }
    }
}

/// Maximum-likelihood fitting over log-parameters with L-BFGS and analytic gradients.
public enum MaximumLikelihood {
    /// Fits a model.
    /// - Parameters:
    ///   - start: starting parameters (all positive).
    ///   - observations: the customers' total weight (the objective is the mean log-likelihood).
    ///   - penalty: L2 penalty λ Σ θ² added to the mean negative log-likelihood (0 for plain ML).
    ///   - logLikelihood: the total log-likelihood at θ; it adds ∂LL/∂θ into its gradient argument.
    public static func fit(model: String, names: [String], start: [Double], observations: Double, penalty: Double = 0,
                           logLikelihood: ([Double], inout [Double]) -> Double) -> FitResult {
        let n = start.count
        var optimizer = LBFGS()
        optimizer.gradientTolerance = 1e-10
        optimizer.maxIterations = 1_000
        let result = optimizer.minimize(start.map { log($0) }) { u, gradientU in
            let theta = u.map { exp($0) }
            var g = [Double](repeating: 0, count: n)
            let ll = logLikelihood(theta, &g)
            var objective = -ll / observations
            for i in 0..<n {
                gradientU[i] = -g[i] * theta[i] / observations
                if penalty > 0 {
                    objective += penalty * theta[i] * theta[i]
                    gradientU[i] += 2 * penalty * theta[i] * theta[i]
                }
            }
            return objective.isNaN ? .infinity : objective
        }
        let theta = result.x.map { exp($0) }
        var scratch = [Double](repeating: 0, count: n)
        let ll = logLikelihood(theta, &scratch)
        let errors = standardErrors(theta, logLikelihood)
        let warnings = diagnostics(names: names, theta: theta, errors: errors, converged: result.converged,
                                   stopped: "\(result.message); gradient norm \(result.gradientNorm)")
        return FitResult(model: model, parameterNames: names, parameters: theta, logLikelihood: ll, standardErrors: errors,
                         iterations: result.iterations, gradientNorm: result.gradientNorm, converged: result.converged,
                         warnings: warnings, observations: observations)
    }

    /// What people should know about a fit: non-convergence, parameters at the edge of their range,
    /// weakly identified or unidentified parameters.
    static func diagnostics(names: [String], theta: [Double], errors: [Double]?, converged: Bool, stopped: String) -> [String] {
        var warnings: [String] = []
        if !converged { warnings.append("the fit did not converge (\(stopped)); the estimates may be off") }
        for (i, value) in theta.enumerated() where FitResult.isAtBoundary(value) {
            warnings.append("\(names[i]) went to the edge of its range (\(format(value))): the data do not support this part of the model (typically no dropout is visible, and the model reduces to the NBD)")
        }
        if let errors {
            for (i, error) in errors.enumerated() where error > 2 * theta[i] {
                warnings.append("\(names[i]) is weakly identified: its standard error \(format(error)) exceeds twice its estimate \(format(theta[i])) (the likelihood is flat in that direction)")
            }
        } else {
            warnings.append("the likelihood is flat at the estimates (singular Hessian): some parameters are not identified by these data")
        }
        return warnings
    }

    /// Standard errors from forward differences of the analytic gradient (the observed information):
    /// one extra gradient evaluation per parameter.
    static func standardErrors(_ theta: [Double], _ logLikelihood: ([Double], inout [Double]) -> Double) -> [Double]? {
        let n = theta.count
        var base = [Double](repeating: 0, count: n)
        _ = logLikelihood(theta, &base)
        var hessian = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for j in 0..<n {
            let h = 1e-6 * max(1e-3, abs(theta[j]))
            var plus = theta
            plus[j] += h
            var gPlus = [Double](repeating: 0, count: n)
            _ = logLikelihood(plus, &gPlus)
            for i in 0..<n { hessian[i][j] = (gPlus[i] - base[i]) / h }
        }
        // Symmetrise, then invert the information matrix −H.
        var information = hessian
        for i in 0..<n { for j in 0..<n { information[i][j] = -(hessian[i][j] + hessian[j][i]) / 2 } }
        guard let covariance = invert(information) else { return nil }
        let errors = (0..<n).map { covariance[$0][$0] }
        guard errors.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        return errors.map { $0.squareRoot() }
    }

    /// Gauss–Jordan inversion with partial pivoting; `nil` when singular.
    static func invert(_ matrix: [[Double]]) -> [[Double]]? {
        let n = matrix.count
        var a = matrix
        var inverse = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        let scale = matrix.flatMap { $0 }.reduce(0) { max($0, abs($1)) }
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }),
                  abs(a[pivot][column]) > 1e-13 * max(scale, 1e-300) else { return nil }
            a.swapAt(column, pivot)
            inverse.swapAt(column, pivot)
            let divisor = a[column][column]
            for j in 0..<n { a[column][j] /= divisor; inverse[column][j] /= divisor }
            for row in 0..<n where row != column {
                let factor = a[row][column]
                guard factor != 0 else { continue }
                for j in 0..<n { a[row][j] -= factor * a[column][j]; inverse[row][j] -= factor * inverse[column][j] }
            }
        }
        return inverse
    }

    static func format(_ value: Double) -> String { String(format: "%.4g", value) }

    /// Sums a log-likelihood over `count` rows given as a function of a block of rows that returns its
    /// value and its derivative sums (up to 16 of them): blocks of `chunkSize` rows run in parallel
    /// when there are more than two. A model's loop over its block keeps its accumulators in
    /// registers, which a per-row callback cannot.
    public static func sumBlocks(count: Int, chunkSize: Int = 16_384,
                                 _ block: @Sendable (Range<Int>) -> (Double, SIMD16<Double>)) -> (Double, SIMD16<Double>) {
        guard count > 2 * chunkSize else { return block(0..<count) }
        let chunks = (count + chunkSize - 1) / chunkSize
        var partial = [(Double, SIMD16<Double>)](repeating: (0, .zero), count: chunks)
        partial.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                output[chunk] = block((chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize))
            }
        }
        return partial.reduce((0, .zero)) { ($0.0 + $1.0, $0.1 + $1.1) }
    }

    /// Sums a per-row log-likelihood over `count` rows, in parallel chunks when there are many.
    public static func sum(count: Int, parameters: Int, gradient: inout [Double],
                           _ row: @Sendable (Int, inout [Double]) -> Double) -> Double {
        let chunkSize = 16_384
        guard count > 2 * chunkSize else {
            var total = 0.0
            for i in 0..<count { total += row(i, &gradient) }
            return total
        }
        let chunks = (count + chunkSize - 1) / chunkSize
        var partial = [(Double, [Double])](repeating: (0, []), count: chunks)
        partial.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var g = [Double](repeating: 0, count: parameters)
                var total = 0.0
                for i in (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) { total += row(i, &g) }
                output[chunk] = (total, g)
            }
        }
        var total = 0.0
        for (value, g) in partial {
            total += value
            for i in 0..<parameters { gradient[i] += g[i] }
        }
        return total
    }
}
