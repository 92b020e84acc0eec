import Foundation
import Testing
@testable import PerennialCore
@testable import PerennialModels

/// Stages follow a fitted model's P(alive) where it can judge the customer.
@Suite struct ModelStageTests {
    /// 6 orders over 400 days, the last 120 days ago: 0.45 orders a month.
    static let regular = CustomerSummary(orders: 6, firstOrder: 0, lastOrder: 0, secondOrder: 0, revenueMinor: 60_000,
                                         recencyDays: 120, tenureDays: 400, purchaseDays: 6, meanDaysBetweenOrders: 56,
                                         medianDaysBetweenOrders: 56, ordersPerMonth: 0.45)

    @Test("silent 120 days: churned by the 90-day rule; by the model active, declining or churned as P(alive) says")
    func thresholds() {
        let rules = StageRules()
        #expect(rules.stage(of: Self.regular) == .churned)
        #expect(rules.stage(of: Self.regular, probabilityAlive: 0.8) == .active)
        #expect(rules.stage(of: Self.regular, probabilityAlive: 0.6) == .active)
        #expect(rules.stage(of: Self.regular, probabilityAlive: 0.59) == .declining)
        #expect(rules.stage(of: Self.regular, probabilityAlive: 0.3) == .declining)
        #expect(rules.stage(of: Self.regular, probabilityAlive: 0.29) == .churned)
        // NaN: the model does not judge this customer, so the silence rules apply.
        #expect(rules.stage(of: Self.regular, probabilityAlive: .nan) == .churned)
        // New customers stay new while the model expects them back.
        var recent = Self.regular
        recent.orders = 2; recent.tenureDays = 40; recent.recencyDays = 30
        #expect(rules.stage(of: recent, probabilityAlive: 0.9) == .new)
        #expect(rules.stage(of: recent, probabilityAlive: 0.1) == .churned)
        #expect(rules.stage(of: nil, probabilityAlive: 0.9) == .potential)
    }

    @Test("which customers a model judges: not at a boundary fit, not BG/NBD's one-time buyers")
    func judges() {
        func model(_ name: String, _ parameters: [Double]) -> FittedModel {
            FittedModel(purchase: FitResult(model: name, parameterNames: ["r", "alpha", "a", "b"], parameters: parameters, logLikelihood: 0,
                                            standardErrors: nil, iterations: 0, gradientNorm: 0, converged: true, warnings: [], observations: 0),
                        spend: nil, unitDays: 7, calibrationEnd: "")
        }
        let bgnbd = model("bgnbd", [0.2426, 4.4136, 0.7929, 2.4259])
        #expect(bgnbd.judgesStage(repeatPurchases: 2))
        #expect(!bgnbd.judgesStage(repeatPurchases: 0))
        #expect(model("pnbd", [0.5533, 10.578, 0.6062, 11.67]).judgesStage(repeatPurchases: 0))
        // Online Retail's BG/NBD fit sends b to the edge (no dropout visible): P(alive) ≈ 1 for everyone.
        #expect(!model("bgnbd", [0.73, 8.8, 0.011, 2.6e12]).judgesStage(repeatPurchases: 3))
    }
}
