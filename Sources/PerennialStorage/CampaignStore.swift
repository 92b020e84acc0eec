/// A campaign definition as stored: the JSON object it was applied as, and whether it runs.
public struct StoredCampaign: Sendable, Hashable {
    /// The campaign's id.
    public var id: String
    /// The definition as applied, a JSON object text.
    public var definition: String
    /// Whether it runs (`false` when paused).
    public var active: Bool
    /// When it was first applied, seconds since 1970 UTC.
    public var appliedAt: Int64

    /// Creates a stored campaign.
    public init(id: String, definition: String, active: Bool, appliedAt: Int64 = 0) {
        self.id = id
        self.definition = definition
        self.active = active
        self.appliedAt = appliedAt
    }
}

/// Where the campaigns a store runs are kept (table `campaigns`), with the live runner's cursor (table
/// `campaign_cursor`). Every change is one transaction of single-row statements, so two writers never
/// lose each other's changes.
public protocol CampaignStore: Sendable {
    /// The stored campaigns, in the order they were first applied.
    func storedCampaigns() async throws -> [StoredCampaign]
    /// Adds campaigns, or replaces those with the same id (keeping their place), all in one transaction.
    func saveCampaigns(_ campaigns: [StoredCampaign], at instant: Int64) async throws
    /// Pauses or resumes a campaign; `false` when none has the id.
    func setCampaignActive(id: String, active: Bool, at instant: Int64) async throws -> Bool
    /// The instant up to which the live runner has acted, when it has run.
    func campaignCursor() async throws -> Int64?
    /// Moves the cursor forward to `instant` (never back: of two runners, the later instant stays).
    func advanceCampaignCursor(to instant: Int64) async throws
}

extension SQLDatabase {
    public func storedCampaigns() async throws -> [StoredCampaign] {
        try await rows("SELECT campaign_id, definition, active, applied_at FROM campaigns ORDER BY position, campaign_id").map {
            StoredCampaign(id: try $0.decode("campaign_id"), definition: try $0.decode("definition"), active: try $0.decode("active"),
                           appliedAt: try $0.decode("applied_at"))
        }
    }

    public func saveCampaigns(_ campaigns: [StoredCampaign], at instant: Int64) async throws {
        guard !campaigns.isEmpty else { return }
        try await transaction(campaigns.map { campaign in
            """
            INSERT INTO campaigns (campaign_id, position, definition, active, applied_at, changed_at)
            VALUES (\(campaign.id), (SELECT COALESCE(MAX(position), -1) + 1 FROM campaigns), \(campaign.definition), \(campaign.active), \(instant), \(instant))
            ON CONFLICT (campaign_id) DO UPDATE SET definition = excluded.definition, active = excluded.active, changed_at = excluded.changed_at
            """
        })
    }

    public func setCampaignActive(id: String, active: Bool, at instant: Int64) async throws -> Bool {
        !(try await write("UPDATE campaigns SET active = \(active), changed_at = \(instant) WHERE campaign_id = \(id) RETURNING campaign_id")).isEmpty
    }

    public func campaignCursor() async throws -> Int64? {
        try await firstRow("SELECT through FROM campaign_cursor WHERE id = 1")?.decode("through")
    }

    public func advanceCampaignCursor(to instant: Int64) async throws {
        try await write("""
            INSERT INTO campaign_cursor (id, through) VALUES (1, \(instant))
            ON CONFLICT (id) DO UPDATE SET through = \(raw: dialect.greatest("campaign_cursor.through", "excluded.through"))
            """)
    }
}
