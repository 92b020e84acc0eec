// The store's side of durable ingest, without HTTP: `EventStore.record` on batches of new orders, as
// POST /v1/events calls it, then the live profile reads (`orderFacts`) for the batch's customers.
//
//   perennial-bench-ingest DATABASE [batches] [batch size]     (DATABASE: a SQLite file or a postgres:// URL)
//
// The database should hold a store (the benchmark spreads orders over customers 12346…16345, Online
// Retail's ids). Prints the median rate of record() alone and of record() plus the profile reads.
import Foundation
import PerennialCore
import PerennialStorage

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: perennial-bench-ingest DATABASE [batches] [batch size]\n".utf8))
    exit(2)
}
let batches = arguments.count > 2 ? Int(arguments[2]) ?? 40 : 40
let size = arguments.count > 3 ? Int(arguments[3]) ?? 500 : 500
let store = try await StoreLocation.open(arguments[1], durable: true)
let run = UUID().uuidString.prefix(8)

func batch(_ number: Int) -> [CustomerEvent] {
    (0..<size).map { i in
        let id = "b-\(run)-\(number)-\(i)"
        let customer = String(12346 + Int.random(in: 0..<4000))
        let line = OrderLine(sku: "22423", quantity: 2, unitPriceMillis: 12_750, amountMinor: 2_550)
        let order = Order(id: id, customerID: customer, placedAt: 1_323_432_000, kind: .purchase, currency: Currency("GBP"),
                          channel: Channel(rawValue: "web"), lines: [line])
        return CustomerEvent(id: id, customerID: customer, occurredAt: 1_323_432_000, payload: .order(order, couponCode: nil))
    }
}

var recordRates: [Double] = []
var totalRates: [Double] = []
let clock = ContinuousClock()
for number in 0..<batches {
    let events = batch(number)
    let start = clock.now
    let report = try await store.record(events, receivedAt: 1_323_432_000)
    let recorded = clock.now
    let facts = try await store.orderFacts(ofCustomers: Array(report.customers.keys))
    let done = clock.now
    precondition(facts.count == report.customers.count)
    recordRates.append(Double(size) / (recorded - start).seconds)
    totalRates.append(Double(size) / (done - start).seconds)
}

// Four batches at a time, as four concurrent requests would send them (SQLite commits them together).
var concurrentRates: [Double] = []
for round in 0..<(batches / 4) {
    let group = (0..<4).map { batch(10_000 + round * 4 + $0) }
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        for events in group { tasks.addTask { _ = try await store.record(events, receivedAt: 1_323_432_000) } }
        try await tasks.waitForAll()
    }
    concurrentRates.append(Double(4 * size) / (clock.now - start).seconds)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
print("record: median \(Int(median(recordRates))) events/s; record + profile reads: median \(Int(median(totalRates))) events/s (\(batches) batches of \(size)); record, 4 batches at once: median \(Int(median(concurrentRates))) events/s")
