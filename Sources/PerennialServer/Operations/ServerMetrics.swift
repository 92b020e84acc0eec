import Foundation
import Prometheus

/// The server's Prometheus metrics (`GET /metrics`): requests and latency by route, events by
/// outcome, profile update lag, refresh durations and sizes. One registry per application, so two
/// servers in one process (tests) keep their own figures.
public final class ServerMetrics: @unchecked Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    private let lock = NSLock()
    private var requestCounters: [String: Counter] = [:]
    private var latencies: [String: DurationHistogram] = [:]
    private let eventCounters: [String: Counter]
    private let failureCounters: [String: Counter]
    /// The background tasks whose failures are counted.
    static let backgroundTasks = ["refresh", "campaigns", "outbox", "alerts", "live_updates"]
    /// Seconds from an event's commit to its customer's profile update.
    let profileLag: ValueHistogram
    /// Seconds a whole-store refresh took.
    let refreshDuration: ValueHistogram
    /// Customers in the index after the last refresh.
    let customers: Gauge

    static let latencyBuckets: [Duration] = [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                             .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                             .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5)]

    /// A fresh registry with every collector.
    public init() {
        var events: [String: Counter] = [:]
        for status in ["accepted", "duplicate", "rejected"] {
            events[status] = registry.makeCounter(descriptor: .init(namespace: "perennial", subsystem: "events", metricName: "ingested", unitName: "total",
                                                                    helpText: "Events received by outcome: accepted, duplicate (replays) or rejected"),
                                                  labels: [("status", status)])
        }
        eventCounters = events
        var failures: [String: Counter] = [:]
        for task in Self.backgroundTasks {
            failures[task] = registry.makeCounter(descriptor: .init(namespace: "perennial", subsystem: "background", metricName: "failures", unitName: "total",
                                                                    helpText: "Failed runs of background work by task; the log has each error"),
                                                  labels: [("task", task)])
        }
        failureCounters = failures
        profileLag = registry.makeValueHistogram(
            descriptor: .init(namespace: "perennial", subsystem: "profile", metricName: "update_lag", unitName: "seconds",
                              helpText: "Time from an event's commit to its customer's profile update"),
            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5])
        refreshDuration = registry.makeValueHistogram(
            descriptor: .init(namespace: "perennial", subsystem: "refresh", metricName: "duration", unitName: "seconds",
                              helpText: "Time a whole-store refresh (reload, refit, re-analysis) took"),
            buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120])
        customers = registry.makeGauge(descriptor: .init(namespace: "perennial", metricName: "customers", helpText: "Customers in the profile index"))
    }

    /// Counts a failed run of a background task (one of ``backgroundTasks``).
    func backgroundFailure(_ task: String) {
        failureCounters[task]?.increment()
    }

    /// Counts a request and records its latency.
    func request(route: String, method: String, status: Int, nanoseconds: Int64) {
        let key = "\(method) \(route) \(status)"
        let latencyKey = "\(method) \(route)"
        let (counter, histogram): (Counter, DurationHistogram) = lock.withLock {
            if requestCounters[key] == nil {
                requestCounters[key] = registry.makeCounter(
                    descriptor: .init(namespace: "perennial", subsystem: "http", metricName: "requests", unitName: "total",
                                      helpText: "HTTP requests by route, method and status"),
                    labels: [("route", route), ("method", method), ("status", String(status))])
            }
            if latencies[latencyKey] == nil {
                latencies[latencyKey] = registry.makeDurationHistogram(
                    descriptor: .init(namespace: "perennial", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                                      helpText: "HTTP request latency by route and method"),
                    labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets)
            }
            return (requestCounters[key]!, latencies[latencyKey]!)
        }
        counter.increment()
        histogram.recordNanoseconds(nanoseconds)
    }

    /// Counts events by outcome.
    func events(accepted: Int, duplicates: Int, rejected: Int) {
        if accepted > 0 { eventCounters["accepted"]!.increment(by: Int64(accepted)) }
        if duplicates > 0 { eventCounters["duplicate"]!.increment(by: Int64(duplicates)) }
        if rejected > 0 { eventCounters["rejected"]!.increment(by: Int64(rejected)) }
    }

    /// The exposition text.
    public func render() -> String { registry.emitToString() }
}
