import ArgumentParser
import Foundation
import PerennialCore
import PerennialRecommendations

/// The model's settings on the command line (`recommend train`, `recommend evaluate`).
struct RecommenderModelOptions: ParsableArguments {
    @Option(help: "Latent factors of the ALS model (rounded up to a multiple of 8).")
    var factors = 48

    @Option(help: "ALS sweeps.")
    var iterations = 10

    @Option(help: "ALS L2 regularisation.")
    var regularization: Float = 0.01

    @Option(help: "How purchase counts become ALS confidences: log, bm25 or none.")
    var weighting: ConfidenceWeighting = .log

    @Option(help: "Threads for training.")
    var threads = 2

    @Option(help: "Seed of the initial factors (the same seed gives the same model).")
    var seed: UInt64 = 42

    @Option(help: "Days ahead a next-basket list looks; the blend learns from this many days before the end.")
    var horizonDays = 90

    func validate() throws {
        guard (1...1024).contains(factors) else { throw ValidationError("--factors must be from 1 to 1024 (got \(factors)).") }
        guard (1...200).contains(iterations) else { throw ValidationError("--iterations must be from 1 to 200 (got \(iterations)).") }
        guard regularization >= 0 else { throw ValidationError("--regularization must be 0 or more.") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be from 1 to 256.") }
        guard (7...730).contains(horizonDays) else { throw ValidationError("--horizon-days must be from 7 to 730 (got \(horizonDays)).") }
    }

    var configuration: RecommenderConfiguration {
        RecommenderConfiguration(als: ALSConfiguration(factors: factors, regularization: regularization, iterations: iterations,
                                                       weighting: weighting, seed: seed, threads: threads),
                                 horizonDays: horizonDays)
    }
}

extension ConfidenceWeighting: ExpressibleByArgument {}
extension RecommendationTask: ExpressibleByArgument {}

/// Business rules and diversity on the command line (`recommend CUSTOMER`, `recommend audit`).
struct RecommendRuleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Skus never to recommend, comma-separated.", valueName: "skus"))
    var exclude: String?

    @Option(help: ArgumentHelp("Skus out of stock now, comma-separated.", valueName: "skus"))
    var outOfStock: String?

    @Option(help: ArgumentHelp("Skus nobody buys twice, comma-separated: left out once bought.", valueName: "skus"))
    var nonReplenishable: String?

    @Option(help: "At most this many items of one product category per list (default: half the list).")
    var maxPerCategory: Int?

    @Option(help: ArgumentHelp("Diversify by maximal marginal relevance: 1 keeps the ranking, lower values trade relevance for variety (e.g. 0.7).", valueName: "lambda"))
    var mmr: Double?

    func validate() throws {
        if let maxPerCategory, maxPerCategory < 1 { throw ValidationError("--max-per-category must be at least 1.") }
        if let mmr, !(0...1).contains(mmr) { throw ValidationError("--mmr must be from 0 to 1 (got \(mmr)).") }
    }

    func rules(products: [Product]) -> RecommendationRules {
        func skus(_ text: String?) -> Set<String> {
            Set((text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        var rules = RecommendationRules()
        rules.excluded = skus(exclude)
        rules.outOfStock = skus(outOfStock)
        rules.nonReplenishable = skus(nonReplenishable)
        rules.maxPerCategory = maxPerCategory
        rules.mmrLambda = mmr
        for p in products { if let c = p.category, !c.isEmpty { rules.categories[p.sku] = c } }
        return rules
    }
}

