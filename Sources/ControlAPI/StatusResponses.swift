import Catalog

/// `GET /v1/status`: what the daemon is running and how its channels and accounts are doing.
///
/// Wire keys: `version`, `uptime_seconds`, `config_path`, `channels`, `accounts` (see
/// ``AccountSummary``), `last_reload_error`.
public struct StatusResponse: Codable, Hashable, Sendable {
    public var version: String
    public var uptimeSeconds: Int
    public var configPath: String
    public var channels: [ChannelSummary]
    /// Every configured account with its rate-limit buckets and account-wide budgets, in name order;
    /// `nil` from a daemon that does not report them.
    public var accounts: [AccountSummary]?
    /// Why the last `SIGHUP` reload was refused (the old configuration kept running), or `nil`.
    public var lastReloadError: String?

    public init(
        version: String,
        uptimeSeconds: Int,
        configPath: String,
        channels: [ChannelSummary],
        accounts: [AccountSummary]? = nil,
        lastReloadError: String? = nil
    ) {
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.configPath = configPath
        self.channels = channels
        self.accounts = accounts
        self.lastReloadError = lastReloadError
    }

    private enum CodingKeys: String, CodingKey {
        case version
        case uptimeSeconds = "uptime_seconds"
        case configPath = "config_path"
        case channels, accounts
        case lastReloadError = "last_reload_error"
    }
}

/// One channel's state in `GET /v1/status` and `GET /v1/channels`.
///
/// Wire keys: `name`, `account`, `platform`, `marketplace`, `paused`, `pending`, `leased`, `backing_off`,
/// `dead_letters`, `acked`, `last_error`, `breaker` (see ``BreakerSummary``; absent when the engine
/// does not run the channel), `budgets` (the channel's own platform budgets, see ``BudgetSummary``;
/// account-wide ones are under the account), `state` (``State``), `state_reason`, `verification`
/// (``VerificationSummary``) and `path` (the path the channel's account takes now and why, see
/// ``PathSummary``; absent when no worker runs it).
public struct ChannelSummary: Codable, Hashable, Sendable {
    /// Whether the engine syncs the channel.
    public enum State: String, Codable, Hashable, Sendable {
        /// A worker runs the channel.
        case running
        /// Paused by an operator (`catalogctl resume` starts it).
        case paused
        /// The engine cannot run it (``ChannelSummary/stateReason`` says why): nothing pending moves
        /// until the configuration or the credentials are fixed and the daemon reloaded.
        case notRunning = "not_running"
        /// The platform refused the account (credentials revoked, a role missing): nothing is sent until
        /// an operator fixes it and resumes the channel; ``ChannelSummary/stateReason`` carries the
        /// platform's words.
        case needsAttention = "needs_attention"
    }

    public var name: String
    /// The account the channel sells through (its rate limits are under `accounts`).
    public var account: String?
    public var platform: String
    public var marketplace: String
    public var paused: Bool
    /// Dirty (channel, SKU, facet) marks waiting to be sent.
    public var pending: Int
    /// Marks claimed by a worker and in flight.
    public var leased: Int
    /// Marks waiting out a retry backoff.
    public var backingOff: Int
    public var deadLetters: Int
    public var acked: Int
    public var lastError: String?
    /// The channel's circuit breaker; `nil` when no worker runs the channel.
    public var breaker: BreakerSummary?
    /// Budgets of this channel alone (eBay's revisions per listing per day on its marketplace).
    public var budgets: [BudgetSummary]?
    /// Whether the engine syncs the channel; `nil` from an older daemon.
    public var state: State?
    /// Why the channel is not running (`state` is `not_running`), in words an operator can act on.
    public var stateReason: String?
    /// The channel's listing verifier; `nil` before it checked anything.
    public var verification: VerificationSummary?
    /// Single calls or the bulk path, and why; `nil` when no worker runs the channel.
    public var path: PathSummary?

    public init(
        name: String,
        account: String? = nil,
        platform: String,
        marketplace: String,
        paused: Bool = false,
        pending: Int = 0,
        leased: Int = 0,
        backingOff: Int = 0,
        deadLetters: Int = 0,
        acked: Int = 0,
        lastError: String? = nil,
        breaker: BreakerSummary? = nil,
        budgets: [BudgetSummary]? = nil,
        state: State? = nil,
        stateReason: String? = nil,
        verification: VerificationSummary? = nil,
        path: PathSummary? = nil
    ) {
        self.name = name
        self.account = account
        self.platform = platform
        self.marketplace = marketplace
        self.paused = paused
        self.pending = pending
        self.leased = leased
        self.backingOff = backingOff
        self.deadLetters = deadLetters
        self.acked = acked
        self.lastError = lastError
        self.breaker = breaker
        self.budgets = budgets
        self.state = state
        self.stateReason = stateReason
        self.verification = verification
        self.path = path
    }

    private enum CodingKeys: String, CodingKey {
        case name, account, platform, marketplace, paused, pending, leased
        case backingOff = "backing_off"
        case deadLetters = "dead_letters"
        case acked
        case lastError = "last_error"
        case breaker, budgets, state
        case stateReason = "state_reason"
        case verification
        case path
    }
}

/// `GET /v1/channels`. Wire keys: `channels`, `accounts` (as in `GET /v1/status`).
public struct ChannelsResponse: Codable, Hashable, Sendable {
    public var channels: [ChannelSummary]
    /// The accounts with their rate-limit buckets and account-wide budgets; `nil` from an older daemon.
    public var accounts: [AccountSummary]?

    public init(channels: [ChannelSummary], accounts: [AccountSummary]? = nil) {
        self.channels = channels
        self.accounts = accounts
    }
}

/// `{"error": {"code", "message"}}`: the body of every failed request.
public struct ErrorResponse: Codable, Hashable, Sendable, Error {
    /// The error itself.
    public struct Detail: Codable, Hashable, Sendable {
        /// A stable machine-readable code (`not_found`, `bad_request`, `forbidden`, `payload_too_large`).
        public var code: String
        /// What went wrong, for a human, naming the field, SKU or channel.
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var error: Detail

    public init(code: String, message: String) { self.error = Detail(code: code, message: message) }
}
