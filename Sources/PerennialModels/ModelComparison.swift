import PerennialCore

/// The purchase models that score customers (BG/BB is for discrete opportunities and is fitted apart).
public enum PurchaseModel: String, Sendable, CaseIterable, Codable {
    case bgnbd, mbgnbd, pnbd

    /// Fits the model.
    public func fit(_ data: PurchaseHistories, penalty: Double = 0) -> FitResult {
        switch self {
        case .bgnbd: BGNBD.fit(data, penalty: penalty)
        case .mbgnbd: MBGNBD.fit(data, penalty: penalty)
        case .pnbd: ParetoNBD.fit(data, penalty: penalty)
        }
    }
}

/// Fits several models on one calibration period and scores each on the same holdout.
public enum ModelComparison {
    /// The default split of a history: calibration to the middle day, holdout to the last day.
    public static func defaultSplit(_ table: TransactionTable, calendar: StoreCalendar) -> (calibrationEnd: CivilDate, holdoutEnd: CivilDate) {
        let first = calendar.dayNumber(of: table.orderTime.min() ?? 0)
        let last = calendar.dayNumber(of: table.orderTime.max() ?? 0)
        return (CivilDate(dayNumber: (first + last) / 2), CivilDate(dayNumber: last))
    }

    /// Evaluates `models` on the split; the reports come in the order given.
    public static func evaluate(_ table: TransactionTable, calibrationEnd: CivilDate, holdoutEnd: CivilDate,
                                calendar: StoreCalendar, unitDays: Double, models: [PurchaseModel],
                                penalty: Double = 0) -> [HoldoutReport] {
        let summary = CalibrationSummary(table: table, calibrationEnd: calibrationEnd, holdoutEnd: holdoutEnd,
                                         calendar: calendar, unitDays: unitDays)
        return models.map { model in
            let fit = model.fit(summary.histories, penalty: penalty)
            return HoldoutReport(model: FittedModel(purchase: fit, spend: nil, unitDays: unitDays, calibrationEnd: calibrationEnd.description),
                                 summary: summary)
        }
    }

    /// Fits one model on the split and scores churn rules with it: the fixed silence window against the
    /// cadence-aware rule.
    public static func churnRules(_ table: TransactionTable, calibrationEnd: CivilDate, holdoutEnd: CivilDate,
                                  calendar: StoreCalendar, unitDays: Double, model: PurchaseModel,
                                  rules: [ChurnRule]) -> [ChurnRuleReport] {
        let summary = CalibrationSummary(table: table, calibrationEnd: calibrationEnd, holdoutEnd: holdoutEnd,
                                         calendar: calendar, unitDays: unitDays)
        let fitted = FittedModel(purchase: model.fit(summary.histories), spend: nil, unitDays: unitDays,
                                 calibrationEnd: calibrationEnd.description)
        var reports = rules.map { ChurnRuleReport(rule: $0, model: fitted, summary: summary) }
        // The fixed window with the same recall as the cadence-aware rule: the fair comparison of false flags.
        if let cadence = reports.first(where: { _ in true }).flatMap({ _ in zip(rules, reports).first { if case .cadenceAware = $0.0 { return true } else { return false } }?.1 }) {
            var matched: ChurnRuleReport?
            for days in stride(from: 730, through: 1, by: -1) {
                let report = ChurnRuleReport(rule: .fixedSilence(days: days), model: fitted, summary: summary)
                if report.recall >= cadence.recall { matched = report; break }
            }
            if var matched {
                matched.rule += " (the fixed window with at least the cadence rule's recall)"
                reports.append(matched)
            }
        }
        return reports
    }

    /// The best report: the lowest per-customer mean absolute error, then the lowest RMSE.
    public static func best(_ reports: [HoldoutReport]) -> HoldoutReport? {
        reports.min { ($0.mae, $0.rmse) < ($1.mae, $1.rmse) }
    }
}

/// The server's scheduled refit: the purchase model and Gamma-Gamma on the whole history, with a
/// holdout report of the same model on the default split, so `/v1/models` can say how well it tracks.
public enum StoreRefit {
    /// A fitted model (calibration to the last order's day) and its holdout report.
    public static func fit(_ table: TransactionTable, calendar: StoreCalendar, model: PurchaseModel = .bgnbd,
                           unitDays: Double = 7) -> (model: FittedModel, holdout: HoldoutReport?) {
        let end = calendar.date(of: table.orderTime.max() ?? 0)
        let summary = CalibrationSummary(table: table, calibrationEnd: end, calendar: calendar, unitDays: unitDays)
        let fitted = FittedModel(purchase: model.fit(summary.histories),
                                 spend: GammaGamma.fit(frequency: summary.frequency, averageSpend: summary.averageSpend),
                                 unitDays: unitDays, calibrationEnd: end.description)
        let split = ModelComparison.defaultSplit(table, calendar: calendar)
        let holdout = split.calibrationEnd < split.holdoutEnd
            ? ModelComparison.evaluate(table, calibrationEnd: split.calibrationEnd, holdoutEnd: split.holdoutEnd, calendar: calendar,
                                       unitDays: unitDays, models: [model]).first
            : nil
        return (fitted, holdout)
    }
}
