import Foundation
@testable import PerennialRecommendations
import Testing

/// The recommendation algorithms on matrices small enough to check by hand or against a naive reference.
@Suite struct RecommendationTests {
    /// Customers × items from sets of bought items (each cell one order).
    static func matrix(_ rows: [[Int]], items: Int) -> SparseMatrix {
        SparseMatrix(rows: rows.count, columnCount: items,
                     triples: rows.enumerated().flatMap { r, cols in cols.map { (row: r, column: $0, value: Float(1)) } })
    }

    @Test("co-purchase cosine with shrinkage and lift equal the hand computation")
    func similarity() {
        // c0 {0,1,2}, c1 {0,1}, c2 {1,2}, c3 {0}: buyers 3, 3, 2; both(0,1) = 2, both(0,2) = 1, both(1,2) = 2.
        let s = ItemSimilarity(Self.matrix([[0, 1, 2], [0, 1], [1, 2], [0]], items: 3), neighboursPerItem: 5, shrink: 1, threads: 2)
        #expect(s.buyers == [3, 3, 2])
        let ofOne = s.neighbours[1]
        #expect(ofOne.map(\.item) == [2, 0], "item 2 (cosine 0.580) before item 0 (0.5)")
        #expect(abs(ofOne[0].cosine - Float(2 / (6.0.squareRoot() + 1))) < 1e-6)
        #expect(abs(ofOne[1].cosine - 0.5) < 1e-6)
        #expect(ofOne[0].together == 2 && abs(ofOne[0].lift - Float(2.0 * 4 / (3 * 2))) < 1e-6)
        #expect(abs(ofOne[1].lift - Float(2.0 * 4 / 9)) < 1e-6)
        let ofZero = s.neighbours[0]
        #expect(ofZero.map(\.item) == [1, 2] && abs(ofZero[1].cosine - Float(1 / (6.0.squareRoot() + 1))) < 1e-6)
    }

    @Test("BM25 and log confidences equal the hand computation")
    func weighting() {
        // u0 {i0: 2, i1: 1}, u1 {i0: 1}: idf(i0) = ln 2 − ln 3, idf(i1) = 0; row sums 3 and 1 (mean 2).
        let m = SparseMatrix(rows: 2, columnCount: 2, triples: [(0, 0, 2), (0, 1, 1), (1, 0, 1)])
        let bm25 = ConfidenceWeighting.bm25.apply(to: m)
        let idf0 = log(2.0) - log(3.0)
        #expect(abs(Double(bm25.value(0, 0)) - 2 * 101 / (100 * 1.4 + 2) * idf0) < 1e-5)
        #expect(abs(Double(bm25.value(1, 0)) - 1 * 101 / (100 * 0.6 + 1) * idf0) < 1e-5)
        #expect(bm25.value(0, 1) == 0)
        #expect(abs(Double(ConfidenceWeighting.log.apply(to: m).value(0, 0)) - (1 + log(3.0))) < 1e-6)
    }

    /// Solves `a x = b` (n × n, row-major) by Gauss-Jordan elimination in Double: the naive reference.
    static func naiveSolve(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var m = a, v = b
        for c in 0..<n {
            let p = (c..<n).max { abs(m[$0 * n + c]) < abs(m[$1 * n + c]) }!
            for k in 0..<n { m.swapAt(c * n + k, p * n + k) }
            v.swapAt(c, p)
            for r in 0..<n where r != c {
                let f = m[r * n + c] / m[c * n + c]
                for k in 0..<n { m[r * n + k] -= f * m[c * n + k] }
                v[r] -= f * v[c]
            }
        }
        return (0..<n).map { v[$0] / m[$0 * n + $0] }
    }

