import PerennialCore

/// Why one event was refused: the field (a path inside the event, such as `lines[0].quantity`) and a
/// reason that says how to fix it.
public struct EventRejection: Error, Sendable, Hashable {
    /// The offending field, relative to the event object.
    public var field: String
    /// What was wrong and what to send instead.
    public var reason: String

    /// Creates a rejection.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}

/// Reads events from parsed JSON: the fixed envelope (`event_id`, `type`, `customer_id`, `timestamp`)
/// and each type's fields at the top level (README, "Events"). Pure: values in, values out.
///
/// ```swift
/// let event = try EventDecoder().decode(JSONParser.parse(line))
/// ```
public struct EventDecoder: Sendable {
    /// Events later than this instant plus one day are refused as clock errors (`nil`: no check).
    public var now: Int64?
    /// The longest id (event, customer, order, sku) accepted, in characters.
    public static let maxIDLength = 128
    /// The longest free text (review, comment) accepted, in characters.
    public static let maxTextLength = 4_000
    /// The most lines an order may have.
    public static let maxLines = 1_000

    /// The reason an amount beyond ``Money/maximumMinorUnits`` is rejected with.
    static let tooLarge = "is beyond the largest amount perennial accepts (10^15 minor units, e.g. 10,000,000,000,000.00); check the number and its decimal separator"
    /// Consent channels.
    public static let consentChannels = ["email", "sms", "push", "wechat", "phone", "mail"]

    /// A decoder; pass `now` to refuse events dated in the future.
    public init(now: Int64? = nil) {
        self.now = now
    }

    /// The event id of an event object, when it has a readable one (to label a rejection).
    public static func eventID(_ value: JSONValue) -> String? {
        guard case .object(let members) = value, case .string(let id)? = members["event_id"] else { return nil }
        return id
    }

    /// Decodes one event object.
    public func decode(_ value: JSONValue) throws(EventRejection) -> CustomerEvent {
        guard case .object(let members) = value else {
            throw EventRejection(field: "$", reason: "an event must be a JSON object, not \(value.typeName)")
        }
        let fields = Fields(members: members)
        let id = try fields.identifier("event_id")
        let type = try fields.string("type")
        guard EventPayload.typeNames.contains(type) else {
            throw EventRejection(field: "type", reason: "unknown event type '\(type.prefix(40))'; the types are \(EventPayload.typeNames.joined(separator: ", "))")
        }
        let customer = try fields.identifier("customer_id")
        let timestamp = try fields.string("timestamp")
        guard let instant = RFC3339.parse(timestamp) else {
            throw EventRejection(field: "timestamp", reason: "'\(timestamp.prefix(40))' is not an RFC 3339 instant such as 2011-12-10T10:00:00Z or 2011-12-10T18:00:00+08:00")
        }
        if let now, instant > now + 86_400 {
            throw EventRejection(field: "timestamp", reason: "\(timestamp) is more than a day in the future; check the sender's clock and time zone")
        }
        return CustomerEvent(id: id, customerID: customer, occurredAt: instant,
                             payload: try payload(type, fields, customer: customer, at: instant))
    }

