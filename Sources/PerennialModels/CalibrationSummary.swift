import PerennialCore

/// Per-customer model inputs from an order history: repeat purchases, recency and age within a
/// calibration period, average repeat spend, and purchases in the holdout period after it.
///
/// The rules follow lifetimes' `summary_data_from_transaction_data` with daily periods, so both tools
/// read the same numbers from the same log: purchase orders are grouped into purchase days (store time
/// zone); `frequency` = purchase days in the calibration period − 1; `recency` = last − first purchase
/// day; `age` (T) = calibration end − first purchase day, all divided by the time unit (7 for weeks);
/// `averageSpend` = mean daily purchase amount over the repeat purchase days (the first day excluded),
/// in major units; `holdoutPurchases` = purchase days after the calibration end up to the holdout end.
/// Customers whose first purchase is after the calibration end are left out.
public struct CalibrationSummary: Sendable {
    /// Customer index (into the table) of each row.
    public var customers: [Int32] = []
    /// Repeat purchases x.
    public var frequency: [Double] = []
    /// Recency t_x, in time units.
    public var recency: [Double] = []
    /// Age T, in time units.
    public var age: [Double] = []
    /// Mean daily spend over repeat purchase days (0 without repeat purchases), major units.
    public var averageSpend: [Double] = []
    /// Purchase days in the holdout period.
    public var holdoutPurchases: [Double] = []
    /// Days from the last calibration purchase to the calibration end.
    public var daysSilent: [Int] = []
    /// The gaps between consecutive calibration purchase days (`nil` with one purchase day).
    public var cadence: [PurchaseCadence?] = []
    /// Every holdout purchase day as days after the calibration end (1 = the first holdout day), for
    /// tracking series.
    public var holdoutDayOffsets: [Int] = []
    /// Days in the holdout period (0 without one).
    public var holdoutLength = 0

    /// The rows as collapsed model input.
    public var histories: PurchaseHistories { PurchaseHistories(frequency: frequency, recency: recency, age: age) }

    /// Summarises a table.
    /// - Parameters:
    ///   - calibrationEnd: the last day of the calibration period (inclusive), in the store's calendar.
    ///   - holdoutEnd: the last day of the holdout period (inclusive); `nil` for none.
    ///   - unitDays: days per model time unit (7 for weeks, 1 for days).
    /// - Complexity: O(orders).
    public init(table: TransactionTable, calibrationEnd: CivilDate, holdoutEnd: CivilDate? = nil,
                calendar: StoreCalendar = .utc, unitDays: Double = 7) {
        let endDay = calibrationEnd.dayNumber
        let holdoutDay = holdoutEnd?.dayNumber ?? endDay
        holdoutLength = max(0, holdoutDay - endDay)
        // Purchase orders by customer, as (day, amount), in time order.
        var orders = [[(day: Int, amount: Int64)]](repeating: [], count: table.customerCount)
        let sorted = (0..<table.orderCount).filter { table.orderKind[$0] == .purchase && table.orderCustomer[$0] >= 0 }
            .sorted { (table.orderTime[$0], $0) < (table.orderTime[$1], $1) }
        for index in sorted {
            let day = calendar.dayNumber(of: table.orderTime[index])
            guard day <= holdoutDay else { continue }
            orders[Int(table.orderCustomer[index])].append((day, table.orderAmount[index]))
        }
        let minorPerMajor = Double(table.currency.minorPerMajor)
        for customer in 0..<table.customerCount {
            let history = orders[customer]
            guard let first = history.first?.day, first <= endDay else { continue }
            var days = 0, lastDay = first, holdout = 0
            var gaps: [Int] = []
            var repeatSpend: Int64 = 0, currentDay = Int.min, currentAmount: Int64 = 0
            var repeatDays = 0
            func closeDay() {
                if currentDay != Int.min && currentDay != first && currentDay <= endDay {
                    repeatSpend = repeatSpend.clampedAdding(currentAmount)
                    repeatDays += 1
                }
            }
            for (day, amount) in history {
                if day != currentDay {
                    closeDay()
                    currentDay = day
                    currentAmount = 0
                    if day <= endDay {
                        if days > 0 { gaps.append(day - lastDay) }
                        days += 1
                        lastDay = day
                    } else {
                        holdout += 1
                        holdoutDayOffsets.append(day - endDay)
                    }
                }
                currentAmount = currentAmount.clampedAdding(amount)
            }
            closeDay()
            customers.append(Int32(customer))
            frequency.append(Double(days - 1))
            recency.append(Double(lastDay - first) / unitDays)
            age.append(Double(endDay - first) / unitDays)
            averageSpend.append(repeatDays == 0 ? 0 : Double(repeatSpend) / Double(repeatDays) / minorPerMajor)
            holdoutPurchases.append(Double(holdout))
            daysSilent.append(endDay - lastDay)
            cadence.append(PurchaseCadence(gaps: gaps))
        }
    }
}
