/// Numbers the lines of an import so that re-importing a file finds every line already stored.
///
/// A line's key is (order id, n) where n counts the lines of that order in the order they arrive,
/// including lines of the order that arrive later in the file, apart from the first run.
struct LineNumbering {
    private var counters: [String: Int32] = [:]
    private var lastOrder = ""
    private var lastNumber: Int32 = -1

    /// The number of the next line of `orderID`, and whether it starts a new run of that order's lines.
    mutating func next(_ orderID: String) -> (number: Int32, startsRun: Bool) {
        if lastNumber >= 0 && orderID == lastOrder {
            lastNumber += 1
            return (lastNumber, false)
        }
        if lastNumber >= 0 { counters[lastOrder] = lastNumber + 1 }
        lastOrder = orderID
        lastNumber = counters[orderID] ?? 0
        return (lastNumber, true)
    }
}
