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
    /// How far `catalogctl fx set` may move a rate without `--force`: a new rate more than this factor
    /// above or below the one in force is refused as a likely typo (`fx_max_change_factor`, default 2).
    public var fxMaxChangeFactor: Decimal
    /// How long the control socket waits on a client that is sending a request (or has not started
    /// one) before closing its connection, in seconds (`control_idle_seconds`, default 30). A
    /// response in progress (an `events` stream) is never cut.
    public var controlIdleSeconds: Int
    /// The most control connections served at once (`control_max_connections`, default 128); more
    /// wait in the socket's backlog until one closes.
    public var controlMaxConnections: Int

    /// The keys `[daemon]` accepts.
    public static let keys = [
        "state_directory", "control_socket", "base_currency", "credentials_directory", "drain_seconds",
        "request_timeout_seconds", "rate_limits", "bulk_threshold", "fx_max_change_factor",
        "control_idle_seconds", "control_max_connections",
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
        fxMaxChangeFactor: Decimal = 2,
        controlIdleSeconds: Int = 30,
        controlMaxConnections: Int = 128
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
        self.fxMaxChangeFactor = fxMaxChangeFactor
        self.controlIdleSeconds = controlIdleSeconds
        self.controlMaxConnections = controlMaxConnections
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
            if let seconds = table.integer("drain_seconds") {
                if seconds > 0 {
                    drainSeconds = seconds
                } else {
                    issues.report(
                        table.keyPath("drain_seconds"),
                        "must be a positive number of seconds, found \(seconds)"
                    )
                }
            }
            if let seconds = table.integer("request_timeout_seconds") {
                if seconds > 0 {
                    requestTimeoutSeconds = seconds
                } else {
                    issues.report(
                        table.keyPath("request_timeout_seconds"),
                        "must be a positive number of seconds, found \(seconds)"
                    )
                }
            }
            if let value = table.nonEmptyString("rate_limits") {
                switch value {
                case "published": rateLimits = true
                case "off": rateLimits = false
                default:
                    issues.report(table.keyPath("rate_limits"), "must be \"published\" or \"off\", found \"\(value)\"")
                }
            }
            if let threshold = table.integer("bulk_threshold") {
                if threshold > 0 {
                    bulkThreshold = threshold
                } else {
                    issues.report(
                        table.keyPath("bulk_threshold"),
                        "must be a positive number of listings, found \(threshold)"
                    )
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
            for (key, defaultValue) in [("control_idle_seconds", 30), ("control_max_connections", 128)] {
                guard let value = table.integer(key) else { continue }
                if value > 0 {
                    if key == "control_idle_seconds" {
                        controlIdleSeconds = value
                    } else {
                        controlMaxConnections = value
                    }
                } else {
                    issues.report(
                        table.keyPath(key),
                        "must be a positive number (default \(defaultValue)), found \(value)"
                    )
                }
            }
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
}
