/// Settings of ``Recommender``; the defaults were chosen on a validation split of Online Retail that ends
/// before the evaluation split starts (train before 2011-06-01, test to 2011-09-01).
public struct RecommenderConfiguration: Sendable, Hashable, Codable {
    /// The factor model (discovery, and one feature of the next-basket blend).
    public var als: ALSConfiguration
    /// Co-purchase neighbours kept per item.
    public var neighboursPerItem: Int
    /// Shrinkage of the co-purchase cosine.
    public var shrink: Float
    /// The horizon "next basket" looks ahead, in days; the blend learns from this many days before the end.
    public var horizonDays: Int
    /// Discovery candidates per customer in the next-basket blend.
    public var candidates: Int
    /// The window of "popular recently", in days.
    public var recentDays: Int

    /// Creates settings.
    public init(als: ALSConfiguration = ALSConfiguration(), neighboursPerItem: Int = 50, shrink: Float = 10,
                horizonDays: Int = 90, candidates: Int = 20, recentDays: Int = 30) {
        self.als = als
        self.neighboursPerItem = neighboursPerItem
        self.shrink = shrink
        self.horizonDays = horizonDays
        self.candidates = candidates
        self.recentDays = recentDays
    }
}
