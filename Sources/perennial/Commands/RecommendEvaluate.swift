import ArgumentParser
import Foundation
import PerennialCore
import PerennialRecommendations
import PerennialReports
import PerennialServer

extension Recommend {
    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score the recommender on a time split of the history (the fixed protocol that peers share).",
            discussion: """
            Trains on orders before --split-date and scores the top 10 against what each customer bought from \
            it: purchase lines with a customer id, positive quantity and price, product skus only; evaluated \
            customers = those in both periods; relevant = the distinct items bought after the split. Two tasks: \
            discover (items bought before the split never recommended) and next_basket (no exclusion). \
            Benchmarks/recommend/peer_implicit.py runs implicit 0.7.3 on the same split.
              perennial recommend evaluate --split-date 2011-09-01 --json
            """)

        @Option(help: ArgumentHelp("The first day of the test period (in the store's time zone).", valueName: "YYYY-MM-DD"))
        var splitDate: String

        @OptionGroup var model: RecommenderModelOptions
        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        struct Timing: Encodable {
            var train_seconds: Double
            var discover_all_seconds: Double
            var next_basket_all_seconds: Double
            var customers: Int
        }

        struct Output: Encodable {
            var split_date: String
            var evaluated_customers: Int
            var train_customers: Int
            var catalog_items: Int
            var train_cells: Int
            var discover: RankingMetrics
            var next_basket: RankingMetrics
            var discover_long_tail_share: Double
            var next_basket_long_tail_share: Double
            var timing: Timing
            var model: RecommenderSummary
        }

        func run() async throws {
            let store = try await database.open(create: false)
            let zone = try await store.setting("timezone") ?? "UTC"
            guard let calendar = StoreCalendar(identifier: zone) else { throw ValidationError("the store's time zone '\(zone)' is not known.") }
            guard let split = DayParsing.instant(splitDate, calendar: calendar) else {
                throw ValidationError("--split-date '\(splitDate)' is not a date such as 2011-09-01.")
            }
            Terminal.progress("reading purchases…")
            defer { Terminal.endProgress() }
            guard let trained = try await RecommenderSource.train(store: store, before: split, configuration: model.configuration) else {
                throw ValidationError("the database '\(database.shown)' holds no purchases. Import orders first: perennial import orders FILE --format online-retail")
            }
            Terminal.progress("evaluating…")
            let data = trained.model.data
            guard !data.customers.isEmpty else {
                throw ValidationError("no purchases before --split-date \(splitDate): choose a later day.")
            }
            let result = RecommendationEvaluation.run(trained.model, purchases: trained.purchases, split: split)
            guard result.evaluatedCustomers > 0 else {
                throw ValidationError("no customer bought both before and from --split-date \(splitDate): choose a day inside the history.")
            }
            // Recommending for every customer, as a peer's "recommend all" does.
            var scratch = [Float](repeating: 0, count: data.items.count)
            var seconds: [RecommendationTask: Double] = [:]
            for task in RecommendationTask.allCases {
                let started = DispatchTime.now().uptimeNanoseconds
                for c in 0..<data.customers.count { _ = trained.model.rankedItems(customer: c, k: 10, task: task, scratch: &scratch) }
                seconds[task] = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            }
            let output = Output(split_date: splitDate, evaluated_customers: result.evaluatedCustomers, train_customers: result.trainCustomers,
                                catalog_items: result.catalogItems, train_cells: result.trainCells, discover: result.discover,
                                next_basket: result.nextBasket, discover_long_tail_share: result.discoverLongTailShare,
                                next_basket_long_tail_share: result.nextBasketLongTailShare,
                                timing: Timing(train_seconds: trained.seconds, discover_all_seconds: seconds[.discover]!,
                                               next_basket_all_seconds: seconds[.nextBasket]!, customers: data.customers.count),
                                model: RecommenderSummary(trained.model, trainedAt: Int64(Date().timeIntervalSince1970)))
            if json {
                print(try ReportJSON.encode(output))
                return
            }
            print("split \(splitDate): \(Formatting.count(result.evaluatedCustomers)) evaluated customers; train \(Formatting.count(result.trainCustomers)) customers, \(Formatting.count(result.catalogItems)) items")
            var table = TextTable(["task", "P@10", "R@10", "NDCG@10", "hit@10", "coverage", "long tail"], leftColumns: [0])
            for (name, m, tail) in [("discover", result.discover, result.discoverLongTailShare), ("next_basket", result.nextBasket, result.nextBasketLongTailShare)] {
                table.add([name, Formatting.decimal(m.precision, places: 4), Formatting.decimal(m.recall, places: 4), Formatting.decimal(m.ndcg, places: 4),
                           Formatting.decimal(m.hitRate, places: 4), Formatting.decimal(m.coverage, places: 4), Formatting.decimal(tail, places: 4)])
            }
            print(table.render())
            print("train \(Formatting.decimal(trained.seconds, places: 3)) s; recommend all \(Formatting.count(data.customers.count)) customers: discover \(Formatting.decimal(seconds[.discover]!, places: 3)) s, next basket \(Formatting.decimal(seconds[.nextBasket]!, places: 3)) s")
        }
    }
}
