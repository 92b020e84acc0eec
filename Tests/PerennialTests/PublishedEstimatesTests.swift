import Foundation
import PerennialCore
import PerennialIngestion
import PerennialModels
import PerennialTestSupport
import Testing

/// Fits on the data of the BTYD papers and compares with their published estimates.
@Suite struct PublishedEstimatesTests {
    /// `cdnow_customers_summary.csv` (lifetimes' copy of the CDNOW sample in weeks, 2 decimals).
    static func cdnowSummary() throws -> PurchaseHistories? {
        guard let path = SharedDatasets.path("cdnow/cdnow_customers_summary.csv") else { return nil }
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        var x: [Double] = [], tx: [Double] = [], t: [Double] = []
        for row in rows {
            let f = row.split(separator: ",").map { Double($0)! }
            x.append(f[1]); tx.append(f[2]); t.append(f[3])
        }
        return PurchaseHistories(frequency: x, recency: tx, age: t)
    }

    @Test("BG/NBD on the CDNOW summary: r 0.2426, α 4.4136, a 0.7929, b 2.4259, LL −9582.43 (FHL 2005)", .enabled(if: SharedDatasets.isPresent("cdnow/cdnow_customers_summary.csv"), "needs cdnow_customers_summary.csv, one of the public datasets (README, Data)"))
    func bgnbdSummary() throws {
        let data = try #require(try Self.cdnowSummary())
        #expect(data.totalWeight == 2_357)
        let fit = BGNBD.fit(data)
        print(fit)
        #expect(fit.converged)
        #expect(abs(fit["r"]! - 0.2426) < 0.00005 * 2)
        #expect(abs(fit["alpha"]! - 4.4136) < 0.0005 * 2)
        #expect(abs(fit["a"]! - 0.7929) < 0.0005)
        #expect(abs(fit["b"]! - 2.4259) < 0.0005 * 2)
        #expect(abs(fit.logLikelihood - -9582.43) < 0.01)
        let p = BGNBD.Parameters(fit.parameters)
        #expect(abs(BGNBD.expectedPurchases(p, t: 39, x: 2, tx: 30.43, T: 38.86) - 1.226) < 0.001)
    }

    @Test("BG/BB on the donations: α 1.204, β 0.750, γ 0.657, δ 2.783, LL −33,225.6 (FHS 2010)")
    func bgbbDonations() throws {
        let path = Fixtures.path("donations.csv")
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        let fit = BGBB.fit(frequency: rows.map { $0[0] }, recency: rows.map { $0[1] }, opportunities: rows.map { $0[2] }, weight: rows.map { $0[3] })
        print(fit)
        #expect(fit.observations == 11_104)
        #expect(abs(fit["alpha"]! - 1.204) < 0.0005)
        #expect(abs(fit["beta"]! - 0.750) < 0.0005)
        #expect(abs(fit["gamma"]! - 0.657) < 0.0005)
        #expect(abs(fit["delta"]! - 2.783) < 0.0005)
        #expect(abs(fit.logLikelihood - -33_225.6) < 0.05)
    }
}

/// The path: import `CDNOW_sample.txt`, summarise the 39-week calibration period in weeks, fit.
@Suite struct CDNOWLogTests {
    static let summary: CalibrationSummary = {
        let reader = try! OrderFileReader(path: Fixtures.path("CDNOW_sample.txt"), options: ImportOptions(format: .cdnow, quarantinePath: "/dev/null"))
        let table = try! reader.readTable().table
        return CalibrationSummary(table: table, calibrationEnd: CivilDate(year: 1997, month: 9, day: 30),
                                  holdoutEnd: CivilDate(year: 1998, month: 6, day: 30))
    }()

    @Test("the summary matches lifetimes' cdnow_customers_summary.csv to its two decimals", .enabled(if: SharedDatasets.isPresent("cdnow/cdnow_customers_summary.csv"), "needs cdnow_customers_summary.csv, one of the public datasets (README, Data)"))
    func summaryMatchesLifetimes() throws {
        let s = Self.summary
        #expect(s.frequency.count == 2_357)
        #expect(s.frequency.filter { $0 == 0 }.count == 1_411)
        let path = try #require(SharedDatasets.path("cdnow/cdnow_customers_summary.csv"))
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        // Both lists are in customer order (the sample ids 1…2357 follow the master ids).
        for (i, row) in rows.enumerated() {
            #expect(s.frequency[i] == row[1])
            #expect(abs(s.recency[i] - row[2]) <= 0.005 + 1e-9)
            #expect(abs(s.age[i] - row[3]) <= 0.005 + 1e-9)
        }
    }

    @Test("BG/NBD from the log: r 0.2426, α 4.4136, a 0.7929, b 2.4259, LL −9582.43")
    func bgnbd() {
        let fit = BGNBD.fit(Self.summary.histories)
        print(fit)
        // To the precision published: half a unit of the last digit shown.
        #expect(abs(fit["r"]! - 0.2426) < 0.00005)
        #expect(abs(fit["alpha"]! - 4.4136) < 0.00005)
        #expect(abs(fit["a"]! - 0.7929) < 0.00005)
        #expect(abs(fit["b"]! - 2.4259) < 0.00005)
        #expect(abs(fit.logLikelihood - -9582.43) < 0.005)
        #expect(fit.converged && fit.warnings.isEmpty)
        // The published prediction for a customer with x = 2, t_x = 30.43, T = 38.86 over 39 weeks.
        #expect(abs(BGNBD.expectedPurchases(.init(fit.parameters), t: 39, x: 2, tx: 30.43, T: 38.86) - 1.226) < 0.001)
    }

    @Test("Pareto/NBD from the log: r 0.5533, α 10.578, s 0.6062, β 11.67, LL −9594.98 (FH 2005)")
    func paretoNBD() {
        let fit = ParetoNBD.fit(Self.summary.histories)
        print(fit)
        #expect(abs(fit["r"]! - 0.5533) < 0.00005)
        #expect(abs(fit["alpha"]! - 10.578) < 0.0005)
        #expect(abs(fit["s"]! - 0.6062) < 0.00005)
        #expect(abs(fit["beta"]! - 11.67) < 0.005)
        #expect(abs(fit.logLikelihood - -9594.98) < 0.005)
    }

    @Test("Gamma-Gamma on the 946 repeat buyers: p 6.25, q 3.74, γ 15.44 (Fader & Hardie 2013)")
    func gammaGamma() {
        let s = Self.summary
        let fit = GammaGamma.fit(frequency: s.frequency, averageSpend: s.averageSpend)
        print(fit)
        #expect(fit.observations == 946)
        #expect(abs(fit["p"]! - 6.25) < 0.005)
        #expect(abs(fit["q"]! - 3.74) < 0.005)
        #expect(abs(fit["gamma"]! - 15.44) < 0.005)
        // Frequency and spend are nearly independent here (FH 2013 report a correlation of 0.11).
        let correlation = GammaGamma.frequencySpendCorrelation(frequency: s.frequency, averageSpend: s.averageSpend)
        #expect(abs(correlation - 0.11) < 0.01)
    }
}
