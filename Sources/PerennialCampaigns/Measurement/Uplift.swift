import Foundation

/// The difference between treated and held-out customers: a two-proportion z-test for conversion and
/// Welch's t-test for revenue per customer, each with a 95% confidence interval and a two-sided p-value.
public enum Uplift {
    /// The result of a test of treated against control.
    public struct Comparison: Sendable, Hashable, Codable {
        public var treated: Double
        public var control: Double
        /// treated − control.
        public var difference: Double
        public var lower: Double
        public var upper: Double
        /// The test statistic (z or t).
        public var statistic: Double
        public var pValue: Double
        /// Welch's degrees of freedom (`nil` for the z-test).
        public var degreesOfFreedom: Double?
    }

    /// Conversion rates `x1/n1` (treated) against `x2/n2` (control): z with the pooled standard error,
    /// the interval with the unpooled one (as statsmodels and most A/B tools report them). `nil` when a
    /// group is empty or the pooled rate is 0 or 1.
    public static func proportions(treated x1: Int, of n1: Int, control x2: Int, of n2: Int) -> Comparison? {
        guard n1 > 0, n2 > 0 else { return nil }
        let p1 = Double(x1) / Double(n1), p2 = Double(x2) / Double(n2)
        let pooled = Double(x1 + x2) / Double(n1 + n2)
        let pooledSE = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
        guard pooledSE > 0 else { return nil }
        let z = (p1 - p2) / pooledSE
        let se = (p1 * (1 - p1) / Double(n1) + p2 * (1 - p2) / Double(n2)).squareRoot()
        let margin = Distributions.z975 * se
        return Comparison(treated: p1, control: p2, difference: p1 - p2, lower: p1 - p2 - margin, upper: p1 - p2 + margin,
                          statistic: z, pValue: 2 * Distributions.normalCDF(-abs(z)), degreesOfFreedom: nil)
    }

    /// Means of two samples by Welch's t-test (unequal variances, Welch–Satterthwaite degrees of
    /// freedom). `nil` when a sample has fewer than two values or both have no variance.
    public static func means(treated a: [Double], control b: [Double]) -> Comparison? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        func moments(_ x: [Double]) -> (mean: Double, variance: Double) {
            let mean = x.reduce(0, +) / Double(x.count)
            return (mean, x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1))
        }
        let (m1, v1) = moments(a), (m2, v2) = moments(b)
        let s1 = v1 / Double(a.count), s2 = v2 / Double(b.count)
        let se = (s1 + s2).squareRoot()
        guard se > 0 else { return nil }
        let t = (m1 - m2) / se
        let df = (s1 + s2) * (s1 + s2) / (s1 * s1 / Double(a.count - 1) + s2 * s2 / Double(b.count - 1))
        let margin = Distributions.studentQuantile(0.975, df: df) * se
        return Comparison(treated: m1, control: m2, difference: m1 - m2, lower: m1 - m2 - margin, upper: m1 - m2 + margin,
                          statistic: t, pValue: 2 * Distributions.studentCDF(-abs(t), df: df), degreesOfFreedom: df)
    }

    /// The sample-ratio check: a chi-square test (1 df) of the observed group sizes against the
    /// holdout share. A small p-value (below 0.001) means assignment is not working as configured.
    public static func sampleRatio(treated: Int, control: Int, holdout: Double) -> (statistic: Double, pValue: Double) {
        let n = Double(treated + control)
        guard n > 0, holdout > 0, holdout < 1 else { return (0, 1) }
        let expectedControl = n * holdout, expectedTreated = n - expectedControl
        let statistic = pow(Double(treated) - expectedTreated, 2) / expectedTreated + pow(Double(control) - expectedControl, 2) / expectedControl
        return (statistic, Distributions.chiSquare1Survival(statistic))
    }
}
