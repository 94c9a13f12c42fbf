/// One platform budget in status: how much of what the platform allows per window is spent.
///
/// Wire keys: `name`, `scope` (`account` or `channel`), `per` (what the limit applies to one by one,
/// e.g. `listing`; absent for one budget), `used`, `limit`, `remaining`, `window`, `resets_at`
/// (ISO 8601, UTC; absent when the budget is whole), `exhausted` (with `per`: how many items spent
/// their whole budget in this window), `waiting` (changes or items held back until the budget allows
/// them), `note`.
public struct BudgetSummary: Codable, Hashable, Sendable {
    /// What is counted (`price feeds`, `requests`, `revisions per listing`).
    public var name: String
    /// `account`: every channel of the account spends it; `channel`: each channel has its own.
    public var scope: String
    /// What the limit applies to one by one (`listing`); with it `used` is the most any one has used.
    public var per: String?
    public var used: Int
    public var limit: Int
    public var remaining: Int
    /// The window, for a human (`UTC day`, `1 h, refilling continuously`).
    public var window: String
    /// When the budget is whole again, ISO 8601 (UTC).
    public var resetsAt: String?
    public var exhausted: Int?
    public var waiting: Int?
    public var note: String?

    public init(
        name: String,
        scope: String,
        per: String? = nil,
        used: Int,
        limit: Int,
        remaining: Int,
        window: String,
        resetsAt: String? = nil,
        exhausted: Int? = nil,
        waiting: Int? = nil,
        note: String? = nil
    ) {
        self.name = name
        self.scope = scope
        self.per = per
        self.used = used
        self.limit = limit
        self.remaining = remaining
        self.window = window
        self.resetsAt = resetsAt
        self.exhausted = exhausted
        self.waiting = waiting
        self.note = note
    }

    private enum CodingKeys: String, CodingKey {
        case name, scope, per, used, limit, remaining, window
        case resetsAt = "resets_at"
        case exhausted, waiting, note
    }
}
