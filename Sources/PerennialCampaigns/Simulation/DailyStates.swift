import PerennialCore
import PerennialModels

/// Every customer's stage, segment, churn risk and CLV as of the start of each day of a period: what
/// state triggers, audiences and branch conditions read during a simulation.
struct DailyStates {
    let firstDay: Int
    let days: Int
    let customers: Int
    /// By day, then by customer index (`UInt8.max`: not a customer yet).
    private var stage: [[UInt8]] = []
    private var segment: [[UInt8]] = []
    private var churnRisk: [[Float]] = []
    private var clv: [[Float]] = []
    /// The CLV at each day's percentiles 0…100 (for `min_clv_percentile`).
    private var clvPercentiles: [[Float]] = []

    /// Runs the lifecycle analysis (silence rules) at the start of each day from `firstDay` for `days`
    /// days, and scores the model on the history before each day when there is one.
    init(table: TransactionTable, customerIndex: [String: Int], options: AnalysisOptions, model: FittedModel?,
         firstDay: Int, days: Int, needsModel: Bool) {
        self.firstDay = firstDay
        self.days = days
        customers = customerIndex.count
        let calendar = options.calendar
        for day in firstDay..<(firstDay + days) {
            var dayOptions = options
            dayOptions.asOf = calendar.startOfDay(day)
            dayOptions.probabilityAlive = nil
            let report = LifecycleAnalysis.run(table, options: dayOptions)
            var stages = [UInt8](repeating: .max, count: customers), segments = [UInt8](repeating: .max, count: customers)
            for profile in report.profiles where profile.summary != nil {
                guard let c = customerIndex[profile.customerID] else { continue }
                stages[c] = UInt8(LifecycleStage.allCases.firstIndex(of: profile.stage)!)
                segments[c] = profile.segment.map { UInt8(RFMSegment.allCases.firstIndex(of: $0)!) } ?? .max
            }
            stage.append(stages)
            segment.append(segments)
            var risks = [Float](repeating: .nan, count: customers), values = [Float](repeating: .nan, count: customers)
            if needsModel, let model {
                let scored = StorePredictions(model: model, table: table, calendar: calendar, end: CivilDate(dayNumber: day - 1))
                for (i, prediction) in scored.byCustomer.enumerated() {
                    guard let prediction, let c = customerIndex[table.customerIDs[i]] else { continue }
                    risks[c] = Float(prediction.churnRisk)
                    values[c] = Float(prediction.clv ?? .nan)
                }
            }
            churnRisk.append(risks)
            clv.append(values)
            let sorted = values.filter { !$0.isNaN }.sorted()
            clvPercentiles.append(sorted.isEmpty ? [] : (0...100).map { sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * Double($0) / 100))] })
        }
    }

    private func index(_ day: Int) -> Int? { day >= firstDay && day < firstDay + days ? day - firstDay : nil }

    func stage(_ customer: Int, day: Int) -> LifecycleStage? {
        guard let d = index(day), stage[d][customer] != .max else { return nil }
        return LifecycleStage.allCases[Int(stage[d][customer])]
    }

    func segment(_ customer: Int, day: Int) -> RFMSegment? {
        guard let d = index(day), segment[d][customer] != .max else { return nil }
        return RFMSegment.allCases[Int(segment[d][customer])]
    }

    func churnRisk(_ customer: Int, day: Int) -> Double? {
        guard let d = index(day), !churnRisk[d][customer].isNaN else { return nil }
        return Double(churnRisk[d][customer])
    }

    func clv(_ customer: Int, day: Int) -> Double? {
        guard let d = index(day), !clv[d][customer].isNaN else { return nil }
        return Double(clv[d][customer])
    }

    /// Whether a customer's CLV is at or above a percentile of the day's CLVs.
    func clvAtLeast(percentile: Double, _ customer: Int, day: Int) -> Bool {
        guard let d = index(day), let value = clv(customer, day: day), !clvPercentiles[d].isEmpty else { return false }
        return Float(value) >= clvPercentiles[d][min(100, max(0, Int(percentile.rounded())))]
    }
}
