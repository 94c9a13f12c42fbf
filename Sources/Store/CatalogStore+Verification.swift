import Catalog
import Foundation
import GRDB

/// What the listing verifier last read back for one (channel, SKU).
public struct ListingCheck: Hashable, Sendable {
    public var channel: String
    public var sku: SKU
    public var checkedAt: Date
    /// `active`, `inactive`, `suppressed` or `missing` (the verifier's neutral words).
    public var liveStatus: String
    /// The platform's own status words (`BUYABLE,DISCOVERABLE`, `PUBLISHED`), when it gave any.
    public var platformStatus: String?
    /// The platform's listing issues as a JSON array, verbatim (`[]` when none).
    public var issuesJSON: String
    /// The last drift found on the listing (`drift: price 24.99 on amazon-de, expected 22.99`); kept
    /// after the repair, so an operator sees what was repaired.
    public var drift: String?
    public var driftAt: Date?
    /// Since when the platform has shown fewer units than desired without it being taken for drift
    /// yet (a sale the order poll has not read), `nil` when it does not.
    public var lowQuantitySince: Date?

    public init(
        channel: String,
        sku: SKU,
        checkedAt: Date,
        liveStatus: String,
        platformStatus: String? = nil,
        issuesJSON: String = "[]",
        drift: String? = nil,
        driftAt: Date? = nil,
        lowQuantitySince: Date? = nil
    ) {
        self.channel = channel
        self.sku = sku
        self.checkedAt = checkedAt
        self.liveStatus = liveStatus
        self.platformStatus = platformStatus
        self.issuesJSON = issuesJSON
        self.drift = drift
        self.driftAt = driftAt
        self.lowQuantitySince = lowQuantitySince
    }
}

/// One acked listing the verifier may read back: what the marketplace acknowledged for it.
public struct VerificationCandidate: Hashable, Sendable {
    public var sku: SKU
    public var acked: AckedHashes
    public var remoteID: String?
}

/// A channel verifier's progress: where its pass stands and what the passes found.
public struct VerifierProgress: Hashable, Sendable {
    public var channel: String
    /// The last SKU checked in the current pass (`nil`: the pass starts from the first SKU).
    public var cursor: SKU?
    public var passStartedAt: Date?
    /// When the last complete pass ended.
    public var lastPassAt: Date?
    /// Listings checked and drifts found in the current pass so far.
    public var passChecked: Int
    public var passDrifted: Int
    /// Listings checked and drifts found in the last complete pass.
    public var lastChecked: Int
    public var lastDrifted: Int
    /// Since the state database was created.
    public var totalChecked: Int
    public var totalDrifted: Int
    /// Why the last read failed, when it did (cleared by the next successful check).
    public var lastError: String?
}

