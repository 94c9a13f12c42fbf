import Catalog
import Foundation
import Logging
import Metrics
import Store

/// Recording what a push ended in: acks, dead letters, backoffs and holds, the breaker's verdicts,
/// the channel's need for attention, events and metrics.
extension ChannelWorker {
    /// Holds back SKUs whose price needs a landed cost that is missing: nothing is sent, the pair is
    /// retried after a backoff (at once if its source marks it meanwhile), with the reason as last error.
    func hold(_ held: [ClaimedListing], binding: Binding, mode: PushMode) async {
        let currency = binding.projector.channel.currency
        for claim in held {
            let reason =
                await binding.landedCost?.holdReason(sku: claim.sku, currency: currency)
                ?? "price of SKU \(claim.sku) unknown"
            let delay = configuration.backoff.delay(attempt: claim.attempts + 1, retryAfter: nil)
            do {
                try store.hold(
                    channel: channel,
                    sku: claim.sku,
                    generation: claim.generation,
                    notBefore: Date().addingTimeInterval(delay.seconds),
                    reason: reason
                )
            } catch {
                logger.error("could not hold a SKU", metadata: ["sku": "\(claim.sku)", "error": "\(error)"])
                continue
            }
            logger.debug("held", metadata: ["sku": "\(claim.sku)", "reason": "\(reason)"])
            let event = EngineEvent(
                channel: channel,
                sku: claim.sku,
                facets: [.price],
                outcome: .retrying,
                message: reason,
                retryAfter: delay,
                mode: mode,
                duration: .zero
            )
            Self.count(event)
            onEvent(event)
        }
    }

    /// Marks `skus` dirty on the channels whose prices add this channel's landed costs, before their
    /// outcomes are recorded here (a crash in between re-sends, never forgets), and wakes them.
    func markDependents(_ dependents: [String], skus: [SKU]) {
        guard !dependents.isEmpty, !skus.isEmpty else { return }
        do {
            try store.markPriceInputChanged(dependents.flatMap { name in skus.map { (name, $0) } })
            wakeChannels(dependents)
        } catch {
            logger.error("could not mark dependent channels", metadata: ["error": "\(error)"])
        }
    }

