/// A binary min-heap of elements ordered by a key: the simulation's queue of timed tasks.
struct MinHeap<Key: Comparable, Element> {
    private var items: [(key: Key, element: Element)] = []

    var isEmpty: Bool { items.isEmpty }
    var minimumKey: Key? { items.first?.key }

    mutating func push(_ element: Element, key: Key) {
        items.append((key, element))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].key < items[parent].key else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (key: Key, element: Element)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left].key < items[smallest].key { smallest = left }
            if right < items.count && items[right].key < items[smallest].key { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}

/// A queue key: the instant, then the order of scheduling.
struct TimedKey: Comparable {
    var at: Int64
    var order: Int
    static func < (a: TimedKey, b: TimedKey) -> Bool { (a.at, a.order) < (b.at, b.order) }
}
