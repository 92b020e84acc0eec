import Foundation
import PerennialCore
import PerennialGenerator
import PerennialIngestion
import PerennialModels
import PerennialTestSupport
import Testing

/// Compares with lifetimes 0.11.3 (`Benchmarks/models/reference_values.py` wrote
/// `reference_values.json` from the same CDNOW log, unrounded, and the donations data).
@Suite struct LifetimesReferenceTests {
    nonisolated(unsafe) static let reference: [String: Any] = {
        let url = SharedDatasets.packageRoot.appendingPathComponent("Benchmarks/models/reference_values.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    static func value(_ path: String) -> Double {
        var node: Any = reference
        for key in path.split(separator: "/") { node = (node as! [String: Any])[String(key)]! }
        return node as! Double
    }

    static func parameters(_ path: String, _ names: [String]) -> [Double] { names.map { value("\(path)/\($0)") } }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-8) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    @Test("BG/NBD predictions at lifetimes' estimates: P(alive), E[X(39)], new-customer E[X(39)], P(X(39) = n)")
    func bgnbd() {
        let p = BGNBD.Parameters(Self.parameters("bgnbd/unrounded/params", ["r", "alpha", "a", "b"]))
        let base = "bgnbd/unrounded/predictions/"
        #expect(Self.close(BGNBD.probabilityAlive(p, x: 2, tx: 30.43, T: 38.86), Self.value(base + "p_alive_x2_tx30.43_T38.86")))
        #expect(Self.close(BGNBD.expectedPurchases(p, t: 39, x: 2, tx: 30.43, T: 38.86), Self.value(base + "conditional_expected_purchases_39w_x2_tx30.43_T38.86")))
        #expect(Self.close(BGNBD.expectedPurchasesNewCustomer(p, t: 39), Self.value(base + "expected_purchases_new_customer_39w")))
        for n in 0...3 {
            #expect(Self.close(BGNBD.probabilityOfPurchases(p, n: n, t: 39), Self.value(base + "p_x_t39_n/\(n)")))
        }
    }

