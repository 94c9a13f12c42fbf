import Foundation

/// A platform limit that is not a plain request rate, as the adapter spends it now: for status.
///
/// Budgets are what a platform allows per window (Walmart's 10 feeds per hour, Shopclues' 10,000
/// requests per 24 h) or per item and window (eBay's 250 revisions per listing per calendar day). Each
/// adapter reports its own from what it knows (``MarketplaceAdapter/budgets()``); the daemon shows them
/// without knowing any platform.
public struct BudgetStatus: Sendable, Hashable {
    /// Whom the budget belongs to: every channel of the account spends one budget, or each channel its own.
    public enum Scope: String, Sendable, Hashable {
        /// One budget for every channel of the account (the daemon shows it once, under the account).
        case account
        /// Each channel has its own.
        case channel
    }

    /// What is counted, for a human (`price feeds`, `requests`, `revisions per listing`).
    public var name: String
    /// Whom the budget belongs to.
    public var scope: Scope
    /// What the limit applies to one by one (`listing`), or `nil` when it is one budget for the scope.
    /// With it, ``used`` is the most any one of them has used.
    public var perItem: String?
    /// How much of the window's budget is spent now.
    public var used: Int
    /// How much the window allows (what the adapter lets itself spend).
    public var limit: Int
    /// The window, for a human (`UTC day`, `1 h, refilling continuously`).
    public var window: String
    /// When the budget is whole again (the next window, or a refilling bucket full again); `nil` when it is.
    public var resetsAt: Date?
    /// With ``perItem``: how many items have spent their whole budget in this window.
    public var exhausted: Int?
    /// How many changes (or items) are held back until the budget allows them again.
    public var waiting: Int?
    /// Anything else an operator should know (the platform's published figure, enforcement switched off).
    public var note: String?

    /// A budget of `used` out of `limit` in `window`.
    public init(
        name: String,
        scope: Scope,
        perItem: String? = nil,
        used: Int,
        limit: Int,
        window: String,
        resetsAt: Date? = nil,
        exhausted: Int? = nil,
        waiting: Int? = nil,
        note: String? = nil
    ) {
        self.name = name
        self.scope = scope
        self.perItem = perItem
        self.used = used
        self.limit = limit
        self.window = window
        self.resetsAt = resetsAt
        self.exhausted = exhausted
        self.waiting = waiting
        self.note = note
    }

    /// What is left of the budget (per item, with ``perItem``: of the item that used the most).
    public var remaining: Int { max(0, limit - used) }

    /// A budget enforced by one of the account's rate-limiter buckets (a long-window quota as a bucket
    /// that refills continuously): `limit` is the usable burst, `used` what is spent and not yet
    /// refilled, and it is whole again when the bucket is full. `nil` when the limiter has no such bucket.
    ///
    /// With client-side limits switched off nothing is counted, and the note says so.
    public static func bucket(
        _ operation: String,
        of limiter: RateLimiter,
        name: String,
        scope: Scope = .account,
        window: String,
        note: String? = nil,
        now: Date = Date()
    ) async -> BudgetStatus? {
        guard let state = await limiter.states().first(where: { $0.operation == operation }) else { return nil }
        let left = min(state.burst, max(0, Int(state.tokens.rounded(.down))))
        let missing = Double(state.burst) - state.tokens
        let refill = missing > 0 && state.rate > 0 ? missing / state.rate : 0
        var notes = note.map { [$0] } ?? []
        if !limiter.configuration.isEnabled {
            notes.append("not enforced: client-side rate limits are off")
        }
        return BudgetStatus(
            name: name,
            scope: scope,
            used: state.burst - left,
            limit: state.burst,
            window: window,
            resetsAt: refill > 0 ? now.addingTimeInterval(refill) : nil,
            note: notes.isEmpty ? nil : notes.joined(separator: "; ")
        )
    }
}
