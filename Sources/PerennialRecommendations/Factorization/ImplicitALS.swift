/// Settings of ``ImplicitALS``.
public struct ALSConfiguration: Sendable, Hashable, Codable {
    /// Latent factors; rounded up to a multiple of 8.
    public var factors: Int
    /// L2 regularisation λ.
    public var regularization: Float
    /// Alternating sweeps (customers, then items).
    public var iterations: Int
    /// Conjugate-gradient steps per row and sweep.
    public var conjugateGradientSteps: Int
    /// Confidence scale α: confidence = α × weighted count.
    public var alpha: Float
    /// How counts become confidences.
    public var weighting: ConfidenceWeighting
    /// Seed of the initial factors: the same seed gives the same model, on any number of threads.
    public var seed: UInt64
    /// Worker threads (at least 1).
    public var threads: Int

    /// Creates settings; the defaults are the ones `perennial recommend` uses.
    public init(factors: Int = 48, regularization: Float = 0.01, iterations: Int = 10, conjugateGradientSteps: Int = 3,
                alpha: Float = 1, weighting: ConfidenceWeighting = .log, seed: UInt64 = 42, threads: Int = 2) {
        self.factors = factors
        self.regularization = regularization
        self.iterations = iterations
        self.conjugateGradientSteps = conjugateGradientSteps
        self.alpha = alpha
        self.weighting = weighting
        self.seed = seed
        self.threads = threads
    }
}

/// Customer and item factors whose dot product scores how much a customer would want an item.
public struct FactorModel: Sendable, Hashable {
    /// Factors per vector (a multiple of 8).
    public let factors: Int
    /// Customer vectors, row-major (`customers × factors`).
    public let customerFactors: [Float]
    /// Item vectors, row-major (`items × factors`).
    public let itemFactors: [Float]

    /// Creates a model from its factors.
    public init(factors: Int, customerFactors: [Float], itemFactors: [Float]) {
        precondition(factors % 8 == 0 && customerFactors.count % factors == 0 && itemFactors.count % factors == 0)
        self.factors = factors
        self.customerFactors = customerFactors
        self.itemFactors = itemFactors
    }

    /// Number of items.
    public var itemCount: Int { itemFactors.count / factors }

    /// Scores every item for one customer into `out` (`itemCount` entries).
    /// - Complexity: O(items × factors).
    public func scores(customer: Int, into out: inout [Float]) {
        let f = factors
        customerFactors.withUnsafeBufferPointer { users in
            itemFactors.withUnsafeBufferPointer { items in
                let u = users.baseAddress! + customer * f
                for i in 0..<itemCount { out[i] = VectorKernels.dot(u, items.baseAddress! + i * f, f) }
            }
        }
    }
}

/// Implicit-feedback matrix factorisation by alternating least squares with conjugate-gradient row
/// updates: Hu, Koren & Volinsky, "Collaborative Filtering for Implicit Feedback Datasets" (ICDM 2008),
/// eq. 4, solved approximately as in Takács, Pilászy & Tikk, "Applications of the conjugate gradient
/// method for implicit feedback collaborative filtering" (RecSys 2011), Algorithm 2.
///
/// Each row's update reads only the other side's factors, so rows are solved in parallel and the result
/// does not depend on the number of threads.
public enum ImplicitALS {
    /// Fits factors to a customer × item count matrix.
    /// - Complexity: O(iterations × (entries × factors + (customers + items) × factors²) × CG steps).
    public static func fit(_ counts: SparseMatrix, configuration c: ALSConfiguration) -> FactorModel {
        let f = (max(c.factors, 8) + 7) / 8 * 8
        let confidence = c.weighting.apply(to: counts).mapValues { $0 * c.alpha }
        let byItem = confidence.transposed()
        var random = SplitMix(seed: c.seed)
        // Small positive start, as implicit does (uniform [0, 0.01)).
        var users = (0..<(counts.rows * f)).map { _ in Float(random.uniform() * 0.01) }
        var items = (0..<(counts.columnCount * f)).map { _ in Float(random.uniform() * 0.01) }
        for _ in 0..<c.iterations {
            solve(confidence, fixed: items, updating: &users, factors: f, configuration: c)
            solve(byItem, fixed: users, updating: &items, factors: f, configuration: c)
        }
        return FactorModel(factors: f, customerFactors: users, itemFactors: items)
    }

