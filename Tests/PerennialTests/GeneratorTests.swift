import Foundation
import PerennialCore
import PerennialGenerator
import PerennialIngestion
import PerennialModels
import PerennialTestSupport
import Testing

@Suite struct GeneratorTests {
    static func generate(_ config: StoreGeneratorConfig) -> (text: [UInt8], summary: GeneratorSummary) {
        var bytes: [UInt8] = []
        let summary = StoreGenerator(config: config).generate { bytes.append(contentsOf: $0) }
        return (bytes, summary)
    }

    @Test("the same seed writes the same bytes; another seed writes others")
    func deterministic() {
        let a = Self.generate(StoreGeneratorConfig(customers: 300, seed: 7))
        let b = Self.generate(StoreGeneratorConfig(customers: 300, seed: 7))
        let c = Self.generate(StoreGeneratorConfig(customers: 300, seed: 8))
        #expect(a.text == b.text)
        #expect(a.text != c.text)
        #expect(a.summary.customers == 300)
    }

    @Test("xoshiro256** moments: uniform mean 1/2, Gamma(k, θ) mean kθ and variance kθ², Beta(a, b) mean a/(a+b)")
    func distributions() {
        var random = SeededRandom(seed: 42)
        let n = 200_000
        var sum = 0.0, gammaSum = 0.0, gammaSquares = 0.0, betaSum = 0.0, smallGamma = 0.0
        for _ in 0..<n {
            sum += random.uniform()
            let g = random.gamma(shape: 3, scale: 2)
            gammaSum += g
            gammaSquares += g * g
            betaSum += random.beta(0.6, 3)
            smallGamma += random.gamma(shape: 0.8, scale: 1.0 / 25)
        }
        let mean = gammaSum / Double(n)
        #expect(abs(sum / Double(n) - 0.5) < 0.005)
        #expect(abs(mean - 6) < 0.05)
        #expect(abs(gammaSquares / Double(n) - mean * mean - 12) < 0.3)
        #expect(abs(betaSum / Double(n) - 0.6 / 3.6) < 0.003)
        #expect(abs(smallGamma / Double(n) - 0.032) < 0.0005)
    }

    @Test("a generated store imports with no rejects and has every channel, guests and cancellations")
    func importable() throws {
        let directory = try TemporaryDirectory()
        let (text, summary) = Self.generate(StoreGeneratorConfig(customers: 2_000, seed: 3))
        let path = try directory.write("store.csv", bytes: text)
        let reader = try OrderFileReader(path: path, options: ImportOptions(format: .generic, quarantinePath: directory.path("q.csv")))
        var channels: Set<String> = []
        var categories: Set<String> = []
        let read = try reader.read { line in
            if let channel = line.channel { channels.insert(channel) }
            if let category = line.category { categories.insert(category) }
        }
        #expect(read.rowsRejected == 0)
        #expect(read.rowsRead == summary.lines)
        #expect(channels == ["app", "mini-program", "web", "store"])
        #expect(categories.count == 12)
        #expect(summary.guestOrders > 0 && summary.cancellations > 0)
        #expect(read.cancellationRows == summary.cancellations)
        #expect(read.currency == "CNY")
        // Every customer bought at least once; the order count per customer is heterogeneous.
        let table = try OrderFileReader(path: path, options: ImportOptions(format: .generic, details: false, quarantinePath: "/dev/null")).readTable().table
        let report = LifecycleAnalysis.run(table)
        #expect(report.kpis.customers <= 2_000 && report.kpis.customers > 1_900)
        #expect(report.kpis.repurchaseRate > 0.3 && report.kpis.repurchaseRate < 0.9)
        #expect(Set(report.profiles.map(\.stage)).isSuperset(of: [.new, .active, .churned]))
    }
}

@Suite struct GeneratorRecoveryTests {
    @Test("a BG/NBD fit on a generated store recovers the generator's r 0.8, α 70 days = 10 weeks, a 0.6, b 3")
    func recovery() throws {
        let directory = try TemporaryDirectory()
        var config = StoreGeneratorConfig(customers: 30_000, seed: 11)
        config.guestShare = 0            // guest checkouts would hide purchases from their customers
        config.cancellationShare = 0
        // Slower buyers than the default store, so that two purchases rarely share a day (the summary
        // counts purchase days, as lifetimes does).
        config.rateScaleDays = 70
        let (text, _) = GeneratorTests.generate(config)
        let path = try directory.write("store.csv", bytes: text)
        let table = try OrderFileReader(path: path, options: ImportOptions(format: .generic, details: false, quarantinePath: "/dev/null")).readTable().table
        let end = CivilDate(dayNumber: config.start.dayNumber + config.days - 1)
        // Purchase days in the store's zone (UTC+8), as the generator places them.
        let summary = CalibrationSummary(table: table, calibrationEnd: end, calendar: StoreCalendar(identifier: "Asia/Shanghai")!)
        let fit = BGNBD.fit(summary.histories)
        print(fit)
        let truth = [0.8, 10, 0.6, 3.0]
        let errors = try #require(fit.standardErrors)
        for i in 0..<4 {
            #expect(abs(fit.parameters[i] - truth[i]) < 3 * errors[i], "\(fit.parameterNames[i]): \(fit.parameters[i]) ± \(errors[i]) vs \(truth[i])")
        }
    }
}
