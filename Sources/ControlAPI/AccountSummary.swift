/// One seller account in `GET /v1/status` and `GET /v1/channels`: the rate-limit buckets its
/// channels share and the platform budgets that belong to the whole account.
///
/// Wire keys: `name`, `platform`, `channels`, `rate_limits` (each `operation`, `rate_per_second`,
/// `burst`, `tokens`, `throttled`), `budgets` (see ``BudgetSummary``).
public struct AccountSummary: Codable, Hashable, Sendable {
    /// One token bucket of the account's rate limiter: one platform operation.
    ///
    /// Wire keys: `operation`, `rate_per_second`, `burst`, `tokens`, `throttled`.
    public struct RateBucket: Codable, Hashable, Sendable {
        /// The platform's name for the operation (`patchListingsItem`, `feed:price`).
        public var operation: String
        /// Requests per second in use now: the published rate after the safety factor and any
        /// tightening the platform asked for.
        public var ratePerSecond: Double
        /// The usable burst: the published burst less the cushion kept against arrival jitter.
        public var burst: Int
        /// Tokens in the bucket now, to two decimals; negative while requests wait for tokens.
        public var tokens: Double
        /// How many times the platform answered 429 for this operation since the daemon started.
        public var throttled: Int

        public init(operation: String, ratePerSecond: Double, burst: Int, tokens: Double, throttled: Int) {
            self.operation = operation
            self.ratePerSecond = ratePerSecond
            self.burst = burst
            self.tokens = tokens
            self.throttled = throttled
        }

        private enum CodingKeys: String, CodingKey {
            case operation
            case ratePerSecond = "rate_per_second"
            case burst, tokens, throttled
        }
    }

    /// The account's section name in the configuration (`amazon-eu`).
    public var name: String
    public var platform: String
    /// The configured channels of the account, in file order.
    public var channels: [String]
    /// The account's buckets, sorted by operation; empty until a channel of the account runs.
    public var rateLimits: [RateBucket]
    /// The platform budgets the account's channels share (Walmart's feeds per hour, Shopclues'
    /// requests per day).
    public var budgets: [BudgetSummary]
    /// The account's order polling (absent when it polls no orders).
    public var orders: OrderPollingSummary?

    public init(
        name: String,
        platform: String,
        channels: [String],
        rateLimits: [RateBucket] = [],
        budgets: [BudgetSummary] = [],
        orders: OrderPollingSummary? = nil
    ) {
        self.name = name
        self.platform = platform
        self.channels = channels
        self.rateLimits = rateLimits
        self.budgets = budgets
        self.orders = orders
    }

    private enum CodingKeys: String, CodingKey {
        case name, platform, channels
        case rateLimits = "rate_limits"
        case budgets, orders
    }
}
