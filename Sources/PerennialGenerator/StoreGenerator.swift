import PerennialCore

/// Settings of a synthetic store.
public struct StoreGeneratorConfig: Sendable {
    /// Customers who buy at least once.
    public var customers: Int
    /// The random seed: the same seed and settings give the same bytes.
    public var seed: UInt64
    /// The first day of trading.
    public var start: CivilDate
    /// Days of trading.
    public var days: Int
    /// The currency of prices.
    public var currency: Currency
    /// Products in the catalog.
    public var products: Int
    /// Share of orders placed as a guest (no customer id).
    public var guestShare: Double
    /// Share of orders later cancelled (in part).
    public var cancellationShare: Double
    /// The store's UTC offset in hours; orders happen in local daytime and are written in UTC.
    public var utcOffsetHours: Int
    /// BG/NBD purchase rates are Gamma(r, 1/α): this is r (0.8 by default)…
    public var rateShape = 0.8
    /// …and this α, in days (25 by default).
    public var rateScaleDays = 25.0
    /// BG/NBD dropout probabilities are Beta(a, b): this is a (0.6 by default)…
    public var dropoutA = 0.6
    /// …and this b (3 by default).
    public var dropoutB = 3.0
    /// Share of customers who are seasonal instead: they buy once a year, around the anniversary of
    /// their first purchase (± a week), and stop with probability 0.1 after each purchase (0 by default).
    public var seasonalShare = 0.0

    /// A store of `customers` customers over two years from 2024-01-01, priced in CNY.
    public init(customers: Int, seed: UInt64 = 7, start: CivilDate = CivilDate(year: 2024, month: 1, day: 1), days: Int = 730,
                currency: Currency = Currency("CNY"), products: Int = 400, guestShare: Double = 0.04,
                cancellationShare: Double = 0.03, utcOffsetHours: Int = 8) {
        self.customers = customers
        self.seed = seed
        self.start = start
        self.days = days
        self.currency = currency
        self.products = products
        self.guestShare = guestShare
        self.cancellationShare = cancellationShare
        self.utcOffsetHours = utcOffsetHours
    }
}

/// What a generation wrote.
public struct GeneratorSummary: Sendable, Codable {
    /// Customers written.
    public var customers = 0
    /// Purchase orders written (guests included).
    public var orders = 0
    /// CSV rows written.
    public var lines = 0
    /// Purchase orders without a customer id.
    public var guestOrders = 0
    /// Cancellation orders written.
    public var cancellations = 0
}

/// Writes a realistic synthetic store as CSV in the generic import format.
///
/// Customers arrive over the period (more of them later, as a growing store does). Each buys as in the
/// BG/NBD story (Fader, Hardie & Lee 2005): while alive, purchases follow a Poisson process whose rate is
/// Gamma(r 0.8, α 25 days) across customers, and after each repeat purchase the customer drops out with
/// a probability p that is Beta(a 0.6, b 3) across customers — so a BG/NBD fit in weeks should find
/// r ≈ 0.8, α ≈ 3.57, a ≈ 0.6, b ≈ 3 (purchases on one day merge into one purchase day, a small bias). Order values are Gamma-distributed around each
/// customer's own mean, itself Gamma across customers (the Gamma-Gamma spend model). Baskets are filled
/// from a catalog of products in 12 categories with Zipf-like popularity. Customers prefer one channel
/// (app, mini-program, web, store). Some orders are guest checkouts; some are cancelled a few days later.
/// Optionally a share of customers are seasonal: one purchase a year around the same date.
/// Rows come customer by customer.
///
/// - Complexity: O(lines); memory is one customer's orders and the output chunk.
public struct StoreGenerator {
    /// The store's settings.
    public let config: StoreGeneratorConfig
    /// The CSV header the generic importer reads without a mapping.
    public static let header = "order_id,customer_id,timestamp,sku,description,category,quantity,unit_price,currency,channel,country,kind\n"

    private struct CatalogItem: CatalogLike {
        var sku: String
        var name: String
        var category: String
        var priceMillis: Int64
    }

    private static let categories = ["Apparel", "Beauty", "Home", "Kitchen", "Snacks", "Drinks", "Baby", "Pets",
                                     "Electronics", "Sports", "Books", "Toys"]
    private static let adjectives = ["Classic", "Organic", "Smart", "Mini", "Deluxe", "Everyday", "Travel", "Premium", "Eco", "Family"]
    private static let channels = ["app", "mini-program", "web", "store"]
    private static let channelWeights = [0.40, 0.25, 0.25, 0.10]
    private static let countries = ["CN", "CN", "CN", "CN", "CN", "CN", "CN", "CN", "HK", "SG"]

    /// A generator for a configuration.
    public init(config: StoreGeneratorConfig) { self.config = config }

