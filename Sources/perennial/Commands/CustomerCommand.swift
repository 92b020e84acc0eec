import ArgumentParser
import PerennialCore
import PerennialReports

struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "One customer's profile (summary, RFM, segment, stage) with their order history.")

    @Argument(help: ArgumentHelp("The customer id, e.g. 17850.", valueName: "id"))
    var id: String

    @OptionGroup var analysis: AnalysisFlags
    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print JSON: the profile (as in `customers --json`) plus `orders` with their lines.")
    var json = false

    struct OrderJSON: Encodable {
        var order_id: String
        var placed_at: String
        var kind: String
        var channel: String?
        var amount: Double
        var lines: [LineJSON]
    }

    struct LineJSON: Encodable {
        var sku: String
        var description: String
        var quantity: Int64
        var unit_price: Double
        var amount: Double
    }

    struct ProfileJSON: Encodable {
        var profile: ReportJSON.Customer
        var orders: [OrderJSON]
    }

    func run() async throws {
        let store = try await database.open(create: false)
        guard try await store.customerExists(id) else {
            throw ValidationError("no customer '\(id)' in \(database.shown). List customers with: perennial customers")
        }
        guard let table = try await store.loadTransactions() else { throw ValidationError("the database holds no orders yet.") }
        let timeZone = try await store.setting("timezone")
        let predictions = try await ModelLoader.predictions(database: database, table: table, storeTimeZone: timeZone)
        var options = try analysis.options(storeTimeZone: timeZone)
        options.probabilityAlive = predictions?.aliveForStages
        let report = LifecycleAnalysis.run(table, options: options)
        let orders = try await store.orders(ofCustomer: id)
        let currency = report.currency
        guard let profile = report.profiles.first(where: { $0.customerID == id }) else {
            throw ValidationError("customer '\(id)' has no orders before \(Formatting.iso(report.asOf)); try a later --as-of.")
        }
        let prediction = predictions?.byCustomer[id]
        if json {
            let history = orders.map { order in
                OrderJSON(order_id: order.id, placed_at: Formatting.iso(order.placedAt), kind: order.kind.name, channel: order.channel?.rawValue,
                          amount: ReportJSON.major(order.amountMinor, currency),
                          lines: order.lines.map { LineJSON(sku: $0.sku, description: $0.description, quantity: $0.quantity,
                                                            unit_price: Double($0.unitPriceMillis) / 1000,
                                                            amount: ReportJSON.major($0.amountMinor, currency)) })
            }
            var object = ReportJSON.customer(profile, currency)
            object.fill(prediction)
            print(try ReportJSON.encode(ProfileJSON(profile: object, orders: history)))
            return
        }
        let calendar = StoreCalendar(identifier: report.timeZone) ?? .utc
        var out = "Customer \(id) as of \(Formatting.local(report.asOf, calendar)) \(report.timeZone)\n"
        out += "  stage            \(profile.stage.rawValue)\n"
        if let s = profile.summary, let rfm = profile.rfm {
            out += "  RFM              R\(rfm.r) F\(rfm.f) M\(rfm.m) — \(profile.segment?.name ?? "")\n"
            out += "  orders           \(s.orders), first \(Formatting.local(s.firstOrder, calendar)), last \(Formatting.local(s.lastOrder, calendar))\n"
            out += "  revenue          \(Formatting.money(profile.revenueMinor, currency)) \(currency.code) (average order \(Formatting.money(s.averageOrderValueMinor, currency)))\n"
            out += "  recency          \(s.recencyDays) days; tenure \(s.tenureDays) days\n"
            if let mean = s.meanDaysBetweenOrders, let median = s.medianDaysBetweenOrders {
                out += "  between orders   mean \(Formatting.decimal(mean)) days, median \(Formatting.decimal(median)) days\n"
            }
            out += "  orders a month   \(Formatting.decimal(s.ordersPerMonth, places: 2)) (last 12 months of tenure)\n"
            if let prediction {
                out += "  P(alive)         \(Formatting.percent(prediction.alive)) (churn risk \(Formatting.percent(1 - prediction.alive)))\n"
                out += "  next 90 days     \(Formatting.decimal(prediction.purchases, places: 2)) expected purchases"
                out += prediction.spend.map { " at \(Formatting.decimal($0, places: 2)) each" } ?? ""
                out += prediction.clv.map { "; 12-month CLV \(Formatting.decimal($0, places: 2))" } ?? ""
                out += "\n"
            }
        } else {
            out += "  no purchase order yet (net \(Formatting.money(profile.revenueMinor, currency)) from cancellations or adjustments)\n"
        }
        out += "\nOrder history (\(orders.count) orders)\n"
        var history = TextTable(["placed", "order", "kind", "lines", "amount", "channel"], leftColumns: [0, 1, 2, 5])
        for order in orders {
            history.add([Formatting.local(order.placedAt, calendar), order.id, order.kind.name, String(order.lines.count),
                       Formatting.money(order.amountMinor, currency), order.channel?.rawValue ?? ""])
        }
        print(out + history.render())
    }
}
