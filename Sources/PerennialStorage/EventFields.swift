import PerennialCore

/// The JSON object of an event's own fields (everything but the envelope), as the API documents them:
/// what `events.body` holds and what a profile's recent events show.
enum EventFields {
    static func json(_ payload: EventPayload) -> String {
        var object = JSONObjectWriter()
        switch payload {
        case let .order(order, coupon):
            object.string("order_id", order.id)
            object.string("currency", order.currency.code)
            object.string("channel", order.channel?.rawValue)
            object.string("country", order.country)
            object.string("coupon_code", coupon)
            var lines = "["
            for (i, line) in order.lines.enumerated() {
                var item = JSONObjectWriter()
                item.string("sku", line.sku)
                item.string("description", line.description.isEmpty ? nil : line.description)
                item.raw("quantity", String(line.quantity))
                item.raw("unit_price", decimal(millis: line.unitPriceMillis))
                lines += (i > 0 ? "," : "") + item.text
            }
            object.raw("lines", lines + "]")
        case let .orderCancelled(orderID, reason):
            object.string("order_id", orderID)
            object.string("reason", reason)
        case let .refund(orderID, amountMinor, currency, reason):
            object.string("order_id", orderID)
            object.raw("amount", decimal(minor: amountMinor, currency: currency))
            object.string("currency", currency.code)
            object.string("reason", reason)
        case let .signup(channel):
            object.string("channel", channel)
        case let .pageView(url):
            object.string("url", url)
        case let .productView(sku):
            object.string("sku", sku)
        case let .addToCart(sku, quantity):
            object.string("sku", sku)
            object.raw("quantity", String(quantity))
        case let .review(sku, rating, text):
            object.string("sku", sku)
            object.raw("rating", String(rating))
            object.string("text", text)
        case let .supportTicket(ticketID, category):
            object.string("ticket_id", ticketID)
            object.string("category", category)
        case let .nps(score, comment):
            object.raw("score", String(score))
            object.string("comment", comment)
        case let .consent(channel, granted):
            object.string("channel", channel)
            object.string("status", granted ? "granted" : "withdrawn")
        case let .identify(identifiers):
            for identifier in identifiers { object.string(identifier.kind, identifier.value) }
        case let .profile(month, day, zone):
            if let month, let day { object.string("birthday", (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)") }
            object.string("time_zone", zone)
        }
        return object.text
    }

    /// `12750` thousandths as `12.75`.
    static func decimal(millis: Int64) -> String {
        let sign = millis < 0 ? "-" : ""
        let magnitude = millis.magnitude
        var fraction = String(magnitude % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(magnitude / 1000) + (fraction.isEmpty ? "" : "." + fraction)
    }

    static func decimal(minor: Int64, currency: Currency) -> String {
        decimal(millis: minor * 1000 / currency.minorPerMajor)
    }
}

/// Builds a compact JSON object, skipping absent values.
struct JSONObjectWriter {
    private(set) var body = ""

    var text: String { "{" + body + "}" }

    mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        raw(key, JSONText.quoted(value))
    }

    mutating func raw(_ key: String, _ json: String) {
        if !body.isEmpty { body += "," }
        JSONText.quote(key, into: &body)
        body += ":"
        body += json
    }
}
