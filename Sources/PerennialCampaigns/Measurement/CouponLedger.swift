/// The coupons a campaign issued and what became of them: redeemed (a later purchase order carried the
/// code before it expired), expired, or still open.
public struct CouponLedger: Sendable, Hashable, Codable {
    public var issued = 0
    public var redeemed = 0
    public var expired = 0
    public var open = 0
    /// What the redeemed coupons cost, in major units: the amount off, or the percentage of the order.
    public var cost = 0.0

    /// An empty ledger.
    public init() {}

    /// The ledger of one campaign's coupon actions, by the code each was issued with.
    public static func compute(_ sent: [PlannedAction], histories: [String: CustomerHistory], now: Int64, currencyMinorPerMajor: Int64,
                               code: (PlannedAction) -> String) -> CouponLedger {
        var ledger = CouponLedger()
        for action in sent {
            guard case let .coupon(coupon) = action.action else { continue }
            ledger.issued += 1
            let expires = action.at + coupon.expiresIn.seconds
            let issuedCode = code(action)
            let redemption = histories[action.customerID]?.orders.first {
                $0.kind == .purchase && $0.couponCode == issuedCode && $0.at >= action.at && $0.at <= expires
            }
            if let redemption {
                ledger.redeemed += 1
                let amount = Double(redemption.amountMinor) / Double(currencyMinorPerMajor)
                ledger.cost += coupon.amountOff ?? (amount * (coupon.percentOff ?? 0) / 100)
            } else if expires < now {
                ledger.expired += 1
            } else {
                ledger.open += 1
            }
        }
        return ledger
    }
}
