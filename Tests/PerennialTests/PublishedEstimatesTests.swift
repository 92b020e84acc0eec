import Foundation
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

    @Test("BG/NBD on the CDNOW summary: r 0.2426, α 4.4136, a 0.7929, b 2.4259, LL −9582.43 (FHL 2005)")
    func bgnbdSummary() throws {
        guard let data = try Self.cdnowSummary() else { print("skipped: cdnow_customers_summary.csv is absent"); return }
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
        guard let path = SharedDatasets.path("cdnow/donations.csv") else { print("skipped: donations.csv is absent"); return }
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
