import Catalog
import Foundation

/// The `[daemon]` section: where the daemon keeps its state, socket and credentials.
public struct DaemonSettings: Hashable, Sendable {
    /// Where the SQLite store lives. `$STATE_DIRECTORY` (systemd `StateDirectory=`) wins over the file.
    public var stateDirectory: String
    /// The control socket path, when the file sets one. When `nil` the daemon picks
    /// `$RUNTIME_DIRECTORY/control.sock`, or `<state directory>/control.sock` (DESIGN §4.5).
    public var controlSocket: String?
    /// The currency catalog prices are in and FX rates convert from.
    public var baseCurrency: Currency
    /// Where credentials files are read. `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`) wins.
    public var credentialsDirectory: String
    /// Whether ``credentialsDirectory`` came from `$CREDENTIALS_DIRECTORY`, which systemd manages
    /// (and whose file modes it sets), rather than from the file.
    public var credentialsManagedBySystemd: Bool
    /// How long a graceful stop may take to drain in-flight work, in seconds. Keep it below the
    /// unit's `TimeoutStopSec=`.
    public var drainSeconds: Int
    /// The total time one request to a platform may take, in seconds (connection included).
    public var requestTimeoutSeconds: Int
    /// Whether the daemon paces requests to each platform's published quotas (`rate_limits = "published"`,
    /// the default) or not at all (`"off"`: a sandbox with quotas off, benchmarks).
    public var rateLimits: Bool
    /// The backlog per channel from which workers use a platform's bulk path (feeds, batches) instead
    /// of single calls.
    public var bulkThreshold: Int
    /// `bulk_threshold` was set: every channel switches to its bulk path at that backlog. Unset, a
    /// channel whose adapter publishes its path costs takes the path that drains its account's backlog
    /// soonest (``Sync/PathPlanner``), and the threshold serves the others.
    public var fixedBulkThreshold = false
    /// The longest a listing waits between two attempts after transient failures, in seconds (backoff
    /// grows exponentially with full jitter up to this cap).
    public var maxBackoffSeconds: Int
    /// How long a channel's open circuit breaker first waits before probing the platform, in seconds.
    public var breakerCooldownSeconds: Int
    /// The longest cool-down of a circuit breaker that keeps failing its probes, in seconds (each failed
    /// probe doubles the cool-down up to this).
    public var maxBreakerCooldownSeconds: Int
    /// Failed attempts after which a (channel, SKU) pair is dead-lettered with its last reason
    /// (`max_attempts`, default 50).
    public var maxAttempts: Int
    /// Hours a (channel, SKU) pair may go on failing, from its first failure, before it is
    /// dead-lettered with its last reason (`max_retry_hours`, default 72).
    public var maxRetryHours: Int
    /// How far `catalogctl fx set` may move a rate without `--force`: a new rate more than this factor
    /// above or below the one in force is refused as a likely typo (`fx_max_change_factor`, default 2).
    public var fxMaxChangeFactor: Decimal
    /// How long the control socket waits on a client that is sending a request (or has not started
    /// one) before closing its connection, in seconds (`control_idle_seconds`, default 30). Only a whole
    /// request head or body part restarts it, so it is also the deadline for a request head sent a byte
    /// at a time. A response in progress (an `events` stream) is never cut.
    public var controlIdleSeconds: Int
    /// The most control connections served at once (`control_max_connections`, default 128); more
    /// wait in the socket's backlog until one closes.
    public var controlMaxConnections: Int
    /// The share of each platform's read quota the listing verifier may use (`verify_quota_share`,
    /// 0 to 1, default 0.05; 0 turns verification off). It reads only while pushes leave the quota idle.
    public var verifyQuotaShare: Double
    /// The pause between two verification passes over a channel, in seconds (`verify_interval_seconds`,
    /// default 3600).
    public var verifyIntervalSeconds: Int

    /// The keys `[daemon]` accepts.
    public static let keys = [
        "state_directory", "control_socket", "base_currency", "credentials_directory", "drain_seconds",
        "request_timeout_seconds", "rate_limits", "bulk_threshold", "max_backoff_seconds",
        "breaker_cooldown_seconds", "max_breaker_cooldown_seconds", "max_attempts", "max_retry_hours",
        "fx_max_change_factor", "control_idle_seconds", "control_max_connections", "verify_quota_share",
        "verify_interval_seconds",
    ]

    public init(
        stateDirectory: String = "/var/lib/catalogsyncd",
        controlSocket: String? = nil,
        baseCurrency: Currency = .inr,
        credentialsDirectory: String = "/etc/catalogsyncd/credentials",
        credentialsManagedBySystemd: Bool = false,
        drainSeconds: Int = 20,
        requestTimeoutSeconds: Int = 30,
        rateLimits: Bool = true,
        bulkThreshold: Int = 500,
        maxBackoffSeconds: Int = 300,
        breakerCooldownSeconds: Int = 5,
        maxBreakerCooldownSeconds: Int = 300,
        maxAttempts: Int = 50,
        maxRetryHours: Int = 72,
        fxMaxChangeFactor: Decimal = 2,
        controlIdleSeconds: Int = 30,
        controlMaxConnections: Int = 128,
        verifyQuotaShare: Double = 0.05,
        verifyIntervalSeconds: Int = 3600
    ) {
        self.stateDirectory = stateDirectory
        self.controlSocket = controlSocket
        self.baseCurrency = baseCurrency
        self.credentialsDirectory = credentialsDirectory
        self.credentialsManagedBySystemd = credentialsManagedBySystemd
        self.drainSeconds = drainSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.rateLimits = rateLimits
        self.bulkThreshold = bulkThreshold
        self.maxBackoffSeconds = maxBackoffSeconds
        self.breakerCooldownSeconds = breakerCooldownSeconds
        self.maxBreakerCooldownSeconds = maxBreakerCooldownSeconds
        self.maxAttempts = maxAttempts
        self.maxRetryHours = maxRetryHours
        self.fxMaxChangeFactor = fxMaxChangeFactor
        self.controlIdleSeconds = controlIdleSeconds
        self.controlMaxConnections = controlMaxConnections
        self.verifyQuotaShare = verifyQuotaShare
        self.verifyIntervalSeconds = verifyIntervalSeconds
    }

