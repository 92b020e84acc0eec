// Times the model library in process: fitting and scoring a customer summary.
//
//   swift run -c release --package-path Benchmarks perennial-bench predictions FILE.csv [runs]
//   swift run -c release --package-path Benchmarks perennial-bench fit FILE.csv [runs] [bgnbd|pnbd]
//
// FILE has lifetimes' columns customer_id,frequency,recency,T (Benchmarks/models/peer_lifetimes.py
// --generate writes one). `predictions` prints JSON: the BG/NBD fit's seconds, and the median seconds
// of scoring every customer (P(alive), expected purchases over 13 weeks, expected spend and 12-month
// discounted CLV), with totals and the largest relative difference of the CLVs from a direct
// computation as checks. `fit` prints each run's collapse and fit seconds.
import Foundation
import PerennialModels

func readSummary(_ path: String) throws -> (x: [Double], tx: [Double], t: [Double]) {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var x: [Double] = [], tx: [Double] = [], t: [Double] = []
    for line in text.split(separator: "\n").dropFirst() {
        let fields = line.split(separator: ",")
        guard fields.count >= 4, let a = Double(fields[1]), let b = Double(fields[2]), let c = Double(fields[3]) else { continue }
        x.append(a); tx.append(b); t.append(c)
    }
    return (x, tx, t)
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, ["predictions", "fit"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: perennial-bench predictions|fit FILE.csv [runs]\n".utf8))
    exit(2)
}
let runs = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
let (x, tx, t) = try readSummary(arguments[2])
if arguments[1] == "fit" {
    // A fit's phases: collapsing identical histories, then the fit itself (BG/NBD, or Pareto/NBD with
    // a fourth argument `pnbd`).
    let pareto = arguments.count > 4 && arguments[4] == "pnbd"
    var rows: [[String: Any]] = []
    for _ in 0..<runs {
        var histories: PurchaseHistories!
        let collapse = seconds { histories = PurchaseHistories(frequency: x, recency: tx, age: t) }
        var result: FitResult!
        let fitting = seconds { result = pareto ? ParetoNBD.fit(histories) : BGNBD.fit(histories) }
        rows.append(["collapse_seconds": collapse, "fit_seconds": fitting, "iterations": result.iterations,
                     "rows": histories.count, "parameters": result.parameters])
    }
    print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
    exit(0)
}
var fit: FitResult!
let fitSeconds = seconds { fit = BGNBD.fit(PurchaseHistories(frequency: x, recency: tx, age: t)) }
// Spend: the file has none, so each repeat buyer gets a mean order value of 10–59 (by row) and
// Gamma-Gamma is fitted to those: the arithmetic of scoring is the same whatever the values.
let averageSpend = (0..<x.count).map { x[$0] > 0 ? Double(10 + $0 % 50) : 0 }
let spendFit = GammaGamma.fit(frequency: x, averageSpend: averageSpend)
let model = FittedModel(purchase: fit, spend: spendFit, unitDays: 7, calibrationEnd: "")
var times: [Double] = []
var checksum = (0.0, 0.0)
var scores: ModelScoring.Scores!
for _ in 0..<runs {
    times.append(seconds {
        scores = ModelScoring.score(model: model, frequency: x, recency: tx, age: t, averageSpend: averageSpend,
                                        horizon: 13, months: 12, monthlyDiscount: 0.01)
        checksum = (scores.expectedPurchases.reduce(0, +), scores.lifetimeValue.reduce(0, +))
    })
}
times.sort()
// The same CLV computed directly (12 monthly expectations per customer) on every 100th customer, as
// a check of the interpolated values.
var worst = 0.0
for i in stride(from: 0, to: x.count, by: 100) {
    let exact = model.lifetimeValue(x: x[i], tx: tx[i], T: t[i], averageSpend: averageSpend[i], months: 12, monthlyDiscount: 0.01)!
    worst = max(worst, abs(scores.lifetimeValue[i] - exact) / max(exact, 1e-9))
}
let result: [String: Any] = [
    "customers": x.count, "fit_seconds": fitSeconds, "iterations": fit.iterations,
    "predict_runs": times, "predict_median_seconds": times[times.count / 2],
    "expected_purchases_13w_total": checksum.0, "clv_12m_total": checksum.1,
    "clv_worst_relative_difference_from_direct": worst,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
