/// Small dense kernels on `Float` vectors whose length is a multiple of 8, written with `SIMD8` so the
/// compiler emits vector code without fast-math (a plain loop's float reduction would stay scalar).
enum VectorKernels {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// `a · b`.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var k = 0
        while k + 16 <= n {
            acc0 += load(a + k) * load(b + k)
            acc1 += load(a + k + 8) * load(b + k + 8)
            k += 16
        }
        if k < n { acc0 += load(a + k) * load(b + k) }
        return (acc0 + acc1).sum()
    }

    /// `y += s · x`.
    @inline(__always)
    static func axpy(_ s: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let sv = SIMD8<Float>(repeating: s)
        var k = 0
        while k < n {
            store(load(y + k) + sv * load(x + k), y + k)
            k += 8
        }
    }

    /// `out = A · x` for a dense symmetric `n × n` matrix, as a sum of its rows scaled by `x` (no horizontal
    /// sums).
    @inline(__always)
    static func symv(_ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        var k = 0
        while k < n {
            store(SIMD8<Float>(), out + k)
            k += 8
        }
        for j in 0..<n { axpy(x[j], a + j * n, out, n) }
    }
}
