import ArgumentParser
import Foundation
import PerennialRecommendations
import PerennialReports
import PerennialServer

extension Recommend {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit what the recommendations expose: coverage, concentration, long tail and popularity bias, by stage.",
            discussion: """
            Builds every customer's list with the stored model (or one trained now) and the same rules as \
            perennial recommend, then reports: catalog coverage (items shown to anyone / catalog), the Gini \
            coefficient of item exposure (0 equal, 1 one item), the long-tail share (slots with items outside \
            the best sellers that make 80% of purchases), popularity bias (mean buyers of a shown item / of a \
            bought one; above 1 leans popular), and category concentration (mean share of a list's top \
            category, when products have categories) — overall and by lifecycle stage.
            """)

        @Option(help: "Items per list.")
        var k = 10

        @Option(help: "next_basket or discover.")
        var task: RecommendationTask = .nextBasket

        @OptionGroup var rules: RecommendRuleOptions
        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard (1...100).contains(k) else { throw ValidationError("--k must be from 1 to 100 (got \(k)).") }
        }

        func run() async throws {
            let store = try await database.open(create: false)
            guard let loaded = try await RecommenderSource.load(store: store) else {
                throw ValidationError("the database '\(database.shown)' holds no purchases. Import orders first: perennial import orders FILE --format online-retail")
            }
            let products = try await store.products()
            let ruleSet = rules.rules(products: products)
            let model = loaded.model
            var lists: [String: [String]] = [:]
            for (index, customer) in model.data.customers.enumerated() {
                if index % 500 == 0 { Terminal.progress("building lists: \(Formatting.count(index)) of \(Formatting.count(model.data.customers.count))") }
                lists[customer] = model.recommend(customer: customer, k: k, task: task, rules: ruleSet).map(\.sku)
            }
            Terminal.endProgress()
            let stages = try await CustomerGroups.stages(store: store)
            let audit = ExposureAudit.run(lists: lists, data: model.data, categories: ruleSet.categories, segmentOf: stages)
            if json {
                struct Output: Encodable { var task: String; var k: Int; var model_as_of: String; var audit: ExposureAudit }
                print(try ReportJSON.encode(Output(task: task.rawValue, k: k, model_as_of: Formatting.iso(model.data.asOf), audit: audit)))
                return
            }
            print("exposure audit of \(Formatting.count(lists.count)) \(task.rawValue) lists of \(k) (model as of \(Formatting.iso(model.data.asOf)))")
            var table = TextTable(["segment", "lists", "coverage", "Gini", "long tail", "popularity bias", "top category share"], leftColumns: [0])
            func add(_ name: String, _ f: ExposureFigures) {
                table.add([name, Formatting.count(f.lists), Formatting.percent(f.coverage), Formatting.decimal(f.gini, places: 3),
                           Formatting.percent(f.longTailShare), Formatting.decimal(f.popularityBias, places: 2),
                           f.categoryConcentration.map { Formatting.percent($0) } ?? "-"])
            }
            add("all", audit.overall)
            for name in audit.segments.keys.sorted() { add(name, audit.segments[name]!) }
            print(table.render())
            if audit.overall.categoryConcentration == nil { print("note: no product has a category, so category concentration is not measured") }
        }
    }
}
