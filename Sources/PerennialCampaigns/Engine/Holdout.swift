/// Deterministic holdout assignment: a customer's arm in a campaign depends only on the two ids, so it
/// is the same on every run, every node and after every restart.
public enum Holdout {
    /// A number in [0, 1) from the campaign and customer ids: 64-bit FNV-1a of `campaign \u{1F} customer`,
    /// then the SplitMix64 finalizer so that similar ids spread evenly.
    public static func position(campaign: String, customer: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in campaign.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ 0x1f) &* 0x0000_0100_0000_01b3
        for byte in customer.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }

    /// Whether the customer is in the campaign's control group for a holdout share.
    public static func isHeldOut(campaign: String, customer: String, share: Double) -> Bool {
        position(campaign: campaign, customer: customer) < share
    }
}
