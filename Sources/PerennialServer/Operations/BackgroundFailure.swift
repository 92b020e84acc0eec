import Logging

/// Reports a failed run of background work (a refresh, a campaign tick, an outbox pass, alert
/// evaluation, a live update): one log line with the task and the error — whose description names what
/// failed, never personal data — and one count in `perennial_background_failures_total{task}`. The task
/// runs again on its schedule.
struct BackgroundFailure: Sendable {
    let logger: Logger
    let metrics: ServerMetrics

    func report(_ task: String, _ error: any Error) {
        metrics.backgroundFailure(task)
        logger.error("background task failed", metadata: ["task": .string(task), "error": .string(String(describing: error))])
    }
}
