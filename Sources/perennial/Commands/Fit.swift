import ArgumentParser
import Foundation
import PerennialCore
import PerennialReports
import PerennialIngestion
import PerennialModels

struct Fit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a buy-till-you-die model (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB) and the Gamma-Gamma spend model.",
        discussion: """
        The models behind churn risk and lifetime value. By default fits on the database's whole history in \
        weeks; --calibration-end keeps later purchases out of the fit. --summary fits straight from a \
        per-customer summary with lifetimes' columns (frequency, recency, T, optional monetary_value; for \
        BG/BB: frequency, recency, periods, weights), so peers can be compared on identical inputs:
          perennial fit --summary cdnow_customers_summary.csv --json
          perennial fit --model bgbb --summary Tests/PerennialTests/Fixtures/donations.csv
        (cdnow_customers_summary.csv: the CDNOW sample of Fader & Hardie's BTYD papers as summarised by the \
        lifetimes package; donations.csv ships with this repository.)
        """)

    @Argument(help: ArgumentHelp("An order file to fit on instead of the database.", valueName: "file"))
    var file: String?

    @OptionGroup var format: FileFormatOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "bgnbd, mbgnbd, pnbd, bgbb (needs a --summary with periods) or auto (the lowest holdout MAE of bgnbd, mbgnbd and pnbd on a split of the history; see perennial evaluate).")
    var model: ModelName = .bgnbd

    @Option(help: ArgumentHelp("A customer summary CSV (lifetimes' columns) to fit instead of an order history.", valueName: "file"))
    var summary: String?

    @Option(help: ArgumentHelp("Last day of the calibration period (default: the day of the last order).", valueName: "YYYY-MM-DD"))
    var calibrationEnd: String?

    @OptionGroup var time: ModelTimeOptions

    @Option(help: "L2 penalty on the parameters (0: plain maximum likelihood).")
    var penalty: Double = 0

    @Flag(help: "Print JSON.")
    var json = false

    enum ModelName: String, ExpressibleByArgument, CaseIterable {
        case bgnbd, mbgnbd, pnbd, bgbb, auto
    }


    func validate() throws {
        if penalty < 0 { throw ValidationError("--penalty must be 0 or more (got \(penalty)).") }
        if model == .bgbb && summary == nil {
            throw ValidationError("--model bgbb fits discrete opportunities: give a --summary FILE with frequency, recency and periods columns.")
        }
        if summary != nil && file != nil { throw ValidationError("give either an order FILE or --summary, not both.") }
        if model == .auto && summary != nil {
            throw ValidationError("--model auto compares models on a holdout period, which needs an order history, not a --summary.")
        }
    }

    func run() async throws {
        let input = try await loadInput()
        let started = Date()
        let result: FitResult
        switch model {
        case .bgnbd: result = BGNBD.fit(input.histories, penalty: penalty)
        case .mbgnbd: result = MBGNBD.fit(input.histories, penalty: penalty)
        case .pnbd: result = ParetoNBD.fit(input.histories, penalty: penalty)
        case .auto:
            let (table, calendar) = input.table!
            let split = ModelComparison.defaultSplit(table, calendar: calendar)
            let reports = ModelComparison.evaluate(table, calibrationEnd: split.calibrationEnd, holdoutEnd: split.holdoutEnd,
                                                   calendar: calendar, unitDays: time.timeUnit.days, models: PurchaseModel.allCases, penalty: penalty)
            let best = PurchaseModel(rawValue: ModelComparison.best(reports)?.model ?? "bgnbd") ?? .bgnbd
            let summaryLine = reports.map { "\($0.model) \(String(format: "%.4f", $0.mae))" }.joined(separator: ", ")
            Terminal.note("auto: holdout MAE with calibration to \(split.calibrationEnd) and holdout to \(split.holdoutEnd): \(summaryLine); fitting \(best.rawValue)")
            result = best.fit(input.histories, penalty: penalty)
        case .bgbb:
            result = BGBB.fit(frequency: input.frequency, recency: input.recency, opportunities: input.age,
                              weight: input.weights ?? Array(repeating: 1, count: input.frequency.count), penalty: penalty)
        }
        let seconds = Date().timeIntervalSince(started)
        var spend: FitResult?
        var correlation: Double?
        if let monetary = input.monetary, model != .bgbb {
            spend = GammaGamma.fit(frequency: input.frequency, averageSpend: monetary)
            correlation = GammaGamma.frequencySpendCorrelation(frequency: input.frequency, averageSpend: monetary)
        }
        let unit = model == .bgbb ? "opportunity" : time.timeUnit.rawValue
        if file == nil && summary == nil && model != .bgbb {
            // Keep the fit with the store: predict and customers --json score with it.
            let store = try await database.open(create: false)
            try await store.saveModel(FittedModel(purchase: result, spend: spend, unitDays: time.timeUnit.days,
                                                  calibrationEnd: input.calibrationEnd ?? ""),
                                      fittedAt: Int64(Date().timeIntervalSince1970))
            if !json { Terminal.note("saved the fit in \(database.shown); perennial predict and perennial customers --json now use it") }
        }
        if json {
            var output = FitJSON(result, spend: spend, correlation: correlation, input: input, unit: unit)
            output.fit_seconds = seconds
            print(try ReportJSON.encode(output))
        } else {
            print(FitText.render(result, spend: spend, correlation: correlation, input: input, unit: unit))
        }
    }

    /// What a fit reads: per-customer columns and where they came from.
    struct Input {
        var frequency: [Double], recency: [Double], age: [Double]
        var monetary: [Double]?
        var weights: [Double]?
        var source: String
        var calibrationEnd: String?
        var table: (TransactionTable, StoreCalendar)?
        var histories: PurchaseHistories { PurchaseHistories(frequency: frequency, recency: recency, age: age, weight: weights) }
    }

    func loadInput() async throws -> Input {
        if let summary {
            let file = try CustomerSummaryFile(path: summary)
            for problem in file.problems.prefix(5) { Terminal.note("\(summary):\(problem.line): \(problem.reason) (row skipped)") }
            guard !file.frequency.isEmpty else { throw ValidationError("\(summary) has no valid rows.") }
            return Input(frequency: file.frequency, recency: file.recency, age: file.age, monetary: file.monetaryValue,
                         weights: file.weights, source: summary, calibrationEnd: nil, table: nil)
        }
        let loaded = try await TableLoader.load(file: file, format: format, database: database)
        let calendar = try time.calendar(storeTimeZone: loaded.storeTimeZone)
        let end = try calibrationEnd.map { try ModelTimeOptions.day($0, flag: "--calibration-end") }
            ?? calendar.date(of: loaded.table.orderTime.max() ?? 0)
        let summary = CalibrationSummary(table: loaded.table, calibrationEnd: end, calendar: calendar, unitDays: time.timeUnit.days)
        guard !summary.frequency.isEmpty else { throw ValidationError("no customer bought on or before \(end); choose a later --calibration-end.") }
        return Input(frequency: summary.frequency, recency: summary.recency, age: summary.age, monetary: summary.averageSpend,
                     weights: nil, source: loaded.origin, calibrationEnd: end.description, table: (loaded.table, calendar))
    }
}

