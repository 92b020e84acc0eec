import Foundation
import PerennialCampaigns
import PerennialCore
import PerennialStorage

/// Reads what a campaign simulation replays from a store: every customer's orders (with skus and the
/// coupon codes their order events carried), other events (review ratings) and consent changes.
public enum CampaignHistoryLoader {
    /// Every customer's history, for a simulation or the live runner.
    public static func load(_ store: any PerennialStore, table: TransactionTable) async throws -> [CustomerHistory] {
        let timeZone = try await store.setting("timezone")
        var histories: [CustomerHistory] = []
        histories.reserveCapacity(table.customerCount)
        for id in table.customerIDs {
            let events = try await store.recentEvents(ofCustomer: id, limit: 100_000)
            var coupons: [String: String] = [:]
            var other: [CustomerHistory.Event] = []
            var consent: [CustomerHistory.ConsentChange] = []
            for event in events {
                let fields = (try? JSONSerialization.jsonObject(with: Data(event.fieldsJSON.utf8))) as? [String: Any] ?? [:]
                switch event.type {
                case "order":
                    if let order = fields["order_id"] as? String, let code = fields["coupon_code"] as? String { coupons[order] = code }
                case "consent":
                    // Stored as {"channel": "sms", "status": "granted" | "withdrawn"}.
                    if let channel = (fields["channel"] as? String).flatMap(MessageChannel.init(rawValue:)), let status = fields["status"] as? String {
                        consent.append(.init(at: event.occurredAt, channel: channel, granted: status == "granted"))
                    }
                default:
                    other.append(.init(at: event.occurredAt, type: event.type, rating: (fields["rating"] as? NSNumber)?.intValue))
                }
            }
            let orders = try await store.orders(ofCustomer: id).map { order in
                CustomerHistory.Order(at: order.placedAt, kind: order.kind, amountMinor: order.amountMinor, couponCode: coupons[order.id],
                                      skus: order.lines.filter(\.isProduct).map(\.sku))
            }
            histories.append(CustomerHistory(id: id, orders: orders, events: other, consent: consent, timeZone: timeZone))
        }
        return histories
    }
}
