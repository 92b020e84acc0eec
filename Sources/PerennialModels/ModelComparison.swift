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

    /// The best report: the lowest per-customer mean absolute error, then the lowest RMSE.
    public static func best(_ reports: [HoldoutReport]) -> HoldoutReport? {
        reports.min { ($0.mae, $0.rmse) < ($1.mae, $1.rmse) }
    }
}
