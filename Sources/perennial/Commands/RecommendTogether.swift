import ArgumentParser
import PerennialReports
import PerennialServer

extension Recommend {
    struct Together: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Customers who bought this also bought: a product's co-purchase neighbours.",
            discussion: """
            Neighbours by cosine with shrinkage, cosine = both / (√(buyers₁ × buyers₂) + 10), with the lift \
            (above 1: bought together more often than chance) and the number of customers who bought both.
            """)

        @Argument(help: ArgumentHelp("The product's sku.", valueName: "sku"))
        var sku: String

        @Option(help: "How many neighbours.")
        var k = 10

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let store = try await database.open(create: false)
            guard let loaded = try await RecommenderSource.load(store: store) else {
                throw ValidationError("the database '\(database.shown)' holds no purchases. Import orders first.")
            }
            guard loaded.model.data.itemIndex[sku] != nil else {
                throw ValidationError("no purchases of sku '\(sku)' in the model (skus are case-sensitive; perennial recommend CUSTOMER lists some).")
            }
            let names = Dictionary(try await store.products().map { ($0.sku, $0.description) }, uniquingKeysWith: { a, _ in a })
            let neighbours = loaded.model.boughtTogether(sku, k: k)
            if json {
                struct Row: Encodable { var sku: String; var name: String?; var customers_both: Int; var cosine: Double; var lift: Double }
                print(try ReportJSON.encode(neighbours.map { Row(sku: $0.sku, name: names[$0.sku], customers_both: $0.together, cosine: $0.cosine, lift: $0.lift) }))
                return
            }
            print("bought together with \(sku)\(names[sku].map { " (\($0))" } ?? ""):")
            var table = TextTable(["sku", "name", "customers", "cosine", "lift"], leftColumns: [0, 1])
            for n in neighbours {
                table.add([n.sku, String((names[n.sku] ?? "").prefix(34)), Formatting.count(n.together), Formatting.decimal(n.cosine, places: 3),
                           Formatting.decimal(n.lift, places: 1)])
            }
            print(table.render())
        }
    }
}