    @Test("an ALS half sweep solves each row's least squares (eq. 4 of Hu, Koren & Volinsky) like a direct solve")
    func alsRowUpdate() {
        let f = 8
        let counts = SparseMatrix(rows: 3, columnCount: 5, triples: [(0, 0, 3), (0, 2, 1), (0, 4, 2), (1, 1, 5), (2, 0, 1), (2, 1, 1), (2, 3, 4)])
        var random = SplitMix(seed: 7)
        let y = (0..<(5 * f)).map { _ in Float(random.uniform() - 0.5) }
        var x = [Float](repeating: 0, count: 3 * f)
        // Eight CG steps solve an 8-dimensional system exactly (up to rounding).
        let configuration = ALSConfiguration(factors: f, regularization: 0.1, conjugateGradientSteps: 8, weighting: .none, threads: 2)
        ImplicitALS.solve(counts, fixed: y, updating: &x, factors: f, configuration: configuration)
        for u in 0..<3 {
            // A = YᵀY + λI + Σ (c − 1) yᵢyᵢᵀ, b = Σ c yᵢ over the row's items.
            var a = [Double](repeating: 0, count: f * f), b = [Double](repeating: 0, count: f)
            for i in 0..<5 { for r in 0..<f { for c in 0..<f { a[r * f + c] += Double(y[i * f + r]) * Double(y[i * f + c]) } } }
            for r in 0..<f { a[r * f + r] += 0.1 }
            for e in counts.row(u) {
                let i = Int(counts.columns[e]), conf = Double(counts.values[e])
                for r in 0..<f {
                    b[r] += conf * Double(y[i * f + r])
                    for c in 0..<f { a[r * f + c] += (conf - 1) * Double(y[i * f + r]) * Double(y[i * f + c]) }
                }
            }
            let expected = Self.naiveSolve(a, b, f)
            for r in 0..<f { #expect(abs(Double(x[u * f + r]) - expected[r]) < 2e-3 * max(1, abs(expected[r])), "row \(u), factor \(r)") }
        }
    }

    /// 60 customers with overlapping tastes over 12 items, seeded.
    static func syntheticPurchases() -> [Purchase] {
        var random = SplitMix(seed: 3)
        var lines: [Purchase] = []
        for c in 0..<60 {
            let taste = c % 3
            for o in 0..<(2 + c % 4) {
                let at = Int64(1_700_000_000 + (c * 7 + o * 23) * 86_400)
                for slot in 0..<3 {
                    let item = (taste * 4 + Int(random.next() % 4) + (slot == 2 ? Int(random.next() % 12) : 0)) % 12
                    lines.append(Purchase(customer: "c\(c)", order: "o\(c)-\(o)", at: at, sku: "sku\(item)", quantity: 1, unitPriceMillis: 2_000))
                }
            }
        }
        return lines
    }

    @Test("training is deterministic for a seed whatever the threads, and the archive gives the same model back")
    func determinismAndArchive() throws {
        let purchases = Self.syntheticPurchases()
        var one = RecommenderConfiguration()
        one.als.threads = 1
        let a = Recommender.train(purchases: purchases, configuration: one)
        let b = Recommender.train(purchases: purchases)
        #expect(a.factors.customerFactors == b.factors.customerFactors && a.factors.itemFactors == b.factors.itemFactors)
        let back = try RecommenderArchive.decode(RecommenderArchive.encode(b))
        #expect(back.factors == b.factors && back.data.orders == b.data.orders && back.blend == b.blend)
        #expect(back.recommend(customer: "c5", k: 5) == b.recommend(customer: "c5", k: 5))
        var damaged = RecommenderArchive.encode(b)
        damaged.removeLast(100)
        #expect(throws: RecommenderArchive.FormatError.self) { try RecommenderArchive.decode(damaged) }
    }

    @Test("buy-again ranks a 30-day habit last bought 28 days ago above a one-off and a lapsed habit")
    func buyAgain() {
        let habit = BuyAgain.cadence(orders: 4, daysSinceFirst: 118, daysSinceLast: 28, customerIntervalDays: 30)
        let oneOff = BuyAgain.cadence(orders: 1, daysSinceFirst: 108, daysSinceLast: 108, customerIntervalDays: 30)
        let lapsed = BuyAgain.cadence(orders: 2, daysSinceFirst: 118, daysSinceLast: 113, customerIntervalDays: 30)
        #expect(habit.intervalDays == 30 && lapsed.intervalDays == 5)
        let scores = [habit, oneOff, lapsed].map { BuyAgain.score($0, horizonDays: 90) }
        #expect(abs(scores[0] - (1 - exp(-3.0))) < 1e-12)
        #expect(abs(scores[1] - (1 - exp(-3.0)) * exp(-48.0 / 30)) < 1e-12)
        #expect(scores[0] > scores[1] && scores[1] > scores[2])

        // Through the recommender: the habit comes first, with its cadence as the reason.
        let day: Int64 = 86_400, start: Int64 = 1_700_000_000
        var lines = [0, 30, 60, 90].map { Purchase(customer: "me", order: "h\($0)", at: start + $0 * day, sku: "HABIT") }
        lines.append(Purchase(customer: "me", order: "once", at: start + 10 * day, sku: "ONCE"))
        lines.append(Purchase(customer: "other", order: "x", at: start + 118 * day, sku: "ONCE"))
        let model = Recommender.train(purchases: lines)
        let list = model.recommend(customer: "me", k: 2)
        #expect(list.map(\.sku) == ["HABIT", "ONCE"] && list.allSatisfy { $0.label == .rebuy })
        #expect(list[0].reason == .cadence(everyDays: 30, lastDaysAgo: 28))
        #expect(list[0].reason.text == "you buy this about every 30 days (last 28 days ago)")
        #expect(model.recommend(customer: "stranger", k: 1).first?.reason == .popular(group: nil))

        // Three orders on one morning are no cadence: the reason says when, not "every 1 days".
        let burst = (0..<3).map { Purchase(customer: "burst", order: "b\($0)", at: start + Int64($0) * 3_600, sku: "HABIT") }
        let bursty = Recommender.train(purchases: lines + burst)
        #expect(bursty.recommend(customer: "burst", k: 1).first?.reason == .boughtBefore(daysAgo: 118))
    }

    @Test("rules drop excluded, out-of-stock and bought one-off items; the category cap holds unless the customer buys one category")
    func reranking() {
        let ranked = ["m1", "m2", "m3", "t1", "m4", "t2", "x1", "sofa"].enumerated().map {
            Recommendation(sku: $1, score: 1 - Double($0) / 10, label: .discover, reason: .similarCustomers)
        }
        var rules = RecommendationRules()
        for sku in ["m1", "m2", "m3", "m4"] { rules.categories[sku] = "mugs" }
        for sku in ["t1", "t2"] { rules.categories[sku] = "tea" }
        rules.excluded = ["x1"]
        rules.outOfStock = ["t2"]
        rules.nonReplenishable = ["sofa"]
        let capped = Reranker.apply(ranked, rules: rules, k: 4, bought: ["m9", "t9", "sofa"])
        #expect(capped.map(\.sku) == ["m1", "m2", "t1", "m3"], "2 mugs, then the tea, then a capped mug only to fill the list")
        rules.maxPerCategory = 1
        #expect(Reranker.apply(ranked, rules: rules, k: 2, bought: ["t9"]).map(\.sku) == ["m1", "t1"])
        rules.categories["m9"] = "mugs"
        rules.maxPerCategory = nil
        #expect(Reranker.apply(ranked, rules: rules, k: 3, bought: ["m9"]).map(\.sku) == ["m1", "m2", "m3"], "a mugs-only customer is not capped")
        #expect(Reranker.disclosure(rules) == nil)
        rules.marginBoost = 1
        #expect(Reranker.disclosure(rules) != nil)
    }

    @Test("P@10, R@10, NDCG@10, hit rate and coverage on a hand-worked list")
    func metrics() {
        var acc = RankingMetricsAccumulator(k: 10)
        // Hits at ranks 2 and 5 out of 3 relevant items (one never recommendable: index 99).
        acc.add(ranked: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], relevant: [1, 4, 99])
        acc.add(ranked: [0, 10], relevant: [11])
        acc.add(ranked: [0], relevant: [])
        let r = acc.result(catalogSize: 20)
        #expect(acc.customers == 2)
        #expect(abs(r.precision - (0.2 + 0) / 2) < 1e-12)
        #expect(abs(r.recall - (2.0 / 3 + 0) / 2) < 1e-12)
        let dcg = 1 / log2(3.0) + 1 / log2(6.0), ideal = 1 + 1 / log2(3.0) + 0.5
        #expect(abs(r.ndcg - dcg / ideal / 2) < 1e-12)
        #expect(r.hitRate == 0.5 && r.coverage == 11.0 / 20)
    }

