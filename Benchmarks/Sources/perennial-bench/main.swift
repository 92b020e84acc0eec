// Times the model library in process: fitting and scoring a customer summary.
//
//   swift run -c release --package-path Benchmarks perennial-bench predictions FILE.csv [runs]
//
// FILE has lifetimes' columns customer_id,frequency,recency,T (Benchmarks/models/peer_lifetimes.py
// --generate writes one). Prints JSON: the BG/NBD fit's seconds, and the median seconds of scoring every
// customer (P(alive), expected purchases over 13 weeks, and their sum as a check).
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
guard arguments.count >= 3, arguments[1] == "predictions" else {
    FileHandle.standardError.write(Data("usage: perennial-bench predictions FILE.csv [runs]\n".utf8))
    exit(2)
}
let runs = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
let (x, tx, t) = try readSummary(arguments[2])
var fit: FitResult!
let fitSeconds = seconds { fit = BGNBD.fit(PurchaseHistories(frequency: x, recency: tx, age: t)) }
let model = FittedModel(purchase: fit, spend: nil, unitDays: 7, calibrationEnd: "")
var times: [Double] = []
var checksum = 0.0
for _ in 0..<runs {
    times.append(seconds {
        let scores = ModelScoring.score(model: model, frequency: x, recency: tx, age: t, horizon: 13)
        checksum = scores.expectedPurchases.reduce(0, +)
    })
}
times.sort()
let result: [String: Any] = [
    "customers": x.count, "fit_seconds": fitSeconds, "iterations": fit.iterations,
    "predict_runs": times, "predict_median_seconds": times[times.count / 2],
    "expected_purchases_13w_total": checksum,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
