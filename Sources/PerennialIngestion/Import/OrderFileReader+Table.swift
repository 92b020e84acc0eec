import PerennialCore

extension OrderFileReader {
    /// Reads the whole file into a ``TransactionTable`` for analysis, merging lines into orders.
    ///
    /// The table's currency is the options' currency, or the first valid line's (lines in another
    /// currency are quarantined).
    public func readTable(progress: ((ImportProgress) -> Void)? = nil) throws -> (table: TransactionTable, summary: ImportSummary) {
        var line = OrderLineRecord()
        guard try nextLine(into: &line, progress: progress) else {
            return (TransactionTable(currency: options.currency ?? Currency("USD")), summary)
        }
        var builder = TransactionTableBuilder(currency: line.currency)
        repeat {
            builder.addLine(orderID: line.orderID, customerID: line.customerID, placedAt: line.placedAt,
                            kind: line.kind, amountMinor: line.amountMinor)
        } while try nextLine(into: &line, progress: progress)
        return (builder.build(), summary)
    }
}