/// `perennial fit --json`.
struct FitJSON: Encodable {
    var model: String
    var parameters: [String: Double]
    var log_likelihood: Double
    var standard_errors: [String: Double]?
    var iterations: Int
    var converged: Bool
    var warnings: [String]
    var customers: Double
    var source: String
    var calibration_end: String?
    var time_unit: String
    var spend_model: Spend?
    /// Seconds spent fitting the purchase model (reading the input and the spend model excluded), for
    /// benchmarks.
    var fit_seconds: Double?

    struct Spend: Encodable {
        var model: String
        var parameters: [String: Double]
        var log_likelihood: Double
        var standard_errors: [String: Double]?
        var customers: Double
        var frequency_spend_correlation: Double?
        var warnings: [String]
    }

    init(_ r: FitResult, spend: FitResult?, correlation: Double?, input: Fit.Input, unit: String) {
        model = r.model
        parameters = Dictionary(uniqueKeysWithValues: zip(r.parameterNames, r.parameters))
        log_likelihood = r.logLikelihood
        standard_errors = r.standardErrors.map { Dictionary(uniqueKeysWithValues: zip(r.parameterNames, $0)) }
        iterations = r.iterations
        converged = r.converged
        warnings = r.warnings
        customers = r.observations
        source = input.source
        calibration_end = input.calibrationEnd
        time_unit = unit
        spend_model = spend.map { s in
            Spend(model: s.model, parameters: Dictionary(uniqueKeysWithValues: zip(s.parameterNames, s.parameters)),
                  log_likelihood: s.logLikelihood, standard_errors: s.standardErrors.map { Dictionary(uniqueKeysWithValues: zip(s.parameterNames, $0)) },
                  customers: s.observations, frequency_spend_correlation: correlation, warnings: s.warnings)
        }
    }
}

/// The text form of a fit.
enum FitText {
    static let names = ["bgnbd": "BG/NBD", "mbgnbd": "MBG/NBD", "pnbd": "Pareto/NBD", "bgbb": "BG/BB", "gamma-gamma": "Gamma-Gamma"]

    static func table(_ r: FitResult) -> String {
        var table = TextTable(["parameter", "estimate", "std. error"])
        for (i, name) in r.parameterNames.enumerated() {
            table.add([name, String(format: "%.4f", r.parameters[i]), r.standardErrors.map { String(format: "%.4f", $0[i]) } ?? "-"])
        }
        return table.render()
    }

    static func render(_ r: FitResult, spend: FitResult?, correlation: Double?, input: Fit.Input, unit: String) -> String {
        var out = "\(names[r.model] ?? r.model) fitted on \(Formatting.count(Int(r.observations))) customers from \(input.source)"
        if let end = input.calibrationEnd { out += ", calibration period to \(end)" }
        out += ", time in \(unit)s\n"
        out += "\(r.iterations) iterations, \(r.converged ? "converged" : "NOT converged"), log-likelihood \(String(format: "%.2f", r.logLikelihood))\n"
        out += table(r) + "\n"
        for warning in r.warnings { out += "warning: \(warning)\n" }
        if let spend {
            out += "\nGamma-Gamma spend model on \(Formatting.count(Int(spend.observations))) repeat buyers, log-likelihood \(String(format: "%.2f", spend.logLikelihood))\n"
            out += table(spend) + "\n"
            if let correlation {
                out += "frequency–spend correlation \(String(format: "%.3f", correlation))"
                out += abs(correlation) > 0.3 ? " — high: the model assumes spend is independent of frequency; treat spend predictions with care\n" : " (the model assumes near 0)\n"
            }
            for warning in spend.warnings { out += "note: \(warning)\n" }
        }
        return out
    }
}
