import ArgumentParser
import Foundation
import PerennialCore
import PerennialRecommendations
import PerennialReports
import PerennialServer
import PerennialStorage

struct Recommend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recommend products: what each customer will buy again and what they may discover.",
        discussion: """
        perennial recommend CUSTOMER ranks items for one customer. Each item is labelled rebuy (bought before, \
        ranked by the customer's own cadence) or discover (new to them), with the reason: "you buy this about \
        every 30 days", "bought together with …", "popular in your segment". A customer with no purchases gets \
        the cold-start list: what was popular in the last 30 days.

        The model is the one perennial recommend train stored; without one, a model is trained on the fly \
        (1–2 seconds for the 400,000 purchase lines of Online Retail). Models: implicit ALS (Hu, Koren & Volinsky 2008, conjugate \
        gradient), co-purchase cosine with shrinkage, buy-again by cadence, and a next-basket blend of them \
        learnt from the store's own last 90 days. No margin boosting is applied.
          perennial recommend 12347
          perennial recommend 12347 --task discover --k 5 --json
          perennial recommend train
          perennial recommend together 85123A
          perennial recommend evaluate --split-date 2011-09-01 --json
          perennial recommend audit
        """,
        subcommands: [ForCustomer.self, Train.self, Together.self, Evaluate.self, Audit.self],
        defaultSubcommand: ForCustomer.self)
}

extension Recommend {
    struct ForCustomer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "for",
            abstract: "Recommend items to one customer (the default: perennial recommend CUSTOMER).")

        @Argument(help: ArgumentHelp("The customer's id.", valueName: "customer"))
        var customer: String

        @Option(help: "How many items.")
        var k = 10

        @Option(help: "next_basket (rebuy and discover together) or discover (new items only).")
        var task: RecommendationTask = .nextBasket

        @Option(help: ArgumentHelp("For a customer with no purchases: the group whose popular items to show, e.g. stage:new, channel:app, country:France.", valueName: "group"))
        var segment: String?

        @OptionGroup var rules: RecommendRuleOptions
        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard (1...1000).contains(k) else { throw ValidationError("--k must be from 1 to 1000 (got \(k)).") }
        }

        func run() async throws {
            let store = try await database.open(create: false)
            guard let loaded = try await RecommenderSource.load(store: store) else {
                throw ValidationError("the database '\(database.shown)' holds no purchases to recommend from. Import orders first: perennial import orders FILE --format online-retail|cdnow|generic")
            }
            if !loaded.stored { Terminal.note("no stored model: trained one now (perennial recommend train keeps one)") }
            let personal = loaded.model.data.customerIndex[customer] != nil
            let known = personal ? true : try await store.customerExists(customer)
            if !known {
                throw ValidationError("no customer '\(customer)' in '\(database.shown)'. List customers with: perennial customers")
            }
            let products = try await store.products()
            let ruleSet = rules.rules(products: products)
            var coldStart: PopularityTable?
            if !personal, segment != nil {
                coldStart = PopularityTable(loaded.model.data, recentDays: loaded.model.configuration.recentDays,
                                            groupsOf: try await CustomerGroups.load(store: store))
            }
            let list = loaded.model.recommend(customer: customer, k: k, task: task, rules: ruleSet, coldStart: coldStart, group: segment)
            let names = Dictionary(products.map { ($0.sku, $0.description) }, uniquingKeysWith: { a, _ in a })
            let output = RecommendationListJSON(customer: customer, task: task, personal: personal, loaded: loaded, rules: ruleSet,
                                                list: list, names: names)
            if json {
                print(try ReportJSON.encode(output))
                return
            }
            print("\(customer): \(personal ? "personal" : "cold start (no purchases)"), \(task.rawValue), model as of \(output.model_as_of)")
            var table = TextTable(["#", "sku", "name", "score", "label", "why"], leftColumns: [1, 2, 4, 5])
            for item in output.items {
                table.add(["\(item.rank)", item.sku, String((item.name ?? "").prefix(34)), Formatting.decimal(item.score, places: 3),
                           item.label, item.reason_text])
            }
            print(table.render())
            if let disclosure = output.disclosure { print("note: \(disclosure)") }
        }
    }
}

/// Each customer's groups for cold start and the audit: lifecycle stage, acquisition channel, country.
enum CustomerGroups {
    static func load(store: any PerennialStore) async throws -> [String: [String]] {
        var groups: [String: [String]] = [:]
        for (customer, stage) in try await stages(store: store) { groups[customer, default: []].append("stage:\(stage)") }
        for (customer, channel) in try await store.acquisitionChannels() { groups[customer, default: []].append("channel:\(channel)") }
        return groups
    }

    /// Each customer's lifecycle stage as of the history's end, by the default rules.
    static func stages(store: any PerennialStore) async throws -> [String: String] {
        guard let table = try await store.loadTransactions() else { return [:] }
        let zone = try await store.setting("timezone") ?? "UTC"
        let report = LifecycleAnalysis.run(table, options: AnalysisOptions(calendar: StoreCalendar(identifier: zone) ?? .utc))
        return Dictionary(report.profiles.map { ($0.customerID, $0.stage.rawValue) }, uniquingKeysWith: { a, _ in a })
    }
}
