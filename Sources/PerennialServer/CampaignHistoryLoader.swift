import Foundation
import PerennialCampaigns
import PerennialCore
import PerennialStorage

/// Reads what a campaign simulation replays from a store: every customer's orders (with skus and the
/// coupon codes their order events carried), other events (review ratings), consent changes, and the
/// birthday month and time zone of their latest `profile` events — in two whole-store reads, not one
/// per customer.
public enum CampaignHistoryLoader {
    /// Every customer's history, for a simulation or the live runner.
    public static func load(_ store: any PerennialStore, table: TransactionTable) async throws -> [CustomerHistory] {
        let timeZone = try await store.setting("timezone")
        let orders = try await store.orderRecords()
        let events = try await store.otherEvents()
        return table.customerIDs.map { id in
            history(id: id, orders: orders[id] ?? [], events: events[id] ?? [], timeZone: timeZone)
        }
    }

    /// One customer's history from their stored orders and other events.
    static func history(id: String, orders: [OrderRecord], events: [StoredEvent], timeZone: String?) -> CustomerHistory {
        var other: [CustomerHistory.Event] = []
        var consent: [CustomerHistory.ConsentChange] = []
        var timeZone = timeZone
        var birthMonth: Int?
        for event in events {
            let fields = (try? JSONSerialization.jsonObject(with: Data(event.fieldsJSON.utf8))) as? [String: Any] ?? [:]
            if event.type == "profile" {
                // Stored as {"birthday": "MM-DD", "time_zone": "Asia/Shanghai"}; the latest names win.
                if let birthday = fields["birthday"] as? String, let month = Int(birthday.prefix(2)) { birthMonth = month }
                if let zone = fields["time_zone"] as? String { timeZone = zone }
            } else if event.type == "consent" {
                // Stored as {"channel": "sms", "status": "granted" | "withdrawn"}.
                if let channel = (fields["channel"] as? String).flatMap(MessageChannel.init(rawValue:)), let status = fields["status"] as? String {
                    consent.append(.init(at: event.occurredAt, channel: channel, granted: status == "granted"))
                }
            } else {
                other.append(.init(at: event.occurredAt, type: event.type, rating: (fields["rating"] as? NSNumber)?.intValue))
            }
        }
        let orders = orders.map { CustomerHistory.Order(at: $0.placedAt, kind: $0.kind, amountMinor: $0.amountMinor, couponCode: $0.couponCode, skus: $0.skus) }
        return CustomerHistory(id: id, orders: orders, events: other, consent: consent, timeZone: timeZone, birthMonth: birthMonth)
    }
}