/// The listing verifier's reads and writes: candidates in SKU order from a persisted cursor, the live
/// state it read, and drift repairs (the drifted facets' acks dropped and the pair marked dirty, in one
/// transaction).
extension CatalogStore {
    /// Up to `limit` listings of `channel` with an ack, in SKU order after `cursor`.
    public func verificationCandidates(channel: String, after cursor: SKU?, limit: Int) throws
        -> [VerificationCandidate]
    {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sku, content_hash, price_hash, quantity_hash, remote_id FROM listing_state
                    WHERE channel = ? AND sku > ?
                        AND (content_hash IS NOT NULL OR price_hash IS NOT NULL OR quantity_hash IS NOT NULL)
                    ORDER BY sku LIMIT ?
                    """,
                arguments: [channel, cursor?.rawValue ?? "", limit]
            ).map { row in
                VerificationCandidate(
                    sku: SKU(trusted: row[0]),
                    acked: AckedHashes(content: row[1], price: row[2], quantity: row[3]),
                    remoteID: row[4]
                )
            }
        }
    }

    /// Records what was read for one listing and moves the channel's cursor past it. With `drift`, the
    /// acks of `driftedFacets` are dropped and the pair is marked dirty with `priority` in the same
    /// transaction, so the repair is sent by the ordinary worker; a drift found earlier stays shown when
    /// this check found none.
    public func recordCheck(
        _ check: ListingCheck,
        driftedFacets: Set<Facet> = [],
        priority: SyncPriority = .normal
    ) throws {
        let now = StoreClock.millis(check.checkedAt)
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO listing_check
                        (sku, channel, checked_at, live_status, platform_status, issues, drift, drift_at, low_since)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (sku, channel) DO UPDATE SET
                        checked_at = excluded.checked_at, live_status = excluded.live_status,
                        platform_status = excluded.platform_status, issues = excluded.issues,
                        low_since = excluded.low_since,
                        drift = coalesce(excluded.drift, drift), drift_at = coalesce(excluded.drift_at, drift_at)
                    """,
                arguments: [
                    check.sku.rawValue, check.channel, now, check.liveStatus, check.platformStatus,
                    check.issuesJSON, check.drift, check.drift == nil ? nil : now,
                    check.lowQuantitySince.map(StoreClock.millis),
                ]
            )
            let drifted = check.drift != nil
            if drifted {
                for facet in driftedFacets.sorted() {
                    try db.execute(
                        sql: "UPDATE listing_state SET \(facet.rawValue)_hash = NULL WHERE sku = ? AND channel = ?",
                        arguments: [check.sku.rawValue, check.channel]
                    )
                }
                try db.execute(
                    sql: ProductWriter.markDirty,
                    arguments: [check.channel, check.sku.rawValue, priority.rawValue, now]
                )
            }
            try db.execute(
                sql: """
                    INSERT INTO verify_progress (channel, cursor_sku, pass_started_at, pass_checked, pass_drifted,
                        last_checked, last_drifted, total_checked, total_drifted)
                    VALUES (?, ?, ?, 1, ?, 0, 0, 1, ?)
                    ON CONFLICT (channel) DO UPDATE SET
                        cursor_sku = excluded.cursor_sku,
                        pass_started_at = coalesce(pass_started_at, excluded.pass_started_at),
                        pass_checked = pass_checked + 1, pass_drifted = pass_drifted + excluded.pass_drifted,
                        total_checked = total_checked + 1, total_drifted = total_drifted + excluded.total_drifted,
                        last_error = NULL
                    """,
                arguments: [check.channel, check.sku.rawValue, now, drifted ? 1 : 0, drifted ? 1 : 0]
            )
        }
    }

    /// Ends the channel's pass: its counts become the last pass's, and the next pass starts from the
    /// first SKU.
    public func finishVerificationPass(channel: String, now: Date = Date()) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO verify_progress (channel, cursor_sku, pass_started_at, last_pass_at, pass_checked,
                        pass_drifted, last_checked, last_drifted, total_checked, total_drifted)
                    VALUES (?, NULL, NULL, ?, 0, 0, 0, 0, 0, 0)
                    ON CONFLICT (channel) DO UPDATE SET
                        cursor_sku = NULL, pass_started_at = NULL, last_pass_at = excluded.last_pass_at,
                        last_checked = pass_checked, last_drifted = pass_drifted, pass_checked = 0, pass_drifted = 0
                    """,
                arguments: [channel, StoreClock.millis(now)]
            )
        }
    }

    /// Records why reading a listing of `channel` back failed (shown in status until a check succeeds).
    public func recordVerificationFailure(channel: String, reason: String) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO verify_progress (channel, pass_checked, pass_drifted, last_checked, last_drifted,
                        total_checked, total_drifted, last_error)
                    VALUES (?, 0, 0, 0, 0, 0, 0, ?)
                    ON CONFLICT (channel) DO UPDATE SET last_error = excluded.last_error
                    """,
                arguments: [channel, reason]
            )
        }
    }

    /// Every channel's verifier progress, by channel.
    public func verifierProgress() throws -> [String: VerifierProgress] {
        try pool.read { db in
            var result: [String: VerifierProgress] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, cursor_sku, pass_started_at, last_pass_at, pass_checked, pass_drifted,
                        last_checked, last_drifted, total_checked, total_drifted, last_error FROM verify_progress
                    """
            ) {
                let cursor: String? = row[1]
                let started: Int64? = row[2]
                let last: Int64? = row[3]
                let channel: String = row[0]
                result[channel] = VerifierProgress(
                    channel: channel,
                    cursor: cursor.map(SKU.init(trusted:)),
                    passStartedAt: started.map(StoreClock.date),
                    lastPassAt: last.map(StoreClock.date),
                    passChecked: row[4],
                    passDrifted: row[5],
                    lastChecked: row[6],
                    lastDrifted: row[7],
                    totalChecked: row[8],
                    totalDrifted: row[9],
                    lastError: row[10]
                )
            }
            return result
        }
    }

    /// What the verifier last read for `sku`, by channel.
    public func listingChecks(sku: SKU) throws -> [String: ListingCheck] {
        try pool.read { db in
            var result: [String: ListingCheck] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, checked_at, live_status, platform_status, issues, drift, drift_at, low_since
                    FROM listing_check WHERE sku = ?
                    """,
                arguments: [sku.rawValue]
            ) {
                let driftAt: Int64? = row[6]
                let lowSince: Int64? = row[7]
                let channel: String = row[0]
                result[channel] = ListingCheck(
                    channel: channel,
                    sku: sku,
                    checkedAt: StoreClock.date(row[1]),
                    liveStatus: row[2],
                    platformStatus: row[3],
                    issuesJSON: row[4],
                    drift: row[5],
                    driftAt: driftAt.map(StoreClock.date),
                    lowQuantitySince: lowSince.map(StoreClock.date)
                )
            }
            return result
        }
    }
}