    private func payload(_ type: String, _ fields: Fields, customer: String, at instant: Int64) throws(EventRejection) -> EventPayload {
        switch type {
        case "order":
            return try order(fields, customer: customer, at: instant)
        case "order_cancelled":
            return .orderCancelled(orderID: try fields.identifier("order_id"), reason: try fields.optionalText("reason"))
        case "refund":
            let currency = try fields.currency("currency")
            let amount = try fields.millis("amount")
            guard amount > 0 else { throw EventRejection(field: "amount", reason: "a refund amount must be positive (the money returned)") }
            guard let refunded = Money.lineAmount(quantity: 1, unitPriceMillis: amount, currency: currency) else {
                throw EventRejection(field: "amount", reason: Self.tooLarge)
            }
            return .refund(orderID: try fields.identifier("order_id"),
                           amountMinor: refunded,
                           currency: currency, reason: try fields.optionalText("reason"))
        case "signup":
            return .signup(channel: try fields.optionalIdentifier("channel"))
        case "page_view":
            return .pageView(url: try fields.optionalText("url"))
        case "product_view":
            return .productView(sku: try fields.identifier("sku"))
        case "add_to_cart":
            let quantity = try fields.optionalInteger("quantity") ?? 1
            guard quantity > 0 else { throw EventRejection(field: "quantity", reason: "quantity must be a positive whole number") }
            return .addToCart(sku: try fields.identifier("sku"), quantity: quantity)
        case "review":
            let rating = try fields.integer("rating")
            guard (1...5).contains(rating) else { throw EventRejection(field: "rating", reason: "rating must be a whole number from 1 to 5 (got \(rating))") }
            return .review(sku: try fields.optionalIdentifier("sku"), rating: Int(rating), text: try fields.optionalText("text"))
        case "support_ticket":
            return .supportTicket(ticketID: try fields.optionalIdentifier("ticket_id"), category: try fields.optionalIdentifier("category"))
        case "nps":
            let score = try fields.integer("score")
            guard (0...10).contains(score) else { throw EventRejection(field: "score", reason: "an NPS score is a whole number from 0 to 10 (got \(score))") }
            return .nps(score: Int(score), comment: try fields.optionalText("comment"))
        case "consent":
            let channel = try fields.string("channel")
            guard Self.consentChannels.contains(channel) else {
                throw EventRejection(field: "channel", reason: "unknown consent channel '\(channel.prefix(40))'; use one of \(Self.consentChannels.joined(separator: ", "))")
            }
            let status = try fields.string("status")
            guard status == "granted" || status == "withdrawn" else {
                throw EventRejection(field: "status", reason: "status must be \"granted\" or \"withdrawn\"")
            }
            return .consent(channel: channel, granted: status == "granted")
        case "profile":
            return try profile(fields)
        default:  // identify
            var identifiers: [Identifier] = []
            for kind in Identifier.kinds {
                guard let value = try fields.optionalIdentifier(kind) else { continue }
                if kind.hasSuffix("_sha256") {
                    guard value.utf8.count == 64, value.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                        throw EventRejection(field: kind, reason: "\(kind) must be the lower-case hex SHA-256 (64 characters) of the trimmed, lower-cased value; never send it in clear")
                    }
                }
                identifiers.append(Identifier(kind: kind, value: value))
            }
            guard !identifiers.isEmpty else {
                throw EventRejection(field: "user_id", reason: "an identify event needs at least one of \(Identifier.kinds.joined(separator: ", "))")
            }
            return .identify(identifiers)
        }
    }

    /// `birthday` as YYYY-MM-DD or MM-DD (only the month and day are kept) and `time_zone` (IANA).
    private func profile(_ fields: Fields) throws(EventRejection) -> EventPayload {
        var month: Int?, day: Int?
        if let birthday = try fields.optionalIdentifier("birthday") {
            let parts = birthday.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            let monthDay = parts.count == 3 ? Array(parts.suffix(2)) : parts
            guard monthDay.count == 2, let m = monthDay[0], let d = monthDay[1], (1...12).contains(m),
                  (1...CivilDate.daysInMonth(year: 2024, month: m)).contains(d), parts.count != 3 || parts[0] != nil else {
                throw EventRejection(field: "birthday", reason: "'\(birthday.prefix(20))' is not a birthday; write YYYY-MM-DD or MM-DD (only the month and day are kept)")
            }
            (month, day) = (m, d)
        }
        let zone = try fields.optionalIdentifier("time_zone")
        if let zone, StoreCalendar(identifier: zone) == nil {
            throw EventRejection(field: "time_zone", reason: "'\(zone.prefix(40))' is not an IANA time zone such as Asia/Shanghai or Europe/London")
        }
        guard month != nil || zone != nil else {
            throw EventRejection(field: "birthday", reason: "a profile event needs birthday or time_zone")
        }
        return .profile(birthMonth: month, birthDay: day, timeZone: zone)
    }

    private func order(_ fields: Fields, customer: String, at instant: Int64) throws(EventRejection) -> EventPayload {
        let currency = try fields.currency("currency")
        guard case .array(let lineValues)? = fields.members["lines"] else {
            if let other = fields.members["lines"] {
                throw EventRejection(field: "lines", reason: "lines must be an array of {sku, quantity, unit_price}, not \(other.typeName)")
            }
            throw EventRejection(field: "lines", reason: "an order needs lines: [{\"sku\": …, \"quantity\": …, \"unit_price\": …}]")
        }
        guard !lineValues.isEmpty else { throw EventRejection(field: "lines", reason: "an order needs at least one line") }
        guard lineValues.count <= Self.maxLines else { throw EventRejection(field: "lines", reason: "an order may have at most \(Self.maxLines) lines") }
        var lines: [OrderLine] = []
        var total: Int64 = 0
        lines.reserveCapacity(lineValues.count)
        for (index, value) in lineValues.enumerated() {
            guard case .object(let members) = value else {
                throw EventRejection(field: "lines[\(index)]", reason: "a line must be an object, not \(value.typeName)")
            }
            let line = Fields(members: members, prefix: "lines[\(index)].")
            let quantity = try line.integer("quantity")
            guard quantity > 0 else { throw EventRejection(field: "lines[\(index)].quantity", reason: "quantity must be a positive whole number; send returns as order_cancelled or refund events") }
            guard quantity <= Money.maximumQuantity else {
                throw EventRejection(field: "lines[\(index)].quantity", reason: "quantity may be at most \(Money.maximumQuantity)")
            }
            let price = try line.millis("unit_price")
            guard price >= 0 else { throw EventRejection(field: "lines[\(index)].unit_price", reason: "unit_price may not be negative") }
            guard let amount = Money.lineAmount(quantity: quantity, unitPriceMillis: price, currency: currency) else {
                throw EventRejection(field: "lines[\(index)].unit_price", reason: "quantity × unit_price " + Self.tooLarge)
            }
            total += amount
            guard Money.isWithinLimit(total) else { throw EventRejection(field: "lines", reason: "the order's total " + Self.tooLarge) }
            lines.append(OrderLine(sku: try line.identifier("sku"), description: try line.optionalText("description") ?? "",
                                   quantity: quantity, unitPriceMillis: price, amountMinor: amount))
        }
        let order = Order(id: try fields.identifier("order_id"), customerID: customer, placedAt: instant, kind: .purchase,
                          currency: currency, channel: try fields.optionalIdentifier("channel").map(Channel.init(rawValue:)),
                          country: try fields.optionalIdentifier("country"), lines: lines)
        return .order(order, couponCode: try fields.optionalIdentifier("coupon_code"))
    }
}

