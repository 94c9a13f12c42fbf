import Catalog
import Foundation
import Sync

/// Feeds a push gave up waiting for: remembered, read again when their SKUs come back, reconciled.
///
/// A feed that is not done within ``WalmartAdapter/Configuration/feedWait`` still runs at Walmart and
/// may apply later. Its id and what it carries per SKU are kept in the account's data
/// (``WalmartAbandonedFeeds``), and every push first reads the status of the remembered feeds that
/// carry any of its SKUs:
///
/// - **done** (`PROCESSED`): an item that succeeded with the values the SKU still wants is accepted without
///   sending anything (no second feed for the same values); one that failed with them is rejected with
///   Walmart's own ingestion errors; a SKU that wants other values by now is sent as usual.
/// - **still running**: sending a newer value of a facet the feed carries could be overwritten when the
///   old feed applies, so the SKU waits (`retry`, nothing sent, no feed budget spent) — except urgent
///   changes and removals, which go out at once by single calls and come back (`retry`) to be sent again
///   once the old feed is done, unless the feed carries the very same values.
/// - **`ERROR`, unknown to Walmart, or older than ``WalmartAdapter/Configuration/abandonedFeedLimit``**:
///   forgotten; the SKU is sent as usual. Every call sent is idempotent (absolute prices and
///   quantities, `REPLACE` items), so sending again is always safe.
extension WalmartAdapter {
    /// What remembered feeds say about one SKU of a push.
    enum EarlierFeed: Sendable, Hashable {
        /// These facets are on Walmart already, with the values the change wants.
        case settled(Set<Facet>)
        /// Walmart refused the values the change wants, in its own words.
        case rejected([MarketplaceIssue])
        /// A feed carrying the SKU is still running; `sameValues` when it carries what the change wants.
        case running(feedID: String, feedType: String, status: String, sameValues: Bool)
    }

    /// Pushes `changes` after reading what remembered feeds say about them: settled facets are not sent
    /// again, refused values are rejected, SKUs behind a running feed wait (urgent ones go at once).
    public func push(_ changes: [ListingChange], mode: PushMode) async -> [SKU: ListingOutcome] {
        let earlier = await reconcile(changes)
        var outcomes: [SKU: ListingOutcome] = [:]
        var work: [ListingChange] = []
        var now: [ListingChange] = []
        var recheck: [SKU: String] = [:]
        for change in changes {
            switch earlier[change.sku] {
            case nil:
                work.append(change)
            case .settled(let facets):
                var rest = change
                rest.facets.subtract(facets)
                if change.isRemoval || !rest.facets.isEmpty {
                    work.append(change.isRemoval ? change : rest)
                } else {
                    outcomes[change.sku] = .accepted(change)
                }
            case .rejected(let issues):
                if change.isRemoval { work.append(change) } else { outcomes[change.sku] = .rejected(issues: issues) }
            case .running(let feedID, let feedType, let status, let sameValues):
                let feed = "Walmart \(feedType) feed \(feedID) with an earlier update of SKU \(change.sku)"
                if change.isUrgent || change.isRemoval {
                    now.append(change)
                    if change.isRemoval || !sameValues {
                        recheck[change.sku] =
                            "SKU \(change.sku) sent now; sent again once the \(feed) is done (still \(status))"
                    }
                } else {
                    outcomes[change.sku] = .retry(
                        reason: "waiting for the \(feed) (still \(status)); sent after its result",
                        after: configuration.longestPoll
                    )
                }
            }
        }
        async let sentLater = send(work, mode: mode)
        async let sentNow = send(now, mode: .single)
        let sent = await sentLater.merging(sentNow) { first, _ in first }
        for change in changes where outcomes[change.sku] == nil {
            switch sent[change.sku] {
            case .accepted?:
                if let reason = recheck[change.sku] {
                    outcomes[change.sku] = .retry(reason: reason, after: configuration.longestPoll)
                } else {
                    // Accepted with every facet of the change: the ones an earlier feed settled as well.
                    outcomes[change.sku] = .accepted(change)
                }
            case let outcome?:
                outcomes[change.sku] = outcome
            case nil:
                outcomes[change.sku] = .retry(reason: "no outcome for SKU \(change.sku)", after: nil)
            }
        }
        return outcomes
    }

