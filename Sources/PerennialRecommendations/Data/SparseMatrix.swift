/// A compressed-sparse-row matrix of `Float`: row `r`'s entries are `columns[rowStart[r]..<rowStart[r+1]]`
/// (ascending) with `values` alongside.
public struct SparseMatrix: Sendable, Hashable {
    /// Number of rows.
    public var rows: Int
    /// Number of columns.
    public var columnCount: Int
    /// Where each row starts in `columns` and `values`; `rows + 1` entries.
    public var rowStart: [Int]
    /// Column of each stored entry.
    public var columns: [Int32]
    /// Value of each stored entry.
    public var values: [Float]

    /// Creates a matrix from its parts; `rowStart` has `rows + 1` ascending offsets.
    public init(rows: Int, columnCount: Int, rowStart: [Int], columns: [Int32], values: [Float]) {
        precondition(rowStart.count == rows + 1 && columns.count == values.count && rowStart.last == columns.count)
        self.rows = rows
        self.columnCount = columnCount
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }

    /// Builds a matrix from `(row, column, value)` triples; duplicates are summed.
    public init(rows: Int, columnCount: Int, triples: [(row: Int, column: Int, value: Float)]) {
        let sorted = triples.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        var rowStart = [Int](repeating: 0, count: rows + 1)
        var columns: [Int32] = [], values: [Float] = []
        columns.reserveCapacity(sorted.count)
        values.reserveCapacity(sorted.count)
        var last: (Int, Int)? = nil
        for t in sorted {
            if let l = last, l == (t.row, t.column) {
                values[values.count - 1] += t.value
                continue
            }
            columns.append(Int32(t.column))
            values.append(t.value)
            rowStart[t.row + 1] += 1
            last = (t.row, t.column)
        }
        for r in 0..<rows { rowStart[r + 1] += rowStart[r] }
        self.init(rows: rows, columnCount: columnCount, rowStart: rowStart, columns: columns, values: values)
    }

    /// Stored entries.
    public var entryCount: Int { columns.count }

    /// The entries of one row.
    public func row(_ r: Int) -> Range<Int> { rowStart[r]..<rowStart[r + 1] }

    /// The value at `(r, c)`, zero when not stored. - Complexity: O(log entries in the row).
    public func value(_ r: Int, _ c: Int) -> Float {
        var lo = rowStart[r], hi = rowStart[r + 1]
        let target = Int32(c)
        while lo < hi {
            let mid = (lo + hi) / 2
            if columns[mid] < target { lo = mid + 1 } else { hi = mid }
        }
        return lo < rowStart[r + 1] && columns[lo] == target ? values[lo] : 0
    }

    /// The transpose (columns become rows), rows still ascending. - Complexity: O(entries + rows + columns).
    public func transposed() -> SparseMatrix {
        var start = [Int](repeating: 0, count: columnCount + 1)
        for c in columns { start[Int(c) + 1] += 1 }
        for c in 0..<columnCount { start[c + 1] += start[c] }
        var next = start
        var newColumns = [Int32](repeating: 0, count: entryCount)
        var newValues = [Float](repeating: 0, count: entryCount)
        for r in 0..<rows {
            for k in row(r) {
                let c = Int(columns[k])
                newColumns[next[c]] = Int32(r)
                newValues[next[c]] = values[k]
                next[c] += 1
            }
        }
        return SparseMatrix(rows: columnCount, columnCount: rows, rowStart: start, columns: newColumns, values: newValues)
    }

    /// The same pattern with each value replaced.
    public func mapValues(_ transform: (Float) -> Float) -> SparseMatrix {
        var copy = self
        copy.values = values.map(transform)
        return copy
    }

    /// Number of stored entries in each column.
    public func columnCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: columnCount)
        for c in columns { counts[Int(c)] += 1 }
        return counts
    }
}
