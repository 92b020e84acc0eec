import Foundation

/// Buy-again from a customer's own cadence for one item.
///
/// An item bought `n ≥ 2` times between `first` and `last` has an interval `d = (last − first) / (n − 1)`.
/// The chance of buying it again within a horizon `H` is modelled as a Poisson process at rate `1/d` that
/// stops when the habit lapses: `P = (1 − e^(−H/d)) × e^(−max(0, since − 2d) / d)` where `since` is the time
/// since the last purchase. So an item bought every ~30 days and last bought 28 days ago scores high, one
/// last bought 200 days ago scores low. A one-off purchase has no cadence of its own: it takes the
/// customer's order interval and decays with its age the same way.
public enum BuyAgain {
    /// One customer-item cadence: what the score and the explanation read.
    public struct Cadence: Sendable, Hashable {
        /// Distinct orders with the item.
        public var orders: Int
        /// Days between purchases of the item (the customer's order interval for one-offs).
        public var intervalDays: Double
        /// Days since the item was last bought.
        public var daysSinceLast: Double
        /// Whether the interval is the item's own (bought at least twice).
        public var isOwn: Bool { orders >= 2 }
    }

    /// The cadence of an item bought `orders` times, first and last at the given days before the as-of
    /// instant; `customerIntervalDays` stands in for one-offs.
    public static func cadence(orders: Int, daysSinceFirst: Double, daysSinceLast: Double, customerIntervalDays: Double) -> Cadence {
        let own = orders >= 2 ? (daysSinceFirst - daysSinceLast) / Double(orders - 1) : customerIntervalDays
        return Cadence(orders: orders, intervalDays: max(own, 1), daysSinceLast: daysSinceLast)
    }

    /// The probability-like score of buying again within `horizonDays`.
    public static func score(_ c: Cadence, horizonDays: Double) -> Double {
        let d = c.intervalDays
        let lapse = max(0, c.daysSinceLast - 2 * d)
        return (1 - exp(-horizonDays / d)) * exp(-lapse / d)
    }
}
