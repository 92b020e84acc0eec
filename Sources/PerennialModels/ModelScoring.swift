import Foundation

/// Scores many customers at once, in parallel across cores.
public enum ModelScoring {
    /// P(alive) and expected purchases over `horizon` time units for each customer.
    public struct Scores: Sendable {
        /// P(alive) per customer.
        public var probabilityAlive: [Double]
        /// Expected purchases over the horizon per customer.
        public var expectedPurchases: [Double]
    }

    /// Scores per-customer (x, t_x, T) columns with a fitted purchase model.
    /// - Complexity: O(n) model evaluations, split across cores in chunks of 16,384.
    public static func score(model: FittedModel, frequency: [Double], recency: [Double], age: [Double], horizon: Double) -> Scores {
        let n = frequency.count
        var alive = [Double](repeating: 0, count: n)
        var purchases = [Double](repeating: 0, count: n)
        let chunk = 16_384
        alive.withUnsafeMutableBufferPointer { aliveBuffer in
            purchases.withUnsafeMutableBufferPointer { purchaseBuffer in
                nonisolated(unsafe) let a = aliveBuffer, p = purchaseBuffer
                DispatchQueue.concurrentPerform(iterations: (n + chunk - 1) / chunk) { c in
                    for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                        a[i] = model.probabilityAlive(x: frequency[i], tx: recency[i], T: age[i])
                        p[i] = model.expectedPurchases(t: horizon, x: frequency[i], tx: recency[i], T: age[i])
                    }
                }
            }
        }
        return Scores(probabilityAlive: alive, expectedPurchases: purchases)
    }
}
