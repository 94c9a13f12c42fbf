/// The path a channel's account takes now, in status: single calls or the bulk path, chosen by the
/// expected time each needs to drain the account's backlog with its quotas.
///
/// Wire keys: `mode` (`single` or `bulk`), `reason` (`bulk (single 480 s vs bulk 95 s)`), `backlog`
/// (due listings over the account's channels), `single_seconds`, `bulk_seconds` and
/// `turnaround_seconds` (the bulk turnaround the estimate used; absent when no estimate was made: the
/// channel's adapter publishes no path costs, or the daemon has a fixed `bulk_threshold`).
public struct PathSummary: Codable, Hashable, Sendable {
    /// `single` or `bulk`.
    public var mode: String
    /// Why, for a human.
    public var reason: String
    /// Due listings over every channel of the account (or of the channel, with a fixed threshold).
    public var backlog: Int
    /// Expected seconds for single calls to drain the backlog.
    public var singleSeconds: Double?
    /// Expected seconds for the bulk path to drain the backlog, turnaround included.
    public var bulkSeconds: Double?
    /// The bulk submission turnaround the estimate used (observed moving average, or the default).
    public var turnaroundSeconds: Double?

    public init(
        mode: String,
        reason: String,
        backlog: Int,
        singleSeconds: Double? = nil,
        bulkSeconds: Double? = nil,
        turnaroundSeconds: Double? = nil
    ) {
        self.mode = mode
        self.reason = reason
        self.backlog = backlog
        self.singleSeconds = singleSeconds
        self.bulkSeconds = bulkSeconds
        self.turnaroundSeconds = turnaroundSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case mode, reason, backlog
        case singleSeconds = "single_seconds"
        case bulkSeconds = "bulk_seconds"
        case turnaroundSeconds = "turnaround_seconds"
    }
}
