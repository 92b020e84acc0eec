import Foundation
import PerennialReports
import PerennialCore

/// A selection of customers by stage, RFM segment or RFM cell, as the lists and the CSV export take it
/// from the query (`?stage=active`, `?segment=champions`, `?r=5&f=3`).
public struct CustomerFilter: Sendable, Hashable {
    public var stage: LifecycleStage?
    public var segment: RFMSegment?
    public var r: Int?
    public var f: Int?
    /// The acquisition channel.
    public var channel: String?

    public init(stage: LifecycleStage? = nil, segment: RFMSegment? = nil, r: Int? = nil, f: Int? = nil, channel: String? = nil) {
        self.stage = stage
        self.segment = segment
        self.r = r
        self.f = f
        self.channel = channel
    }

    /// A filter from query parameters; unknown values are ignored (an empty filter shows no list).
    public init(query: [String: String]) {
        stage = query["stage"].flatMap(LifecycleStage.init(rawValue:))
        segment = query["segment"].flatMap(RFMSegment.init(rawValue:))
        r = query["r"].flatMap { Int($0) }.flatMap { (1...5).contains($0) ? $0 : nil }
        f = query["f"].flatMap { Int($0) }.flatMap { (1...5).contains($0) ? $0 : nil }
        channel = query["channel"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the filter selects anything at all.
    public var isEmpty: Bool { stage == nil && segment == nil && r == nil && f == nil && channel == nil }

    var query: [(String, String)] {
        var items: [(String, String)] = []
        if let stage { items.append(("stage", stage.rawValue)) }
        if let segment { items.append(("segment", segment.rawValue)) }
        if let r { items.append(("r", "\(r)")) }
        if let f { items.append(("f", "\(f)")) }
        if let channel { items.append(("channel", channel)) }
        return items
    }

    /// Whether a customer is selected; `channels` gives acquisition channels (needed with `channel`).
    public func matches(_ profile: CustomerProfile, channels: [String: String] = [:]) -> Bool {
        if let channel, channels[profile.customerID] != channel { return false }
        if let stage, profile.stage != stage { return false }
        if let segment, profile.segment != segment { return false }
        if let r, profile.rfm?.r != r { return false }
        if let f, profile.rfm?.f != f { return false }
        return true
    }

    /// The selected customers' ids, stages, segments and revenue as CSV (RFC 4180), highest revenue
    /// first.
    public func csv(_ input: DashboardInput) -> String {
        var out = "customer_id,stage,rfm_segment,orders,revenue\r\n"
        for profile in selected(input) {
            let revenue = Formatting.decimal(input.major(profile.revenueMinor), places: input.currency.minorDigits)
            out += "\(Self.field(profile.customerID)),\(profile.stage.rawValue),\(profile.segment?.rawValue ?? ""),\(profile.summary?.orders ?? 0),\(revenue)\r\n"
        }
        return out
    }

    func selected(_ input: DashboardInput) -> [CustomerProfile] {
        input.report.profiles.filter { matches($0, channels: input.channels) }.sorted { ($0.revenueMinor, $1.customerID) > ($1.revenueMinor, $0.customerID) }
    }

    /// A text cell: quoted when it holds a separator, and a cell a spreadsheet would read as a formula
    /// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, as a customer id `=HYPERLINK(…)`
    /// could) is prefixed with `'` so it stays text.
    static func field(_ s: String) -> String {
        var text = s
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
