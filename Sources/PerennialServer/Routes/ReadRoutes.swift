import Foundation
import Hummingbird
import PerennialCore
import PerennialIngestion
import PerennialModels
import PerennialReports
import PerennialStorage

/// The read API over the ``ProfileIndex``, and the refresh job.
struct ReadRoutes {
    let store: any ServerStore
    let index: ProfileIndex

    func snapshot() async throws -> Snapshot {
        guard let snapshot = await index.current else { throw APIError.notReady }
        return snapshot
    }

    func customer(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let body = try await index.customerJSON(id) else {
            throw APIError(.notFound, code: "not_found", message: "no customer with this id; list customers with GET /v1/customers", field: "id")
        }
        return APIJSON.response(body)
    }

    func customers(_ request: Request, context: some RequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let query = try CustomerListQuery { parameters.get($0) }
        let snapshot = try await snapshot()
        let page = query.page(profiles: snapshot.report.profiles, predictions: snapshot.predictions)
        return try APIJSON.response(encoding: APIJSON.CustomerPage(
            as_of: Formatting.iso(snapshot.report.asOf), total: page.total,
            customers: page.positions.map { snapshot.json(at: $0) }, next_cursor: page.next?.token))
    }

    func stages(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = try await snapshot()
        let report = snapshot.report
        return try APIJSON.response(encoding: APIJSON.Groups(as_of: Formatting.iso(report.asOf), currency: report.currency.code,
                                                              groups: report.stages.map { ReportJSON.group($0, report.currency) }))
    }

    func segments(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = try await snapshot()
        let report = snapshot.report
        return try APIJSON.response(encoding: APIJSON.Groups(as_of: Formatting.iso(report.asOf), currency: report.currency.code,
                                                              groups: report.segments.map { ReportJSON.group($0, report.currency) }))
    }

    func kpis(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = try await snapshot()
        var report = snapshot.report
        if let text = request.uri.queryParameters.get("as_of") {
            guard let asOf = Self.instant(text, calendar: snapshot.calendar) else {
                throw APIError(.badRequest, code: "bad_request", message: "as_of must be a date (2011-06-01, the start of that day in the store's time zone) or an RFC 3339 instant", field: "as_of")
            }
            var options = AnalysisOptions(asOf: asOf, calendar: snapshot.calendar, stageRules: report.stageRules)
            options.cohortPeriod = .month
            let table = snapshot.table
            report = await Task.detached { LifecycleAnalysis.run(table, options: options) }.value
        }
        let analysis = ReportJSON.analysis(report, source: "database")
        return try APIJSON.response(encoding: APIJSON.KPIs(as_of: analysis.as_of, currency: analysis.currency, kpis: analysis.kpis, monthly: analysis.monthly))
    }

    func cohorts(_ request: Request, context: some RequestContext) async throws -> Response {
        let snapshot = try await snapshot()
        let text = request.uri.queryParameters.get("period") ?? "month"
        guard let period = CalendarPeriod(rawValue: text) else {
            throw APIError(.badRequest, code: "bad_request", message: "period must be month or week", field: "period")
        }
        let table = snapshot.table, asOf = snapshot.report.asOf, calendar = snapshot.calendar
        let matrix = await Task.detached { LifecycleAnalysis.cohorts(table, period: period, asOf: asOf, calendar: calendar) }.value
        return try APIJSON.response(encoding: APIJSON.CohortTable(as_of: Formatting.iso(asOf), cohorts: ReportJSON.cohorts(matrix)))
    }

    func models(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let record = try await store.latestModelRecord() else {
            throw APIError(.notFound, code: "not_found", message: "no model is fitted yet; run perennial fit, or POST /v1/jobs/refresh to fit one")
        }
        let purchase = record.model.purchase
        func parameters(_ fit: FitResult) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: zip(fit.parameterNames, fit.parameters))
        }
        let holdout = record.holdout.map {
            APIJSON.Models.Holdout(customers: $0.customers, holdout_days: $0.holdoutDays, mae: $0.mae, rmse: $0.rmse, bias: $0.bias,
                                   actual_total: $0.actualTotal, predicted_total: $0.predictedTotal,
                                   tracking: $0.tracking.map { .init(week: $0.week, actual: $0.actual, predicted: $0.predicted) })
        }
        return try APIJSON.response(encoding: APIJSON.Models(
            fitted_at: Formatting.iso(record.fittedAt), model: purchase.model, calibration_end: record.model.calibrationEnd,
            time_unit_days: record.model.unitDays, parameters: parameters(purchase), log_likelihood: purchase.logLikelihood,
            customers: purchase.observations, at_boundary: purchase.reachedBoundary,
            spend: record.model.spend.map { .init(model: $0.model, parameters: parameters($0)) }, holdout: holdout))
    }

    func refresh(_ request: Request, context: some RequestContext) async throws -> Response {
        let text = request.uri.queryParameters.get("refit") ?? "true"
        guard text == "true" || text == "false" else {
            throw APIError(.badRequest, code: "bad_request", message: "refit must be true or false", field: "refit")
        }
        let refit = text == "true"
        let result = try await index.refresh(refit: refit)
        return try APIJSON.response(encoding: result)
    }

    /// A date (the start of that day in the store's zone) or an RFC 3339 instant.
    static func instant(_ text: String, calendar: StoreCalendar) -> Int64? {
        if let instant = RFC3339.parse(text) { return instant }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard text.count == 10, parts.count == 3 else { return nil }
        let date = CivilDate(year: parts[0], month: parts[1], day: parts[2])
        guard date.isValid else { return nil }
        return calendar.startOfDay(date.dayNumber)
    }
}
