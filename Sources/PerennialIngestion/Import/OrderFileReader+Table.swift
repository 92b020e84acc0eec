import PerennialCore

extension OrderFileReader {
    /// Reads the whole file into a ``TransactionTable`` for analysis, merging lines into orders.
    ///
    /// The table's currency is the options' currency, or the first valid line's (lines in another
    /// currency are quarantined).
    public func readTable(progress: ((ImportProgress) -> Void)? = nil) throws -> (table: TransactionTable, summary: ImportSummary) {
        var builder: TransactionTableBuilder?
        let summary = try read(progress: progress) { line in
            if builder == nil { builder = TransactionTableBuilder(currency: line.currency) }
            builder!.addLine(orderID: line.orderID, customerID: line.customerID, placedAt: line.placedAt,
                             kind: line.kind, amountMinor: line.amountMinor)
        }
        let table = builder?.build() ?? TransactionTable(currency: options.currency ?? Currency("USD"))
        return (table, summary)
    }
}