    @Test("MBG/NBD fitted on the CDNOW log equals lifetimes' optimum, and its predictions agree")
    func mbgnbd() {
        let fit = MBGNBD.fit(CDNOWLogTests.summary.histories)
        let expected = Self.parameters("mbgnbd/unrounded/independent_refit/params", ["r", "alpha", "a", "b"])
        for (ours, theirs) in zip(fit.parameters, expected) { #expect(Self.close(ours, theirs, 1e-5), "\(ours) vs \(theirs)") }
        #expect(Self.close(fit.logLikelihood, Self.value("mbgnbd/unrounded/log_likelihood"), 1e-9))
        let p = MBGNBD.Parameters(Self.parameters("mbgnbd/unrounded/params", ["r", "alpha", "a", "b"]))
        let base = "mbgnbd/unrounded/predictions/"
        #expect(Self.close(MBGNBD.probabilityAlive(p, x: 2, tx: 30.43, T: 38.86), Self.value(base + "p_alive_x2_tx30.43_T38.86")))
        #expect(Self.close(MBGNBD.expectedPurchases(p, t: 39, x: 2, tx: 30.43, T: 38.86), Self.value(base + "conditional_expected_purchases_39w_x2_tx30.43_T38.86")))
        #expect(Self.close(MBGNBD.expectedPurchasesNewCustomer(p, t: 39), Self.value(base + "expected_purchases_new_customer_39w")))
    }

    @Test("Pareto/NBD: the fit equals the precise re-fit of lifetimes' optimum; P(alive) and E[X(39)] agree")
    func paretoNBD() {
        let fit = ParetoNBD.fit(CDNOWLogTests.summary.histories)
        let expected = Self.parameters("pnbd/unrounded/independent_refit/params", ["r", "alpha", "s", "beta"])
        for (ours, theirs) in zip(fit.parameters, expected) { #expect(Self.close(ours, theirs, 1e-4), "\(ours) vs \(theirs)") }
        let p = ParetoNBD.Parameters(Self.parameters("pnbd/unrounded/params", ["r", "alpha", "s", "beta"]))
        let base = "pnbd/unrounded/predictions/"
        #expect(Self.close(ParetoNBD.probabilityAlive(p, x: 2, tx: 30.43, T: 38.86), Self.value(base + "p_alive_x2_tx30.43_T38.86"), 1e-7))
        #expect(Self.close(ParetoNBD.expectedPurchases(p, t: 39, x: 2, tx: 30.43, T: 38.86), Self.value(base + "conditional_expected_purchases_39w_x2_tx30.43_T38.86"), 1e-7))
    }

    @Test("Gamma-Gamma and BG/BB predictions at lifetimes' estimates")
    func spendAndDiscrete() {
        let gg = GammaGamma.Parameters(Self.parameters("gamma_gamma/params", ["p", "q", "gamma"]))
        #expect(Self.close(GammaGamma.expectedAverageSpend(gg, x: 2, averageSpend: 30), Self.value("gamma_gamma/conditional_expected_average_profit_x2_m30")))
        let bb = BGBB.Parameters(Self.parameters("bgbb/params", ["alpha", "beta", "gamma", "delta"]))
        // lifetimes adds 1e-15 inside its likelihood sum, hence the looser tolerance.
        #expect(Self.close(BGBB.probabilityAlive(bb, x: 3, tx: 4, n: 6), Self.value("bgbb/predictions_x3_tx4_n6/p_alive_at_n_plus_1_m1"), 1e-7))
        #expect(Self.close(BGBB.expectedPurchases(bb, future: 5, x: 3, tx: 4, n: 6), Self.value("bgbb/predictions_x3_tx4_n6/expected_transactions_next_5_periods"), 1e-7))
    }
}

@Suite struct HoldoutTests {
    static let table: TransactionTable = {
        let reader = try! OrderFileReader(path: Fixtures.path("CDNOW_sample.txt"), options: ImportOptions(format: .cdnow, quarantinePath: "/dev/null"))
        return try! reader.readTable().table
    }()

    @Test("39 + 39 weeks on CDNOW: holdout totals, MAE, RMSE and bias equal lifetimes' for BG/NBD and Pareto/NBD",
          arguments: ["bgnbd", "pnbd"])
    func holdout(_ name: String) {
        let summary = CalibrationSummary(table: Self.table, calibrationEnd: CivilDate(year: 1997, month: 9, day: 30),
                                         holdoutEnd: CivilDate(year: 1998, month: 6, day: 30))
        #expect(summary.holdoutLength == 273)
        #expect(summary.holdoutPurchases.reduce(0, +) == 1_882)
        let fit = name == "bgnbd" ? BGNBD.fit(summary.histories) : ParetoNBD.fit(summary.histories)
        let report = HoldoutReport(model: FittedModel(purchase: fit, spend: nil, unitDays: 7, calibrationEnd: "1997-09-30"), summary: summary)
        let base = "\(name)/unrounded/holdout_evaluation/"
        #expect(report.actualTotal == 1_882)
        #expect(abs(report.predictedTotal - LifetimesReferenceTests.value(base + "predicted_total")) < 0.05)
        #expect(abs(report.mae - LifetimesReferenceTests.value(base + "mae")) < 1e-4)
        #expect(abs(report.rmse - LifetimesReferenceTests.value(base + "rmse")) < 1e-4)
        #expect(abs(report.bias - LifetimesReferenceTests.value(base + "bias_mean")) < 1e-4)
        // The tracking series ends at the totals; the deciles cover every customer, and their observed
        // shares add up to the share of customers who bought in the holdout.
        #expect(report.tracking.count == 40 && report.tracking.last?.actual == 1_882)
        #expect(abs(report.tracking.last!.predicted - report.predictedTotal) < 1e-6)
        #expect(report.deciles.map(\.customers).reduce(0, +) == 2_357)
        let buyers = Double(summary.holdoutPurchases.filter { $0 > 0 }.count)
        #expect(abs(report.deciles.reduce(0) { $0 + $1.observedPurchase * Double($1.customers) } - buyers) < 1e-6)
    }
}

@Suite struct ChurnRuleTests {
    @Test("the cadence-aware rule keeps a regular yearly buyer, and treats irregular buyers like the fixed window")
    func cadence() {
        let rule = ChurnRule.cadenceAware()
        let fixed = ChurnRule.fixedSilence(days: 90)
        let yearly = PurchaseCadence(gaps: [360, 370, 365])
        #expect(yearly?.gaps == 3 && yearly?.meanGap == 365)
        // Gaps 360, 370, 365: standard deviation √(50/3) = 4.08, CV 0.0112.
        #expect(abs(yearly!.variation - (50.0 / 3).squareRoot() / 365) < 1e-12)
        // Silent 120 days: lost for the fixed rule, not for the cadence rule (window 2 × 365 days)…
        #expect(fixed.flags(daysSilent: 120, cadence: yearly, probabilityAlive: 0.6))
        #expect(!rule.flags(daysSilent: 120, cadence: yearly, probabilityAlive: 0.6))
        // …until 730 days.
        #expect(rule.flags(daysSilent: 731, cadence: yearly, probabilityAlive: 0.6))
        // Irregular gaps (CV 0.6) and a single gap tell no cadence: the 90-day window applies.
        let irregular = PurchaseCadence(gaps: [40, 160])
        #expect(abs(irregular!.variation - 0.6) < 1e-12)
        #expect(rule.flags(daysSilent: 95, cadence: irregular, probabilityAlive: 0.6))
        #expect(rule.flags(daysSilent: 95, cadence: PurchaseCadence(gaps: [300]), probabilityAlive: 0.6))
        #expect(!rule.flags(daysSilent: 85, cadence: nil, probabilityAlive: 0.6))
        // A low P(alive) flags after 60 days, even a regular buyer.
        #expect(rule.flags(daysSilent: 61, cadence: yearly, probabilityAlive: 0.1))
        #expect(!rule.flags(daysSilent: 60, cadence: yearly, probabilityAlive: 0.1))
    }

    @Test("CDNOW 39 + 39 weeks: the rules' counts add up, and the matched fixed window reaches the cadence rule's recall")
    func holdoutCounts() {
        let rules: [ChurnRule] = [.fixedSilence(days: 90), .cadenceAware(), .modelConfirmed(days: 90, threshold: 0.5)]
        let reports = ModelComparison.churnRules(HoldoutTests.table, calibrationEnd: CivilDate(year: 1997, month: 9, day: 30),
                                                 holdoutEnd: CivilDate(year: 1998, month: 6, day: 30), calendar: .utc, unitDays: 7,
                                                 model: .bgnbd, rules: rules)
        #expect(reports.count == 4)
        // 2,357 customers, of whom 1,673 did not buy in the holdout (2,357 − 684 buyers).
        #expect(reports.allSatisfy { $0.lost == 1_673 && $0.flagged == $0.truePositives + $0.falseFlags })
        #expect(reports[3].recall >= reports[1].recall)
        // The model only confirms the fixed window's flags: never more flags than it.
        #expect(reports[2].flagged <= reports[0].flagged)
        // The cadence-aware rule: fewer false flags than the 90-day rule (393 vs 397), recall no lower
        // (1,550 vs 1,549 of 1,673).
        #expect(reports[1].falseFlags < reports[0].falseFlags)
        #expect(reports[1].truePositives >= reports[0].truePositives)
    }

    @Test("a store where 15% of customers buy once a year: the cadence-aware rule cuts false churn flags at no loss of recall")
    func seasonalStore() throws {
        var config = StoreGeneratorConfig(customers: 5_000, seed: 7, start: CivilDate(year: 2021, month: 1, day: 1), days: 1_461)
        config.seasonalShare = 0.15
        let directory = try TemporaryDirectory()
        let (text, _) = GeneratorTests.generate(config)
        let path = try directory.write("seasonal.csv", bytes: text)
        let table = try OrderFileReader(path: path, options: ImportOptions(format: .generic, details: false, quarantinePath: "/dev/null")).readTable().table
        let reports = ModelComparison.churnRules(table, calibrationEnd: CivilDate(year: 2023, month: 12, day: 31),
                                                 holdoutEnd: CivilDate(year: 2024, month: 12, day: 31),
                                                 calendar: StoreCalendar(identifier: "Asia/Shanghai")!, unitDays: 7,
                                                 model: .bgnbd, rules: [.fixedSilence(days: 90), .cadenceAware()])
        let (fixed, cadence) = (reports[0], reports[1])
        // Yearly buyers silent for 3–11 months are not lost; the 90-day rule flags them all.
        #expect(Double(cadence.falseFlags) < 0.97 * Double(fixed.falseFlags), "\(cadence.falseFlags) vs \(fixed.falseFlags)")
        #expect(cadence.truePositives >= fixed.truePositives, "\(cadence.truePositives) vs \(fixed.truePositives)")
    }
}