    /// Reads the remembered feeds carrying any of `changes`' SKUs and says, per SKU, what they settled.
    func reconcile(_ changes: [ListingChange]) async -> [SKU: EarlierFeed] {
        let records: [WalmartAbandonedFeed]
        do {
            records = try await abandoned.all()
        } catch {
            client.context.logger.warning(
                "cannot read abandoned Walmart feeds; sending as usual",
                metadata: ["error": "\(error)"]
            )
            return [:]
        }
        guard !records.isEmpty else { return [:] }
        let bySKU = Dictionary(changes.map { ($0.sku.rawValue, $0) }, uniquingKeysWith: { $1 })
        var result: [SKU: EarlierFeed] = [:]
        for record in records {
            if Date().timeIntervalSince(record.submittedAt) > configuration.abandonedFeedLimit.seconds {
                await forget(record.feedID)
                continue
            }
            let involved = record.items.keys.compactMap { bySKU[$0] }
            guard !involved.isEmpty else { continue }
            switch await feeds.status(feedID: record.feedID) {
            case .failed, .unknown:
                await forget(record.feedID)
            case .inProgress(let status), .unavailable(let status):
                // A status that could not be read counts as running: sending now could be overwritten.
                // Only what the feed carries can be overwritten (a removal: its zero stock).
                for change in involved
                where !(change.isRemoval ? [.quantity] : change.facets).isDisjoint(with: record.facets(of: change.sku))
                {
                    result[change.sku] = .running(
                        feedID: record.feedID,
                        feedType: record.feedType,
                        status: status,
                        sameValues: record.carriesSameValues(as: change)
                    )
                }
            case .processed(let status):
                let items = WalmartFeedRunner.itemOutcomes(status, skus: involved.map(\.sku))
                for change in involved where record.carriesSameValues(as: change) {
                    result[change.sku] = Self.merge(
                        result[change.sku],
                        items[change.sku],
                        record.facets(of: change.sku)
                    )
                }
                do {
                    try await abandoned.resolve(feedID: record.feedID, skus: Set(involved.map(\.sku)))
                } catch {
                    client.context.logger.warning(
                        "cannot update abandoned Walmart feed",
                        metadata: ["feed": "\(record.feedID)", "error": "\(error)"]
                    )
                }
            }
        }
        return result
    }

    /// `current` with one finished feed's item result for the SKU added: a feed still running wins, then
    /// a rejection; settled facets add up. An item status other than success or data error settles nothing.
    static func merge(_ current: EarlierFeed?, _ item: ListingOutcome??, _ facets: Set<Facet>) -> EarlierFeed? {
        switch (current, item) {
        case (.running?, _), (.rejected?, _): return current
        case (_, .some(.some(.rejected(let issues)))): return .rejected(issues)
        case (.settled(let settled)?, .some(.none)): return .settled(settled.union(facets))
        case (nil, .some(.none)): return .settled(facets)
        default: return current
        }
    }

    /// Remembers a feed given up on, with what it carries for `changes`; `awaiting`: SKUs told to retry.
    func remember(feedID: String, feedType: String, changes: [ListingChange], awaiting: Set<SKU>) async {
        let feed = WalmartAbandonedFeed(
            feedID: feedID,
            feedType: feedType,
            submittedAt: Date(),
            changes: changes,
            awaiting: awaiting
        )
        do {
            try await abandoned.remember(feed)
        } catch {
            client.context.logger.warning(
                "cannot remember abandoned Walmart feed; its SKUs are sent again without its result",
                metadata: ["feed": "\(feedID)", "error": "\(error)"]
            )
        }
    }

    private func forget(_ feedID: String) async {
        do {
            try await abandoned.forget(feedID: feedID)
        } catch {
            client.context.logger.warning(
                "cannot forget abandoned Walmart feed",
                metadata: ["feed": "\(feedID)", "error": "\(error)"]
            )
        }
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