    /// Generates the store, passing CSV text in chunks of about 1 MiB to `write`.
    public func generate(_ write: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows -> GeneratorSummary {
        var random = SeededRandom(seed: config.seed)
        let catalog = makeCatalog(&random)
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 0..<catalog.count {
            total += 1 / pow(Double(rank + 1), 1.05)
            cumulative.append(total)
        }
        var out = CSVBytes()
        out.append(Self.header)
        var summary = GeneratorSummary()
        let startSecond = Int64(config.start.dayNumber) * 86_400 - Int64(config.utcOffsetHours) * 3600
        let horizon = Double(config.days)
        var orderNumber = 0
        var returnNumber = 0
        for c in 0..<config.customers {
            let customerID = String(100_000 + c)
            let acquired = horizon * random.uniform().squareRoot()
            let rate = random.gamma(shape: config.rateShape, scale: 1.0 / config.rateScaleDays)
            let dropout = random.beta(config.dropoutA, config.dropoutB)
            let seasonal = config.seasonalShare > 0 && random.uniform() < config.seasonalShare
            let meanSpend = random.gamma(shape: 3, scale: 180.0 / 3)
            let channel = pick(Self.channelWeights, &random)
            let country = Self.countries[Int(random.next() % UInt64(Self.countries.count))]
            summary.customers += 1
            var day = acquired
            var anniversary = acquired
            while day < horizon {
                orderNumber += 1
                let orderID = "O" + String(orderNumber)
                let guest = random.uniform() < config.guestShare
                let placed = startSecond + Int64(day) * 86_400 + localTimeOfDay(&random)
                let orderChannel = random.uniform() < 0.8 ? channel : Int(random.next() % 4)
                let target = random.gamma(shape: 5, scale: meanSpend / 5)
                var value = 0.0
                var firstLine: (item: CatalogItem, quantity: Int)?
                var lineCount = 0
                while lineCount == 0 || (value < target && lineCount < 12) {
                    let item = catalog[sample(cumulative, total, &random)]
                    let quantity = random.uniform() < 0.2 ? 2 : 1
                    value += Double(item.priceMillis) / 1000 * Double(quantity)
                    lineCount += 1
                    if firstLine == nil { firstLine = (item, quantity) }
                    out.row(orderID, guest ? "" : customerID, placed, item, quantity, config.currency.code,
                            Self.channels[orderChannel], country, "purchase")
                    summary.lines += 1
                    if out.count > 1 << 20 { try out.flush(write) }
                }
                summary.orders += 1
                if guest { summary.guestOrders += 1 }
                if random.uniform() < config.cancellationShare, let (item, quantity) = firstLine {
                    let returned = placed + Int64(1 + random.next() % 5) * 86_400
                    if returned < startSecond + Int64(config.days) * 86_400 {
                        returnNumber += 1
                        out.row("R" + String(returnNumber), guest ? "" : customerID, returned, item, -quantity,
                                config.currency.code, Self.channels[orderChannel], country, "cancellation")
                        summary.lines += 1
                        summary.cancellations += 1
                    }
                }
                if seasonal {
                    // Once a year, a week either side of the anniversary; stops with probability 0.1.
                    if random.uniform() < 0.1 { break }
                    anniversary += 365
                    day = max(day + 1, anniversary + 7 * random.normal())
                    continue
                }
                // BG/NBD: after each repeat purchase the customer drops out with probability p; otherwise
                // the next purchase comes after an exponential wait (days, fractional).
                if day > acquired && random.uniform() < dropout { break }
                day += random.exponential(rate: rate)
            }
        }
        try out.flush(write)
        return summary
    }

    private func makeCatalog(_ random: inout SeededRandom) -> [CatalogItem] {
        (0..<config.products).map { i in
            let category = Self.categories[Int(random.next() % UInt64(Self.categories.count))]
            let adjective = Self.adjectives[Int(random.next() % UInt64(Self.adjectives.count))]
            let price = exp(log(49.0) + 0.8 * random.normal())
            // Prices end in .90, as shops price them.
            let millis = Int64(max(1, price.rounded(.down))) * 1000 + 900
            return CatalogItem(sku: "SKU" + String(10_000 + i), name: "\(adjective) \(category.lowercased()) item \(i + 1)",
                               category: category, priceMillis: millis)
        }
    }

    /// Seconds after local midnight, busiest in the evening.
    private func localTimeOfDay(_ random: inout SeededRandom) -> Int64 {
        var hour = (20 + 3.5 * random.normal()).rounded(.down)
        if hour < 7 || hour > 23 { hour = 7 + Double(random.next() % 17) }
        return Int64(hour) * 3600 + Int64(random.next() % 3600)
    }

    private func pick(_ weights: [Double], _ random: inout SeededRandom) -> Int {
        var u = random.uniform()
        for (i, weight) in weights.enumerated() {
            if u < weight { return i }
            u -= weight
        }
        return weights.count - 1
    }

    private func sample(_ cumulative: [Double], _ total: Double, _ random: inout SeededRandom) -> Int {
        let target = random.uniform() * total
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] <= target { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
