import Foundation

/// Which path an account's channels take now, and why: the expected time each path needs to drain the
/// account's backlog with the account's published quotas.
public struct PathChoice: Sendable, Hashable, CustomStringConvertible {
    /// The path lane 0 of each channel of the account takes.
    public var mode: PushMode
    /// Due listings over every channel of the account (counted up to a cap).
    public var backlog: Int
    /// Expected seconds for single calls to drain ``backlog``; `nil` when not estimated.
    public var singleSeconds: Double?
    /// Expected seconds for the bulk path to drain ``backlog`` (quota wait plus turnaround); `nil`
    /// when not estimated.
    public var bulkSeconds: Double?
    /// The turnaround of one bulk submission the estimate used, in seconds.
    public var turnaroundSeconds: Double?
    /// Why, for a human: `bulk (single 480 s vs bulk 95 s)`, `single (no bulk path)`.
    public var reason: String

    public var description: String { reason }
}

/// Estimates, from an account's published quotas, how long each path needs to drain a backlog, and
/// picks the faster one.
///
/// Single calls: one request per listing from the account's `singleOperation` bucket, the first
/// `burst` at once and the rest at the bucket's rate: `max(0, N − burst) / rate`. Bulk: one submission
/// per channel and ``AdapterCapabilities/maximumBatchSize`` listings, each spending every operation of
/// ``PathCosts/bulkOperations`` once; the slowest of those buckets sets the pace, and the last
/// submission's outcomes come a turnaround later: `max over ops of max(0, F − burst) / rate + T`.
/// An operation without a published quota costs nothing. Ties go to single calls (lower latency).
/// With the account's live buckets (`buckets`), a bucket's tokens now stand for its burst and its rate in
/// use for the published one, so a feed budget already spent counts against the bulk path.
public enum PathPlanner {
    /// The choice for `backlogs` (due listings per channel of one account).
    public static func choose(
        backlogs: [Int],
        capabilities: AdapterCapabilities,
        turnaround: Duration?,
        buckets: [RateLimiter.BucketState] = []
    ) -> PathChoice {
        let total = backlogs.reduce(0, +)
        guard capabilities.maximumBatchSize > 1 else {
            return PathChoice(mode: .single, backlog: total, reason: "single (no bulk path)")
        }
        guard capabilities.supportsSingleItem else {
            return PathChoice(mode: .bulk, backlog: total, reason: "bulk (no single-item calls)")
        }
        guard let costs = capabilities.pathCosts else {
            return PathChoice(mode: .single, backlog: total, reason: "single (no path costs published)")
        }
        var quotas = Dictionary(capabilities.quotas.map { ($0.operation, $0) }, uniquingKeysWith: { a, _ in a })
        for bucket in buckets where quotas[bucket.operation] != nil && bucket.rate > 0 {
            let tokens = Int(max(0, bucket.tokens).rounded(.down))
            quotas[bucket.operation] = OperationQuota(
                operation: bucket.operation,
                requestsPerSecond: bucket.rate,
                burst: min(tokens, bucket.burst)
            )
        }
        let single = seconds(requests: total, quota: quotas[costs.singleOperation])
        let submissions = backlogs.reduce(0) {
            $0 + ($1 + capabilities.maximumBatchSize - 1) / capabilities.maximumBatchSize
        }
        let wait = costs.bulkOperations.map { seconds(requests: submissions, quota: quotas[$0]) }.max() ?? 0
        let turnaroundSeconds = (turnaround ?? costs.defaultBulkTurnaround).seconds
        let bulk = total == 0 ? 0 : wait + turnaroundSeconds
        let mode: PushMode = total > 0 && bulk < single ? .bulk : .single
        return PathChoice(
            mode: mode,
            backlog: total,
            singleSeconds: single,
            bulkSeconds: bulk,
            turnaroundSeconds: turnaroundSeconds,
            reason: total == 0
                ? "single (nothing due)" : "\(mode.rawValue) (single \(shown(single)) vs bulk \(shown(bulk)))"
        )
    }

    /// Seconds until `requests` requests have left a bucket of `quota` that starts full.
    static func seconds(requests: Int, quota: OperationQuota?) -> Double {
        guard let quota, quota.requestsPerSecond > 0 else { return 0 }
        return Double(max(0, requests - quota.burst)) / quota.requestsPerSecond
    }

    /// `480 s`, `0.4 s`.
    static func shown(_ seconds: Double) -> String {
        seconds >= 10 ? "\(Int(seconds.rounded())) s" : String(format: "%.1f s", seconds)
    }
}
