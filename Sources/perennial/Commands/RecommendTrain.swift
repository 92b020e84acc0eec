import ArgumentParser
import Foundation
import PerennialReports
import PerennialServer

extension Recommend {
    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the recommender on the whole history and store it (perennial recommend and the API read it).",
            discussion: """
            Trains implicit ALS, the co-purchase neighbours, item statistics and the next-basket blend (learnt \
            from the last --horizon-days of the history), then keeps the model in the database, replacing the \
            previous one. Run it after each import; the server picks a new model up within 5 minutes.
            """)

        @OptionGroup var model: RecommenderModelOptions
        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let store = try await database.open(create: false)
            Terminal.progress("training the recommender…")
            guard let (summary, seconds) = try await RecommenderSource.trainAndStore(store: store, configuration: model.configuration) else {
                Terminal.endProgress()
                throw ValidationError("the database '\(database.shown)' holds no purchases to train on. Import orders first: perennial import orders FILE --format online-retail|cdnow|generic")
            }
            Terminal.endProgress()
            if json {
                struct Output: Encodable { var model: RecommenderSummary; var train_seconds: Double }
                print(try ReportJSON.encode(Output(model: summary, train_seconds: seconds)))
                return
            }
            print("""
                trained in \(Formatting.decimal(seconds, places: 2)) s and stored in \(database.shown)
                  as of \(summary.as_of): \(Formatting.count(summary.customers)) customers, \(Formatting.count(summary.items)) items, \
                \(Formatting.count(summary.cells)) customer-item pairs
                  ALS: \(summary.factors) factors, \(summary.iterations) sweeps, \(summary.weighting) weighting; \
                \(summary.neighbours_per_item) co-purchase neighbours per item
                  next-basket blend: \(summary.blend_rows > 0 ? "learnt from \(Formatting.count(summary.blend_rows)) candidate rows over the last \(summary.horizon_days) days" : "the default blend (the history is too short to learn one)")
                """)
        }
    }
}