    /// Reads `[daemon]` (absent means all defaults), then applies the systemd environment.
    init(reading reader: inout TOMLTableReader?, environment: [String: String], issues: IssueCollector) {
        self.init()
        if var table = reader {
            if let value = table.nonEmptyString("state_directory") {
                stateDirectory = value
            }
            controlSocket = table.nonEmptyString("control_socket")
            if let code = table.nonEmptyString("base_currency") {
                if let currency = Currency(code: code) {
                    baseCurrency = currency
                } else {
                    issues.report(table.keyPath("base_currency"), "unknown currency code \"\(code)\"")
                }
            }
            if let value = table.nonEmptyString("credentials_directory") {
                credentialsDirectory = value
            }
            Self.readPositive("drain_seconds", unit: "seconds", of: &table, into: &drainSeconds, issues: issues)
            Self.readPositive(
                "request_timeout_seconds",
                unit: "seconds",
                of: &table,
                into: &requestTimeoutSeconds,
                issues: issues
            )
            Self.readPositive(
                "max_backoff_seconds",
                unit: "seconds",
                of: &table,
                into: &maxBackoffSeconds,
                issues: issues
            )
            Self.readPositive(
                "breaker_cooldown_seconds",
                unit: "seconds",
                of: &table,
                into: &breakerCooldownSeconds,
                issues: issues
            )
            Self.readPositive(
                "max_breaker_cooldown_seconds",
                unit: "seconds",
                of: &table,
                into: &maxBreakerCooldownSeconds,
                issues: issues
            )
            if maxBreakerCooldownSeconds < breakerCooldownSeconds {
                issues.report(
                    table.keyPath("max_breaker_cooldown_seconds"),
                    "must be at least breaker_cooldown_seconds (\(breakerCooldownSeconds)), found \(maxBreakerCooldownSeconds)"
                )
            }
            if let value = table.nonEmptyString("rate_limits") {
                switch value {
                case "published": rateLimits = true
                case "off": rateLimits = false
                default:
                    issues.report(table.keyPath("rate_limits"), "must be \"published\" or \"off\", found \"\(value)\"")
                }
            }
            fixedBulkThreshold = table.contains("bulk_threshold")
            Self.readPositive("bulk_threshold", unit: "listings", of: &table, into: &bulkThreshold, issues: issues)
            Self.readPositive("max_attempts", unit: "attempts", of: &table, into: &maxAttempts, issues: issues)
            if let hours = table.integer("max_retry_hours") {
                if (1...87_600).contains(hours) {
                    maxRetryHours = hours
                } else {
                    issues.report(table.keyPath("max_retry_hours"), "must be between 1 and 87600 hours, found \(hours)")
                }
            }
            if let text = table.nonEmptyString("fx_max_change_factor") {
                if let factor = Money.parseDecimal(text), factor > 1 {
                    fxMaxChangeFactor = factor
                } else {
                    issues.report(
                        table.keyPath("fx_max_change_factor"),
                        "must be a decimal greater than 1 such as \"2\", found \"\(text)\""
                    )
                }
            }
            Self.readPositive(
                "control_idle_seconds",
                unit: "seconds",
                of: &table,
                into: &controlIdleSeconds,
                issues: issues
            )
            Self.readPositive(
                "control_max_connections",
                unit: "connections",
                of: &table,
                into: &controlMaxConnections,
                issues: issues
            )
            if let share = table.number("verify_quota_share") {
                if (0...1).contains(share) {
                    verifyQuotaShare = share
                } else {
                    issues.report(table.keyPath("verify_quota_share"), "must be between 0 and 1, found \(share)")
                }
            }
            Self.readPositive(
                "verify_interval_seconds",
                unit: "seconds",
                of: &table,
                into: &verifyIntervalSeconds,
                issues: issues
            )
            table.reportUnknownKeys(accepted: Self.keys)
            reader = table
        }
        if let directory = environment["STATE_DIRECTORY"], !directory.isEmpty {
            // systemd may pass several colon-separated directories; the first is ours.
            stateDirectory = String(directory.split(separator: ":").first ?? Substring(directory))
        }
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            credentialsDirectory = directory
            credentialsManagedBySystemd = true
        }
    }

    /// Reads the positive integer `key` into `value`, or reports it (naming the key) when it is not one.
    private static func readPositive(
        _ key: String,
        unit: String,
        of table: inout TOMLTableReader,
        into value: inout Int,
        issues: IssueCollector
    ) {
        guard let found = table.integer(key) else { return }
        if found > 0 {
            value = found
        } else {
            issues.report(table.keyPath(key), "must be a positive number of \(unit), found \(found)")
        }
    }
}
