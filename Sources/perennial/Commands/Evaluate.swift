import ArgumentParser
import Foundation
import PerennialCore
import PerennialReports
import PerennialModels

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit on a calibration period, predict the holdout period after it, and compare the models.",
        discussion: """
        Reports, per model, predicted vs actual holdout purchases, per-customer MAE and RMSE, the bias, the \
        weekly cumulative tracking series and P(alive) deciles against who actually bought. By default the \
        history splits at its middle day; the best model (lowest MAE) is what `perennial fit --model auto` picks.
          perennial evaluate --calibration-end 1997-09-30 --holdout-end 1998-06-30
        """)

    @Argument(help: ArgumentHelp("An order file to evaluate on instead of the database.", valueName: "file"))
    var file: String?

    @OptionGroup var format: FileFormatOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Last day of the calibration period (default: the middle of the history).", valueName: "YYYY-MM-DD"))
    var calibrationEnd: String?

    @Option(help: ArgumentHelp("Last day of the holdout period (default: the last order's day).", valueName: "YYYY-MM-DD"))
    var holdoutEnd: String?

    @Option(help: "bgnbd, mbgnbd, pnbd or all.")
    var model: String = "all"

    @OptionGroup var time: ModelTimeOptions

    @Flag(help: "Print JSON: calibration_end, holdout_end, best and one report per model.")
    var json = false

    @Option(help: "Churn rules: the fixed silence window in days…")
    var churnDays: Int = 90

    @Option(help: "…the cadence-aware rule's window for regular buyers, as a multiple of their own mean gap between purchase days…")
    var gapMultiple: Double = 2

    @Option(help: "…the largest coefficient of variation of a customer's gaps for them to count as regular…")
    var maxVariation: Double = 0.25

    @Option(help: "…and the P(alive) below which a customer silent for more than --floor-days is lost…")
    var aliveFloor: Double = 0.3

    @Option(help: "…the silence, in days, after which a low P(alive) flags a customer.")
    var floorDays: Int = 60

    struct Output: Encodable {
        var calibration_end: String
        var holdout_end: String
        var best: String?
        var models: [HoldoutReport]
        var churn_rules: [ChurnRuleReport]
    }

    func run() async throws {
        let models: [PurchaseModel]
        if model == "all" {
            models = PurchaseModel.allCases
        } else if let one = PurchaseModel(rawValue: model) {
            models = [one]
        } else {
            throw ValidationError("--model '\(model)' is not one of bgnbd, mbgnbd, pnbd, all.")
        }
        let loaded = try await TableLoader.load(file: file, format: format, database: database)
        let calendar = try time.calendar(storeTimeZone: loaded.storeTimeZone)
        let split = ModelComparison.defaultSplit(loaded.table, calendar: calendar)
        let calibration = try calibrationEnd.map { try ModelTimeOptions.day($0, flag: "--calibration-end") } ?? split.calibrationEnd
        let holdout = try holdoutEnd.map { try ModelTimeOptions.day($0, flag: "--holdout-end") } ?? split.holdoutEnd
        guard holdout > calibration else {
            throw ValidationError("the holdout must end after the calibration period (\(calibration) → \(holdout)).")
        }
        let reports = ModelComparison.evaluate(loaded.table, calibrationEnd: calibration, holdoutEnd: holdout, calendar: calendar,
                                               unitDays: time.timeUnit.days, models: models)
        let best = ModelComparison.best(reports)
        let rules: [ChurnRule] = [.fixedSilence(days: churnDays),
                                  .cadenceAware(multiple: gapMultiple, maxVariation: maxVariation, windowDays: churnDays,
                                                floorDays: floorDays, aliveFloor: aliveFloor),
                                  .modelConfirmed(days: churnDays, threshold: 0.5)]
        let churn = ModelComparison.churnRules(loaded.table, calibrationEnd: calibration, holdoutEnd: holdout, calendar: calendar,
                                               unitDays: time.timeUnit.days, model: PurchaseModel(rawValue: best?.model ?? "bgnbd") ?? .bgnbd,
                                               rules: rules)
        if json {
            print(try ReportJSON.encode(Output(calibration_end: calibration.description, holdout_end: holdout.description,
                                                best: best?.model, models: reports, churn_rules: churn)))
            return
        }
        print(EvaluateText.render(reports, best: best, calibration: calibration, holdout: holdout, source: loaded.origin))
        print(EvaluateText.churn(churn))
    }
}

/// The text form of a holdout comparison.
enum EvaluateText {
    static func render(_ reports: [HoldoutReport], best: HoldoutReport?, calibration: CivilDate, holdout: CivilDate, source: String) -> String {
        var out = "Holdout evaluation on \(source)\ncalibration to \(calibration), holdout \(CivilDate(dayNumber: calibration.dayNumber + 1)) – \(holdout)"
        out += " (\(reports.first?.holdoutDays ?? 0) days), \(Formatting.count(reports.first?.customers ?? 0)) customers\n\n"
        var table = TextTable(["model", "log-likelihood", "actual", "predicted", "MAE", "RMSE", "bias", ""])
        for r in reports {
            table.add([FitText.names[r.model] ?? r.model, String(format: "%.2f", r.logLikelihood), Formatting.count(Int(r.actualTotal)),
                       Formatting.decimal(r.predictedTotal, places: 1), String(format: "%.4f", r.mae), String(format: "%.4f", r.rmse),
                       String(format: "%+.4f", r.bias), r.model == best?.model ? "← best" : ""])
        }
        out += table.render() + "\n"
        guard let best else { return out }
        out += "\nCumulative holdout purchases, \(FitText.names[best.model] ?? best.model) (every 4 weeks)\n"
        var tracking = TextTable(["week", "actual", "predicted"])
        for point in best.tracking where point.week % 4 == 0 || point.week == best.tracking.last?.week {
            tracking.add([String(point.week), Formatting.count(Int(point.actual)), Formatting.decimal(point.predicted, places: 1)])
        }
        out += tracking.render() + "\n\nP(alive) deciles vs who bought in the holdout\n"
        var deciles = TextTable(["decile", "customers", "mean P(alive)", "bought", "predicted purchases", "actual purchases"])
        for (i, d) in best.deciles.enumerated() {
            deciles.add([String(i + 1), Formatting.count(d.customers), Formatting.percent(d.predictedAlive), Formatting.percent(d.observedPurchase),
                         Formatting.decimal(d.predictedPurchases, places: 2), Formatting.decimal(d.actualPurchases, places: 2)])
        }
        return out + deciles.render() + "\n"
    }

    static func churn(_ reports: [ChurnRuleReport]) -> String {
        let out = "Churn flags at the calibration end vs the holdout (lost = no purchase in the holdout)\n"
        var table = TextTable(["rule", "flagged", "lost and flagged", "false flags", "recall", "precision"], leftColumns: [0])
        for r in reports {
            table.add([r.rule, Formatting.count(r.flagged), Formatting.count(r.truePositives), Formatting.count(r.falseFlags),
                       Formatting.percent(r.recall), Formatting.percent(r.precision)])
        }
        return out + table.render() + "\n"
    }
}
