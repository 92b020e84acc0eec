#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fitted purchase model with its spend model: everything needed to score customers.
public struct FittedModel: Sendable, Codable, Equatable {
    /// The purchase model's fit (`bgnbd`, `mbgnbd` or `pnbd`).
    public var purchase: FitResult
    /// The Gamma-Gamma fit, when spend was modelled.
    public var spend: FitResult?
    /// Days per model time unit (7 for weeks).
    public var unitDays: Double
    /// The last day of the calibration period, `YYYY-MM-DD`.
    public var calibrationEnd: String

    /// Creates a fitted model.
    public init(purchase: FitResult, spend: FitResult?, unitDays: Double, calibrationEnd: String) {
        self.purchase = purchase
        self.spend = spend
        self.unitDays = unitDays
        self.calibrationEnd = calibrationEnd
    }

    /// Whether the purchase model's P(alive) can place a customer in a lifecycle stage: not when the fit
    /// went to the edge of its range (typically no dropout visible, so P(alive) is near 1 for everyone),
    /// and not, under BG/NBD, for customers without repeat purchases (to whom it always gives 1).
    public func judgesStage(repeatPurchases: Double) -> Bool {
        if purchase.reachedBoundary { return false }
        return repeatPurchases > 0 || purchase.model != "bgnbd"
    }

    /// P(alive | x, t_x, T).
    public func probabilityAlive(x: Double, tx: Double, T: Double) -> Double {
        probabilityAliveFunction(x, tx, T)
    }

    /// P(alive) as a function of (x, t_x, T), the model chosen once.
    var probabilityAliveFunction: @Sendable (Double, Double, Double) -> Double {
        let v = purchase.parameters
        switch purchase.model {
        case "mbgnbd":
            let p = MBGNBD.Parameters(v)
            return { MBGNBD.probabilityAlive(p, x: $0, tx: $1, T: $2) }
        case "pnbd":
            let p = ParetoNBD.Parameters(v)
            return { ParetoNBD.probabilityAlive(p, x: $0, tx: $1, T: $2) }
        default:
            let p = BGNBD.Parameters(v)
            return { BGNBD.probabilityAlive(p, x: $0, tx: $1, T: $2) }
        }
    }

    /// Expected purchases in the next `t` time units: P(alive) times
    /// ``expectedPurchasesIfAlive(t:x:T:)``, for all three purchase models.
    public func expectedPurchases(t: Double, x: Double, tx: Double, T: Double) -> Double {
        probabilityAlive(x: x, tx: tx, T: T) * expectedPurchasesIfAlive(t: t, x: x, T: T)
    }

    /// Expected purchases in the next `t` time units of a customer still alive at T; it depends on x
    /// and T only.
    public func expectedPurchasesIfAlive(t: Double, x: Double, T: Double) -> Double {
        let v = purchase.parameters
        switch purchase.model {
        case "mbgnbd": return MBGNBD.expectedPurchasesIfAlive(.init(v), t: t, x: x, T: T)
        case "pnbd": return ParetoNBD.expectedPurchasesIfAlive(.init(v), t: t, x: x, T: T)
        default: return BGNBD.expectedPurchasesIfAlive(.init(v), t: t, x: x, T: T)
        }
    }

    /// Where the if-alive expectations stop being smooth in T: T = −shift (α for the BG models,
    /// min(α, β) for Pareto/NBD). Interpolation works in log(shift + T).
    var timeShift: Double {
        let v = purchase.parameters
        return purchase.model == "pnbd" ? min(v[1], v[3]) : v[1]
    }

    /// Σ_{m=1}^{months} (E[X(m) | alive] − E[X(m−1) | alive]) / (1 + monthlyDiscount)^m, months of
    /// 30.4375 days: discounted purchases of a customer still alive at T.
    public func discountedPurchasesIfAlive(x: Double, T: Double, months: Int, monthlyDiscount: Double) -> Double {
        let month = 30.4375 / unitDays
        var previous = 0.0, total = 0.0, discount = 1.0
        for m in 1...max(1, months) {
            let cumulative = expectedPurchasesIfAlive(t: Double(m) * month, x: x, T: T)
            discount /= 1 + monthlyDiscount
            total += (cumulative - previous) * discount
            previous = cumulative
        }
        return total
    }

    /// The expected value of a future transaction (Gamma-Gamma), or `nil` without a spend model.
    public func expectedSpend(x: Double, averageSpend: Double) -> Double? {
        guard let spend else { return nil }
        let p = GammaGamma.Parameters(spend.parameters)
        // Customers without repeat purchases get the population mean p γ / (q − 1).
        return x > 0 && averageSpend > 0 ? GammaGamma.expectedAverageSpend(p, x: x, averageSpend: averageSpend)
            : GammaGamma.expectedAverageSpend(p, x: 0, averageSpend: 1)
    }

    /// Discounted customer lifetime value over `months` months (lifetimes' `customer_lifetime_value`):
    /// Σ_{m=1}^{months} (E[X(m)] − E[X(m−1)]) · spend · margin / (1 + monthlyDiscount)^m, months of
    /// 30.4375 days, so cash counts in the month it is expected to arrive. Every E[X(m)] shares the
    /// factor P(alive), so this is P(alive) · spend · margin · ``discountedPurchasesIfAlive(x:T:months:monthlyDiscount:)``.
    public func lifetimeValue(x: Double, tx: Double, T: Double, averageSpend: Double, months: Int,
                              monthlyDiscount: Double, margin: Double = 1) -> Double? {
        guard let value = expectedSpend(x: x, averageSpend: averageSpend) else { return nil }
        return probabilityAlive(x: x, tx: tx, T: T) * value * margin
            * discountedPurchasesIfAlive(x: x, T: T, months: months, monthlyDiscount: monthlyDiscount)
    }
}