    func record(
        _ outcomes: [SKU: ListingOutcome],
        of plan: SendPlan,
        mode: PushMode,
        started: ContinuousClock.Instant,
        dependents: [String]
    ) {
        markDependents(
            dependents,
            skus: plan.changes.map(\.sku).filter { sku in
                switch outcomes[sku] {
                case .accepted?, .rejected?: true
                default: false
                }
            }
        )
        let duration = ContinuousClock.now - started
        var acks: [ListingAck] = []
        var events: [EngineEvent] = []
        for change in plan.changes {
            let claim = plan.claims[change.sku]!
            let outcome = outcomes[change.sku] ?? .retry(reason: "the adapter reported no outcome", after: nil)
            let facets = change.facets.sorted()
            func event(_ kind: EngineEvent.Outcome, _ message: String? = nil, _ after: Duration? = nil) -> EngineEvent {
                EngineEvent(
                    channel: channel,
                    sku: change.sku,
                    facets: facets,
                    outcome: kind,
                    message: message,
                    retryAfter: after,
                    mode: mode,
                    duration: duration
                )
            }
            do {
                switch outcome {
                case .accepted(let sent, let remoteID):
                    var hashes = plan.notApplicable[change.sku] ?? AckedHashes()
                    for (facet, hash) in sent { hashes[facet] = hash.rawValue }
                    // An acceptance of other values than the ones desired (an adapter that followed a
                    // request sent earlier, e.g. an Amazon feed still in flight) acks what was accepted but
                    // never finishes the pair: it is due again at once with the desired values.
                    let stale = change.facets.filter { facet in
                        sent[facet].map { $0 != change.desired.hashes[facet] } ?? false
                    }
                    if !stale.isEmpty {
                        logger.notice(
                            "accepted older values than desired; sending the desired ones",
                            metadata: ["sku": "\(change.sku)", "facets": "\(stale.sorted())"]
                        )
                    }
                    acks.append(
                        ListingAck(
                            sku: change.sku,
                            generation: stale.isEmpty ? claim.generation : Self.unfinishedGeneration,
                            sent: hashes,
                            remoteID: remoteID,
                            removed: change.isRemoval
                        )
                    )
                    state.withLock { $0.breaker.recordSuccess() }
                    events.append(event(.accepted))
                case .rejected(let issues):
                    let reason = MarketplaceIssue.reason(issues)
                    try store.reject(
                        channel: channel,
                        sku: change.sku,
                        generation: claim.generation,
                        facet: nil,
                        reason: reason
                    )
                    state.withLock { $0.breaker.recordSuccess() }
                    logger.warning("rejected", metadata: ["sku": "\(change.sku)", "reason": "\(reason)"])
                    events.append(event(.rejected, reason))
                case .held(let issues):
                    // Nothing was sent: no attempt counted, the breaker untouched, no dependents marked.
                    let reason = MarketplaceIssue.heldReason(issues)
                    try store.reject(
                        channel: channel,
                        sku: change.sku,
                        generation: claim.generation,
                        facet: nil,
                        reason: reason,
                        status: "held"
                    )
                    logger.warning("held", metadata: ["sku": "\(change.sku)", "reason": "\(reason)"])
                    events.append(event(.held, reason))
                case .retry(let reason, let after):
                    if !outcome.isThrottle { state.withLock { $0.breaker.recordFailure() } }
                    if let giveUp = giveUpReason(claim, reason: reason, isThrottle: outcome.isThrottle) {
                        try store.reject(
                            channel: channel,
                            sku: change.sku,
                            generation: claim.generation,
                            facet: nil,
                            reason: giveUp
                        )
                        logger.warning("gave up", metadata: ["sku": "\(change.sku)", "reason": "\(giveUp)"])
                        events.append(event(.rejected, giveUp))
                        continue
                    }
                    let delay = configuration.backoff.delay(attempt: claim.attempts + 1, retryAfter: after)
                    try store.retryLater(
                        channel: channel,
                        sku: change.sku,
                        generation: claim.generation,
                        notBefore: Date().addingTimeInterval(delay.seconds),
                        error: reason
                    )
                    events.append(event(outcome.isThrottle ? .throttled : .retrying, reason, delay))
                case .needsAttention(let reason):
                    // Nothing is wrong with the listing: it stays due, and the channel waits for an operator.
                    try store.retryLater(
                        channel: channel,
                        sku: change.sku,
                        generation: claim.generation,
                        notBefore: Date(),
                        error: reason
                    )
                    let first = state.withLock { state in
                        defer { state.attention = state.attention ?? reason }
                        return state.attention == nil
                    }
                    if first { logger.error("channel needs attention", metadata: ["reason": "\(reason)"]) }
                    events.append(event(.retrying, reason))
                }
            } catch {
                logger.error("could not record an outcome", metadata: ["sku": "\(change.sku)", "error": "\(error)"])
            }
        }
        do {
            if !acks.isEmpty { try store.complete(channel: channel, acks: acks) }
        } catch {
            logger.error("could not record acks", metadata: ["count": "\(acks.count)", "error": "\(error)"])
        }
        for event in events {
            Self.count(event)
            onEvent(event)
        }
        Metrics.Timer(
            label: SyncMetrics.requestDuration,
            dimensions: [(SyncMetrics.Label.channel, channel), (SyncMetrics.Label.operation, "push_\(mode.rawValue)")]
        ).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
    }

    /// Why the engine stops retrying `claim` after this failure (its attempts or the time since its
    /// first failure reached the configured cap), with the last reason; `nil` to retry.
    ///
    /// A throttled wait (a 429, a spent daily quota) is no failed attempt of the listing: the platform's
    /// quota delays it, never dead-letters it, so only the age cap applies to it.
    func giveUpReason(_ claim: ClaimedListing, reason: String, isThrottle: Bool = false, now: Date = Date()) -> String?
    {
        let attempts = claim.attempts + 1
        if !isThrottle, attempts >= configuration.maximumAttempts {
            return "gave up after \(attempts) attempts: \(reason)"
        }
        if let first = claim.firstFailedAt, now.timeIntervalSince(first) >= configuration.maximumRetryAge.seconds {
            let hours = Int(now.timeIntervalSince(first) / 3600)
            return "gave up after \(attempts) attempts over \(hours) h: \(reason)"
        }
        return nil
    }

    /// A generation no dirty row has: an ack with it records the hashes and releases the pair due at once
    /// (``CatalogStore/complete(channel:acks:now:)``) instead of finishing it.
    static let unfinishedGeneration: Int64 = -1

    /// Counts one outcome per facet sent, under the ``SyncMetrics`` names.
    static func count(_ event: EngineEvent) {
        let name =
            switch event.outcome {
            case .accepted: SyncMetrics.acceptedTotal
            case .rejected: SyncMetrics.rejectedTotal
            case .held: SyncMetrics.heldTotal
            case .retrying: SyncMetrics.retriedTotal
            case .throttled: SyncMetrics.throttledTotal
            case .drifted: SyncMetrics.driftedTotal
            }
        for facet in event.facets.isEmpty ? [Facet.content] : event.facets {
            Counter(
                label: name,
                dimensions: [(SyncMetrics.Label.channel, event.channel), (SyncMetrics.Label.facet, facet.rawValue)]
            ).increment()
        }
    }
}
