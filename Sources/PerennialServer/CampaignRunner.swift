import Crypto
import Foundation
import Logging
import PerennialCampaigns
import PerennialCore
import PerennialStorage

/// Runs the stored campaigns live: each tick replays the last `lookback` of the recorded history
/// through them (the same ``Simulator`` that `campaigns simulate` uses, so live and simulated decisions
/// agree) and puts every message and coupon due since the previous tick into the outbox.
///
/// State lives in the history and the outbox, not in the runner: a message's id is derived from the
/// campaign, the customer, the step and the instant, so a replay that decides the same thing again
/// finds it already in the outbox and adds nothing, and a restart loses nothing. Every decision due in
/// the window (entries, sends, quiet-hours deferrals, suppressions with their reason) is recorded in
/// the store under the same kind of id. Tag steps add the tag to the customer in the store at once.
///
/// The replay reaches back `lookback` (60 days by default), or further when a campaign's journey is
/// longer: its longest path of waits plus a day, so a step due at the end of a 90-day wait is still
/// followed from the entry that started it.
public actor CampaignRunner {
    let store: any PerennialStore
    let lookback: Int64
    let logger: Logger

    public init(store: any PerennialStore, lookbackDays: Int = 60, logger: Logger = Logger(label: "perennial")) {
        self.store = store
        lookback = Int64(lookbackDays) * 86_400
        self.logger = logger
    }

    /// What a tick did.
    public struct Tick: Sendable, Equatable {
        public var due = 0
        public var enqueued = 0
        /// Decisions newly recorded (entries, sends, deferrals and suppressions).
        public var decisions = 0
        /// Tags newly added to customers.
        public var tags = 0
    }

    /// Replays up to `now` and enqueues what became due after the stored cursor (on the first tick
    /// the cursor is `now`: campaigns act from when they start running, not on the past).
    @discardableResult
    public func tick(now: Int64 = Int64(Date().timeIntervalSince1970)) async throws -> Tick {
        let campaigns = try await CampaignRegistry.campaigns(in: store).filter(\.active)
        guard !campaigns.isEmpty else { return Tick() }
        guard let cursor = try await store.campaignCursor() else {
            try await store.advanceCampaignCursor(to: now)
            return Tick()
        }
        var tick = Tick()
        if let table = try await store.loadTransactions() {
            let lookback = max(self.lookback, (campaigns.map(\.longestJourney.seconds).max() ?? 0) + 86_400)
            let zone = try await store.setting("timezone") ?? "UTC"
            let calendar = StoreCalendar(identifier: zone) ?? .utc
            let histories = try await CampaignHistoryLoader.load(store, table: table)
            let replay = Simulator(campaigns: campaigns, policy: ContactPolicy(defaultTimeZone: zone))
                .replay(histories: histories, channels: try await store.acquisitionChannels(), options: AnalysisOptions(calendar: calendar),
                        model: try await store.latestModelRecord()?.model, from: now - lookback, to: now + 1, currency: table.currency)
            var messages: [OutboxMessage] = []
            var tags: [CustomerTag] = []
            for action in replay.sent where action.at > cursor && action.at <= now {
                tick.due += 1
                if case let .tag(tag) = action.action { tags.append(CustomerTag(customerID: action.customerID, tag: tag)) }
                if let message = Self.message(for: action, now: now) { messages.append(message) }
            }
            let decisions = replay.decisions.filter { $0.at > cursor && $0.at <= now }.map { Self.record($0, now: now) }
            tick.decisions = try await store.recordDecisions(decisions)
            tick.enqueued = try await store.enqueue(messages)
            tick.tags = try await store.addTags(tags, at: now)
        }
        try await store.advanceCampaignCursor(to: now)
        if tick.enqueued > 0 { logger.info("campaign messages enqueued", metadata: ["count": .stringConvertible(tick.enqueued)]) }
        return tick
    }

    /// The outbox id of an action: the same whenever the same decision is made again (its decision's id).
    public static func messageID(_ action: PlannedAction) -> String { "\(action.campaignID):\(action.customerID):\(action.step):\(action.at)" }

    /// A replay's decision as the store keeps it.
    static func record(_ decision: JourneyDecision, now: Int64) -> DecisionRecord {
        DecisionRecord(id: decision.id, campaignID: decision.campaignID, customerID: decision.customerID, step: decision.step, decidedAt: decision.at,
                       outcome: decision.outcome.name, reason: decision.outcome.reason, action: decision.actionKind, channel: decision.channel?.rawValue,
                       recordedAt: now)
    }

    /// The code a coupon action is issued with.
    public static func couponCode(_ action: PlannedAction) -> String? {
        guard case let .coupon(coupon) = action.action else { return nil }
        return couponCode(prefix: coupon.codePrefix, id: messageID(action))
    }

    /// The outbox message of a message or coupon action (`nil` for a tag).
    static func message(for action: PlannedAction, now: Int64) -> OutboxMessage? {
        let id = messageID(action)
        var payload: [String: Any] = ["message_id": id, "campaign_id": action.campaignID, "customer_id": action.customerID, "step": action.step,
                                      "due_at": action.at]
        let message: Message
        switch action.action {
        case let .message(m): message = m
        case let .coupon(coupon):
            message = coupon.message
            var offer: [String: Any] = ["code": couponCode(prefix: coupon.codePrefix, id: id), "min_spend": coupon.minimumSpend,
                                        "expires_at": action.at + coupon.expiresIn.seconds]
            if let amount = coupon.amountOff { offer["amount_off"] = amount }
            if let percent = coupon.percentOff { offer["percent_off"] = percent }
            payload["coupon"] = offer
        case .tag: return nil
        }
        payload["channel"] = message.channel.rawValue
        payload["template"] = message.template
        payload["transactional"] = message.transactional
        let body = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return OutboxMessage(id: id, campaignID: action.campaignID, customerID: action.customerID, channel: message.channel.rawValue,
                             payload: body, createdAt: now)
    }

    /// A coupon code that is the same on every replay: the prefix and 8 characters of the message id's SHA-256.
    public static func couponCode(prefix: String, id: String) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let digest = SHA256.hash(data: Data(id.utf8)).prefix(8)
        return prefix + "-" + String(digest.map { alphabet[Int($0) % alphabet.count] })
    }
}