    @Test("the exposure audit's coverage, Gini, long tail, popularity bias and category share on a fixture")
    func audit() {
        // X bought by 3 customers, Y and Z by 1 each: the head (80% of 5 purchases) is X and Y.
        let lines = ["a", "b", "c"].map { Purchase(customer: $0, order: "o\($0)", at: 100, sku: "X") }
            + [Purchase(customer: "a", order: "oa", at: 100, sku: "Y"), Purchase(customer: "b", order: "ob", at: 100, sku: "Z")]
        let data = InteractionData(purchases: lines)
        let audit = ExposureAudit.run(lists: ["a": ["X", "Z"], "b": ["X"]], data: data, categories: ["X": "k", "Z": "l"],
                                      segmentOf: ["a": "new", "b": "loyal"])
        let f = audit.overall
        #expect(f.lists == 2 && abs(f.coverage - 2.0 / 3) < 1e-12 && abs(f.longTailShare - 1.0 / 3) < 1e-12)
        #expect(abs(f.gini - 4.0 / 9) < 1e-12, "exposure (2, 0, 1)")
        #expect(abs(f.popularityBias - (7.0 / 3) / (11.0 / 5)) < 1e-12)
        #expect(abs((f.categoryConcentration ?? 0) - 0.75) < 1e-12)
        #expect(audit.segments["new"]?.lists == 1 && audit.segments["loyal"]?.longTailShare == 0)
        #expect(ExposureAudit.gini([5, 5, 5]) == 0 && abs(ExposureAudit.gini([0, 0, 0, 9]) - 0.75) < 1e-12)
    }

    @Test("the evaluation protocol: customers in both periods, relevant items from the split on, train items excluded in discover")
    func evaluation() {
        let day: Int64 = 86_400
        let purchases = Self.syntheticPurchases()
        let split = Int64(1_700_000_000) + 200 * day
        let model = Recommender.train(purchases: purchases, before: split)
        let result = RecommendationEvaluation.run(model, purchases: purchases, split: split)
        let before = Set(purchases.filter { $0.at < split }.map(\.customer)), after = Set(purchases.filter { $0.at >= split }.map(\.customer))
        #expect(result.evaluatedCustomers == before.intersection(after).count && result.evaluatedCustomers > 0)
        var scratch = [Float](repeating: 0, count: model.data.items.count)
        for c in 0..<model.data.customers.count {
            let bought = Set(model.data.itemsBought(by: c).map { Int($0) })
            #expect(model.rankedItems(customer: c, k: 10, task: .discover, scratch: &scratch).allSatisfy { !bought.contains($0.item) })
        }
        #expect(result.nextBasket.ndcg > 0 && result.nextBasket.ndcg <= 1)
    }
}
