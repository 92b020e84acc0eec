import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One signed webhook POST, as alerts and campaign messages send them.
///
/// Headers: `X-Perennial-Delivery` (the idempotency key, the same on every attempt; also sent as
/// `Idempotency-Key`), `X-Perennial-Timestamp` (Unix seconds), `X-Perennial-Attempt`, and
/// `X-Perennial-Signature: sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<body>` under the target's secret.
enum WebhookPoster {
    /// `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>`.
    static func signature(secret: String, timestamp: String, body: Data) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + ".").utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Posts once; the status, or `nil` with the reason when there was no answer in `timeout` seconds.
    static func post(_ body: Data, to target: WebhookTarget, id: String, attempt: Int, timeout: Double) async -> (status: Int?, error: String) {
        guard let url = URL(string: target.url) else { return (nil, "the URL \(target.url) is not valid") }
        let timestamp = String(Int64(Date().timeIntervalSince1970))
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(id, forHTTPHeaderField: "X-Perennial-Delivery")
        request.setValue(id, forHTTPHeaderField: "Idempotency-Key")
        request.setValue(timestamp, forHTTPHeaderField: "X-Perennial-Timestamp")
        request.setValue(signature(secret: target.secret, timestamp: timestamp, body: body), forHTTPHeaderField: "X-Perennial-Signature")
        request.setValue("\(attempt)", forHTTPHeaderField: "X-Perennial-Attempt")
        // URLSession's own timeout does not bound a slow answer on Linux: race the request against a timer.
        let box = TaskBox()
        let prepared = request
        return await withTaskGroup(of: (Int?, String).self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let task = URLSession.shared.dataTask(with: prepared) { _, response, error in
                        let status = (response as? HTTPURLResponse)?.statusCode
                        continuation.resume(returning: (status, status.map { "HTTP \($0)" } ?? (error?.localizedDescription ?? "no answer")))
                    }
                    box.set(task)
                    task.resume()
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return (nil, "no answer within \(timeout) s")
            }
            let first = await group.next() ?? (nil, "no answer")
            box.cancel()
            group.cancelAll()
            return first
        }
    }
}

/// Holds a data task so that the timer can cancel it.
private final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?

    func set(_ task: URLSessionDataTask) { lock.withLock { self.task = task } }
    func cancel() { lock.withLock { task }?.cancel() }
}
