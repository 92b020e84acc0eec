#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The MBG/NBD model of Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of
/// models for customer base analysis", IJRM 24(3): as BG/NBD, but a customer may also drop out at
/// time zero, right after the first purchase, so a customer without repeat purchases need not be alive.
public enum MBGNBD {
    /// The parameters share BG/NBD's names and meaning.
    public typealias Parameters = BGNBD.Parameters

    /// Parameter names, in vector order.
    public static let parameterNames = BGNBD.parameterNames

    /// One customer's log-likelihood (Batislam et al. 2007, eq. 4), gradient added to `gradient`:
    ///
    /// L = Γ(r+x) α^r / Γ(r) · [ B(a, b+x+1)/B(a, b) (α+T)^{−(r+x)} + B(a+1, b+x)/B(a, b) (α+t_x)^{−(r+x)} ].
    @inlinable
    public static func logLikelihood(_ p: Parameters, x: Double, tx: Double, T: Double, weight: Double,
                                     gradient: inout [Double]) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let logAlphaT = log(alpha + T), logAlphaTx = log(alpha + tx)
        let common = Special.logGamma(r + x) - Special.logGamma(r) + r * log(alpha) - Special.logBeta(a, b)
        let t1 = Special.logBeta(a, b + x + 1) - (r + x) * logAlphaT
        let t2 = Special.logBeta(a + 1, b + x) - (r + x) * logAlphaTx
        let mix = Special.logAddExp(t1, t2)
        let w1 = exp(t1 - mix), w2 = exp(t2 - mix)
        let psiAB = Special.digamma(a + b), psiTop = Special.digamma(a + b + x + 1)
        gradient[0] += weight * (Special.digamma(r + x) - Special.digamma(r) + log(alpha) - w1 * logAlphaT - w2 * logAlphaTx)
        gradient[1] += weight * (r / alpha - (r + x) * (w1 / (alpha + T) + w2 / (alpha + tx)))
        gradient[2] += weight * (-Special.digamma(a) + psiAB + w1 * (Special.digamma(a) - psiTop) + w2 * (Special.digamma(a + 1) - psiTop))
        gradient[3] += weight * (-Special.digamma(b) + psiAB + w1 * (Special.digamma(b + x + 1) - psiTop) + w2 * (Special.digamma(b + x) - psiTop))
        return weight * (common + mix)
    }

    /// P(alive | x, t_x, T) = 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^{r+x}).
    public static func probabilityAlive(_ p: Parameters, x: Double, tx: Double, T: Double) -> Double {
        1 / (1 + p.a / (p.b + x) * exp((p.r + x) * log((p.alpha + T) / (p.alpha + tx))))
    }

    /// E[X(t) | x, t_x, T] (Batislam et al. 2007, eq. 6): P(alive) times
    /// ``expectedPurchasesIfAlive(_:t:x:T:)``.
    public static func expectedPurchases(_ p: Parameters, t: Double, x: Double, tx: Double, T: Double) -> Double {
        probabilityAlive(p, x: x, tx: tx, T: T) * expectedPurchasesIfAlive(p, t: t, x: x, T: T)
    }

    /// Expected purchases in the next t of a customer still alive at T (the numerator of Batislam et
    /// al. 2007, eq. 6): (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x+1; a+b+x; z)], with
    /// the bracket by Euler's transformation 1 − ((α+T)/(α+T+t))^{a−1} ₂F₁(a+b−r, a−1; a+b+x; z).
    public static func expectedPurchasesIfAlive(_ p: Parameters, t: Double, x: Double, T: Double) -> Double {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let hyp = Special.series2f1(a + b - r, a - 1, a + b + x, t / (alpha + T + t))
        return (a + b + x) / (a - 1) * (1 - exp((a - 1) * log((alpha + T) / (alpha + T + t))) * hyp)
    }

    /// E[X(t)] for a customer just acquired: (b/(a−1)) [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))].
    public static func expectedPurchasesNewCustomer(_ p: Parameters, t: Double) -> Double {
        let hyp = Special.hyp2f1(p.r, p.b + 1, p.a + p.b, t / (p.alpha + t))
        return p.b / (p.a - 1) * (1 - pow(p.alpha / (p.alpha + t), p.r) * hyp)
    }

    /// Fits the model by maximum likelihood.
    public static func fit(_ data: PurchaseHistories, penalty: Double = 0, start: Parameters = Parameters(r: 1, alpha: 1, a: 1, b: 1)) -> FitResult {
        MaximumLikelihood.fit(model: "mbgnbd", names: parameterNames, start: start.vector, observations: data.totalWeight, penalty: penalty) { v, g in
            let p = Parameters(v)
            return MaximumLikelihood.sum(count: data.count, parameters: 4, gradient: &g) { i, g in
                logLikelihood(p, x: data.frequency[i], tx: data.recency[i], T: data.age[i], weight: data.weight[i], gradient: &g)
            }
        }
    }
}