    /// One half sweep: each row `u` of `x` solves `(YᵀY + Yᵀ(Cᵤ − I)Y + λI) xᵤ = Yᵀ Cᵤ pᵤ` by a few CG steps
    /// started from its current value.
    static func solve(_ cui: SparseMatrix, fixed y: [Float], updating x: inout [Float], factors f: Int, configuration c: ALSConfiguration) {
        let gram = gramian(y, factors: f, regularization: c.regularization)
        let rows = cui.rows
        let threads = max(1, c.threads)
        let chunks = min(rows, threads * 8)
        guard chunks > 0 else { return }
        let steps = c.conjugateGradientSteps
        gram.withUnsafeBufferPointer { gramBuffer in
        y.withUnsafeBufferPointer { yBuffer in
        x.withUnsafeMutableBufferPointer { xBuffer in
        cui.rowStart.withUnsafeBufferPointer { starts in
        cui.columns.withUnsafeBufferPointer { columns in
        cui.values.withUnsafeBufferPointer { values in
            let a = gramBuffer.baseAddress!, yp = yBuffer.baseAddress!, xp = xBuffer.baseAddress!
            let work = { (chunk: Int) in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * f)
                defer { scratch.deallocate() }
                let r = scratch, p = scratch + f, ap = scratch + 2 * f
                var row = chunk * rows / chunks
                let end = (chunk + 1) * rows / chunks
                while row < end {
                    let xu = xp + row * f
                    // r = Yᵀ Cᵤ p − (YᵀY + λI + Yᵀ(Cᵤ − I)Y) x
                    VectorKernels.symv(a, xu, r, f)
                    for k in 0..<f { r[k] = -r[k] }
                    for e in starts[row]..<starts[row + 1] {
                        let yi = yp + Int(columns[e]) * f
                        let confidence = values[e]
                        VectorKernels.axpy(confidence - (confidence - 1) * VectorKernels.dot(yi, xu, f), yi, r, f)
                    }
                    for k in 0..<f { p[k] = r[k] }
                    var rsOld = VectorKernels.dot(r, r, f)
                    var step = 0
                    while step < steps && rsOld > 1e-20 {
                        VectorKernels.symv(a, p, ap, f)
                        for e in starts[row]..<starts[row + 1] {
                            let yi = yp + Int(columns[e]) * f
                            VectorKernels.axpy((values[e] - 1) * VectorKernels.dot(yi, p, f), yi, ap, f)
                        }
                        let alpha = rsOld / VectorKernels.dot(p, ap, f)
                        VectorKernels.axpy(alpha, p, xu, f)
                        VectorKernels.axpy(-alpha, ap, r, f)
                        let rsNew = VectorKernels.dot(r, r, f)
                        if rsNew < 1e-20 { break }
                        let beta = rsNew / rsOld
                        for k in 0..<f { p[k] = r[k] + beta * p[k] }
                        rsOld = rsNew
                        step += 1
                    }
                    row += 1
                }
            }
            Parallel.forEach(chunks, threads: threads, work)
        }}}}}}
    }

    /// `YᵀY + λI`, row-major `f × f`.
    static func gramian(_ y: [Float], factors f: Int, regularization: Float) -> [Float] {
        var out = [Float](repeating: 0, count: f * f)
        let n = y.count / f
        y.withUnsafeBufferPointer { yb in
            out.withUnsafeMutableBufferPointer { ob in
                let o = ob.baseAddress!
                for i in 0..<n {
                    let yi = yb.baseAddress! + i * f
                    for j in 0..<f where yi[j] != 0 { VectorKernels.axpy(yi[j], yi, o + j * f, f) }
                }
            }
        }
        for j in 0..<f { out[j * f + j] += regularization }
        return out
    }
}

/// SplitMix64: a tiny seeded generator for initial factors (the same seed, the same numbers everywhere).
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
