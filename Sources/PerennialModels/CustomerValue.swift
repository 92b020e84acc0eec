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

    /// P(alive | x, t_x, T).
    public func probabilityAlive(x: Double, tx: Double, T: Double) -> Double {
        let v = purchase.parameters
        switch purchase.model {
        case "mbgnbd": return MBGNBD.probabilityAlive(.init(v), x: x, tx: tx, T: T)
        case "pnbd": return ParetoNBD.probabilityAlive(.init(v), x: x, tx: tx, T: T)
        default: return BGNBD.probabilityAlive(.init(v), x: x, tx: tx, T: T)
        }
    }

    /// Expected purchases in the next `t` time units.
    public func expectedPurchases(t: Double, x: Double, tx: Double, T: Double) -> Double {
        let v = purchase.parameters
        switch purchase.model {
        case "mbgnbd": return MBGNBD.expectedPurchases(.init(v), t: t, x: x, tx: tx, T: T)
        case "pnbd": return ParetoNBD.expectedPurchases(.init(v), t: t, x: x, tx: tx, T: T)
        default: return BGNBD.expectedPurchases(.init(v), t: t, x: x, tx: tx, T: T)
        }
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
    /// 30.4375 days, so cash counts in the month it is expected to arrive.
    public func lifetimeValue(x: Double, tx: Double, T: Double, averageSpend: Double, months: Int,
                              monthlyDiscount: Double, margin: Double = 1) -> Double? {
        guard let value = expectedSpend(x: x, averageSpend: averageSpend) else { return nil }
        let month = 30.4375 / unitDays
        var previous = 0.0, total = 0.0
        for m in 1...max(1, months) {
            let cumulative = expectedPurchases(t: Double(m) * month, x: x, tx: tx, T: T)
            total += (cumulative - previous) * value * margin / pow(1 + monthlyDiscount, Double(m))
            previous = cumulative
        }
        return total
    }
}
