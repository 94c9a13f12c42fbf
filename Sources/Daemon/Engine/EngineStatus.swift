import Sync

/// What the sync engine reports for status: per channel its circuit breaker and platform budgets,
/// per account its rate-limit buckets. Platform-neutral: budgets come from each adapter.
public struct EngineStatus: Sendable {
    /// The circuit breaker of every channel a worker runs, by channel name.
    public var breakers: [String: BreakerStatus]
    /// Every running channel's platform budgets, by channel name (account-wide ones included).
    public var budgets: [String: [BudgetStatus]]
    /// Every account's rate-limit buckets, by account name.
    public var rateLimits: [String: [RateLimiter.BucketState]]
    /// Why a channel stopped sending until an operator acts (its platform refused the account), in
    /// the platform's words, by channel name; channels that run are absent.
    public var attention: [String: String]
    /// The path each running channel's account takes now and why, by channel name.
    public var paths: [String: PathChoice]
    /// Every polling account's order poller, by account name.
    public var orders: [String: OrderPoller.Status] = [:]

    /// A status of these parts.
    public init(
        breakers: [String: BreakerStatus] = [:],
        budgets: [String: [BudgetStatus]] = [:],
        rateLimits: [String: [RateLimiter.BucketState]] = [:],
        attention: [String: String] = [:],
        paths: [String: PathChoice] = [:]
    ) {
        self.breakers = breakers
        self.budgets = budgets
        self.rateLimits = rateLimits
        self.attention = attention
        self.paths = paths
    }

    /// No engine runs: nothing to report.
    public static let idle = EngineStatus()
}
