/// One item's neighbour: another item bought by the same customers.
public struct Neighbour: Sendable, Hashable {
    /// The neighbour's item index.
    public var item: Int32
    /// Customers who bought both.
    public var together: Int32
    /// Cosine similarity with shrinkage: `together / (√(nᵢ nⱼ) + shrink)`.
    public var cosine: Float
    /// Lift: `together × customers / (nᵢ nⱼ)`; above 1, bought together more often than by chance.
    public var lift: Float
}

/// Item-item co-purchase similarity over customers ("customers who bought this also bought"): for each
/// item its nearest neighbours by cosine with shrinkage (Sarwar et al., "Item-based collaborative
/// filtering recommendation algorithms", WWW 2001, §3.1.1; the shrinkage of Bell & Koren 2007), with the
/// lift and the number of customers who bought both.
public struct ItemSimilarity: Sendable {
    /// Neighbours kept per item.
    public let neighboursPerItem: Int
    /// The shrinkage added to the cosine denominator; damps pairs seen by few customers.
    public let shrink: Float
    /// Each item's neighbours, most similar first (ties by item index).
    public let neighbours: [[Neighbour]]
    /// Customers who bought each item.
    public let buyers: [Int]

    /// Computes the neighbour lists from who bought what (any positive cell counts once).
    /// - Complexity: O(Σ over customers of items² + items × neighbours log neighbours), split over threads.
    public init(_ matrix: SparseMatrix, neighboursPerItem: Int = 100, shrink: Float = 10, threads: Int = 2) {
        let byItem = matrix.transposed()
        let itemCount = matrix.columnCount
        let buyers = (0..<itemCount).map { byItem.row($0).count }
        let customers = Float(matrix.rows)
        let chunks = max(1, min(itemCount, max(1, threads) * 8))
        var lists = [[Neighbour]](repeating: [], count: itemCount)
        let keep = neighboursPerItem
        lists.withUnsafeMutableBufferPointer { out in
            let out = out
            let work = { (chunk: Int) in
                var together = [Int32](repeating: 0, count: itemCount)
                var touched: [Int32] = []
                together.withUnsafeMutableBufferPointer { counts in
                    for i in (chunk * itemCount / chunks)..<((chunk + 1) * itemCount / chunks) {
                        touched.removeAll(keepingCapacity: true)
                        for e in byItem.row(i) {
                            let u = Int(byItem.columns[e])
                            for f in matrix.row(u) {
                                let j = Int(matrix.columns[f])
                                if counts[j] == 0 { touched.append(Int32(j)) }
                                counts[j] += 1
                            }
                        }
                        counts[i] = 0
                        // Keep the best `keep` by cosine (ties to the lower index) without sorting them all.
                        let ni = Float(buyers[i])
                        var top = TopK(k: keep)
                        for j in touched where Int(j) != i {
                            let both = counts[Int(j)]
                            top.offer(Int(j), Float(both) / ((ni * Float(buyers[Int(j)])).squareRoot() + shrink))
                        }
                        out[i] = top.entries.map { entry in
                            let both = counts[entry.item], nj = Float(buyers[entry.item])
                            return Neighbour(item: Int32(entry.item), together: both, cosine: entry.score,
                                             lift: Float(both) * customers / (ni * nj))
                        }
                        for j in touched { counts[Int(j)] = 0 }
                    }
                }
            }
            Parallel.forEach(chunks, threads: threads, work)
        }
        self.neighboursPerItem = neighboursPerItem
        self.shrink = shrink
        self.neighbours = lists
        self.buyers = buyers
    }

    /// Creates similarity lists from stored parts.
    public init(neighboursPerItem: Int, shrink: Float, neighbours: [[Neighbour]], buyers: [Int]) {
        self.neighboursPerItem = neighboursPerItem
        self.shrink = shrink
        self.neighbours = neighbours
        self.buyers = buyers
    }
}