/// Typed access to an event's members; each failure names the field.
private struct Fields {
    let members: [String: JSONValue]
    var prefix = ""

    func missing(_ key: String, _ expected: String) -> EventRejection {
        EventRejection(field: prefix + key, reason: "\(key) is required (\(expected))")
    }

    func wrongType(_ key: String, _ expected: String, _ value: JSONValue) -> EventRejection {
        EventRejection(field: prefix + key, reason: "\(key) must be \(expected), not \(value.typeName)")
    }

    func string(_ key: String) throws(EventRejection) -> String {
        guard let value = members[key] else { throw missing(key, "a string") }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return try storable(key, text)
    }

    /// The text, unless it holds a NUL character (`\u0000`), which no database column can store.
    private func storable(_ key: String, _ text: String) throws(EventRejection) -> String {
        guard !text.utf8.contains(0) else {
            throw EventRejection(field: prefix + key, reason: "\(key) contains a NUL character (\\u0000), which cannot be stored; remove it")
        }
        return text
    }

    func identifier(_ key: String) throws(EventRejection) -> String {
        let text = try string(key)
        return try checkedIdentifier(key, text)
    }

    func optionalIdentifier(_ key: String) throws(EventRejection) -> String? {
        guard let value = members[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return try checkedIdentifier(key, try storable(key, text))
    }

    private func checkedIdentifier(_ key: String, _ text: String) throws(EventRejection) -> String {
        guard !text.isEmpty else { throw EventRejection(field: prefix + key, reason: "\(key) may not be empty") }
        guard text.count <= EventDecoder.maxIDLength else {
            throw EventRejection(field: prefix + key, reason: "\(key) is longer than \(EventDecoder.maxIDLength) characters")
        }
        return text
    }

    func optionalText(_ key: String) throws(EventRejection) -> String? {
        guard let value = members[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        guard text.count <= EventDecoder.maxTextLength else {
            throw EventRejection(field: prefix + key, reason: "\(key) is longer than \(EventDecoder.maxTextLength) characters")
        }
        return try storable(key, text)
    }

    func integer(_ key: String) throws(EventRejection) -> Int64 {
        guard let value = members[key] else { throw missing(key, "a whole number") }
        guard case .number(let text) = value else { throw wrongType(key, "a whole number", value) }
        let parsed = text.utf8.withContiguousStorageIfAvailable { FieldParsing.integer($0) } ?? nil
        guard let parsed, !text.contains("e"), !text.contains("E") else {
            throw EventRejection(field: prefix + key, reason: "\(key) must be a whole number (got \(text.prefix(30)))")
        }
        return parsed
    }

    func optionalInteger(_ key: String) throws(EventRejection) -> Int64? {
        guard let value = members[key], value != .null else { return nil }
        return try integer(key)
    }

    func millis(_ key: String) throws(EventRejection) -> Int64 {
        guard let value = members[key] else { throw missing(key, "a decimal number such as 12.75") }
        guard case .number(let text) = value else { throw wrongType(key, "a decimal number such as 12.75", value) }
        let parsed = text.utf8.withContiguousStorageIfAvailable { FieldParsing.millis($0) } ?? nil
        guard let parsed else {
            throw EventRejection(field: prefix + key, reason: "\(key) must be a plain decimal such as 12.75 (got \(text.prefix(30)))")
        }
        return parsed
    }

    func currency(_ key: String) throws(EventRejection) -> Currency {
        let code = try string(key)
        guard code.utf8.count == 3, code.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
            throw EventRejection(field: prefix + key, reason: "\(key) must be an ISO 4217 code in capitals, such as GBP or CNY (got '\(code.prefix(20))')")
        }
        return Currency(code)
    }
}
