import Catalog
import Foundation
import Logging
import Metrics
import Store
import Synchronization

/// Keeps one channel's listings true: claims due (channel, SKU) pairs, projects them at send time,
/// pushes what differs through the channel's adapter and records every SKU's outcome.
///
/// A worker runs ``Configuration/lanes`` loops side by side. Each claims a batch (leased, so no two
/// lanes ever send the same SKU at once), so a slow feed on one lane does not hold back single calls
/// on the others. Lane 0 switches to the adapter's bulk path when the backlog reaches
/// ``Configuration/bulkThreshold``. Idle lanes sleep until ``wake()`` or the next backoff expiry.
final class ChannelWorker: Sendable {
    /// What the worker needs of the engine's configuration.
    typealias Configuration = SyncEngine.Configuration

    /// The channel's rules and adapter, swapped as a whole on reload.
    struct Binding: Sendable {
        var projector: ChannelProjector
        var adapter: any MarketplaceAdapter
        /// Where the price takes its per-SKU landed cost from, when it adds one.
        var landedCost: LandedCostInput? = nil
        /// The channels whose prices add this channel's landed costs: marked dirty for every SKU this
        /// channel records an outcome for (its landed costs may have changed).
        var dependents: [String] = []
    }

    private struct State {
        var binding: Binding
        var isPaused = false
        var isStopping = false
        var breaker: CircuitBreaker
        var inFlight = 0
    }

    let channel: String
    private let store: CatalogStore
    private let configuration: Configuration
    private let logger: Logger
    private let onEvent: @Sendable (EngineEvent) -> Void
    private let wakeChannels: @Sendable ([String]) -> Void
    private let signal = WakeSignal()
    private let state: Mutex<State>

    init(
        channel: String,
        binding: Binding,
        store: CatalogStore,
        configuration: Configuration,
        logger: Logger,
        onEvent: @escaping @Sendable (EngineEvent) -> Void,
        wakeChannels: @escaping @Sendable ([String]) -> Void = { _ in }
    ) {
        self.channel = channel
        self.wakeChannels = wakeChannels
        self.store = store
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "channel"] = "\(channel)"
        self.logger = logger
        self.onEvent = onEvent
        self.state = Mutex(State(binding: binding, breaker: CircuitBreaker(configuration: configuration.breaker)))
    }

    /// The channel's adapter now.
    var adapter: any MarketplaceAdapter { state.withLock { $0.binding.adapter } }
    /// The channel's projector now.
    var projector: ChannelProjector { state.withLock { $0.binding.projector } }
    /// Whether the channel is paused.
    var isPaused: Bool { state.withLock { $0.isPaused } }
    /// SKUs being sent right now.
    var inFlight: Int { state.withLock { $0.inFlight } }
    /// Whether the circuit breaker holds sends back.
    var isBreakerOpen: Bool { state.withLock { $0.breaker.isOpen } }
    /// The circuit breaker, for status.
    var breakerStatus: BreakerStatus { state.withLock { $0.breaker.status() } }

    /// Replaces the channel's rules and adapter (reload); the next claim uses them.
    func rebind(_ binding: Binding) {
        state.withLock { $0.binding = binding }
        signal.signal()
    }

    func setPaused(_ paused: Bool) {
        state.withLock { $0.isPaused = paused }
        signal.signal()
    }

    /// New work may be due: idle lanes look now.
    func wake() {
        signal.signal()
    }

    /// Stops claiming; lanes return once their in-flight pushes are recorded.
    func stop() {
        state.withLock { $0.isStopping = true }
        signal.signal()
    }

    /// Runs the lanes until ``stop()`` or cancellation.
    func run() async {
        await withDiscardingTaskGroup { group in
            for lane in 0..<max(1, configuration.lanes) {
                group.addTask { await self.runLane(lane) }
            }
        }
    }

    private func runLane(_ lane: Int) async {
        while !Task.isCancelled {
            let generation = signal.generation
            let (stopping, paused, breakerWait, binding) = state.withLock { state in
                (state.isStopping, state.isPaused, state.breaker.permission(), state.binding)
            }
            if stopping { return }
            if paused {
                await signal.wait(since: generation, timeout: .seconds(3600))
                continue
            }
            if let breakerWait {
                await signal.wait(since: generation, timeout: breakerWait)
                continue
            }
            do {
                let probing = state.withLock { $0.breaker.isOpen }
                let (mode, limit) = try plan(lane: lane, adapter: binding.adapter, probing: probing)
                let claimed = try store.claimDue(channel: channel, limit: limit)
                if claimed.isEmpty {
                    await signal.wait(since: generation, timeout: try idleTimeout())
                    continue
                }
                await send(claimed, mode: mode, binding: binding)
            } catch {
                logger.error("store error, retrying in 1 s", metadata: ["error": "\(error)"])
                await signal.wait(since: signal.generation, timeout: .seconds(1))
            }
        }
    }

    /// Single calls in small batches, or (lane 0, big backlog) the adapter's bulk path.
    private func plan(lane: Int, adapter: any MarketplaceAdapter, probing: Bool) throws -> (PushMode, Int) {
        if probing { return (.single, 1) }
        let capabilities = adapter.capabilities
        guard lane == 0, capabilities.maximumBatchSize > 1 else {
            return (.single, configuration.singleBatchSize)
        }
        let due = try store.dueCount(channel: channel, limit: configuration.bulkThreshold)
        if due >= configuration.bulkThreshold || !capabilities.supportsSingleItem {
            return (.bulk, capabilities.maximumBatchSize)
        }
        return (.single, configuration.singleBatchSize)
    }

    /// Until the next backoff or lease expiry, at most ``Configuration/idlePoll``.
    private func idleTimeout() throws -> Duration {
        guard let next = try store.nextDueDate(channel: channel) else { return configuration.idlePoll }
        let seconds = next.timeIntervalSinceNow
        guard seconds > 0 else { return .milliseconds(20) }
        return min(configuration.idlePoll, .milliseconds(Int64(seconds * 1000) + 5))
    }

    /// The listing of `product` as this channel wants it now, with its landed cost when the price adds one.
    /// - Throws: ``AdapterError/configuration(key:message:)`` naming the SKU when the price is held.
    func desiredListing(of product: Product) async throws -> DesiredListing {
        let binding = state.withLock { $0.binding }
        let currency = binding.projector.channel.currency
        var landedCost: Money?
        if let input = binding.landedCost {
            landedCost = try? await input.amounts(for: [product.sku], currency: currency)[product.sku]
        }
        guard let listing = binding.projector.project(product, landedCost: landedCost) else {
            let reason = await binding.landedCost?.holdReason(sku: product.sku, currency: currency)
            throw AdapterError.configuration(key: "sku", message: reason ?? "price of SKU \(product.sku) unknown")
        }
        return listing
    }

    // MARK: - One batch

    private func send(_ claimed: [ClaimedListing], mode: PushMode, binding: Binding) async {
        let started = ContinuousClock.now
        var landedCosts: [SKU: Money] = [:]
        if let input = binding.landedCost {
            do {
                landedCosts = try await input.amounts(
                    for: claimed.map(\.sku),
                    currency: binding.projector.channel.currency
                )
            } catch {
                logger.error("could not read landed costs", metadata: ["error": "\(error)"])
            }
        }
        let plan: SendPlan
        do {
            plan = try SendPlan(
                claimed: claimed,
                channel: channel,
                store: store,
                projector: binding.projector,
                capabilities: binding.adapter.capabilities,
                landedCosts: landedCosts
            )
            if !plan.settled.isEmpty { try store.complete(channel: channel, acks: plan.settled) }
        } catch {
            logger.error("could not prepare a batch", metadata: ["error": "\(error)"])
            return
        }
        if !plan.held.isEmpty { await hold(plan.held, binding: binding, mode: mode) }
        guard !plan.changes.isEmpty else { return }
        state.withLock { $0.inFlight += plan.changes.count }
        let outcomes = await binding.adapter.push(plan.changes, mode: mode)
        state.withLock { $0.inFlight -= plan.changes.count }
        record(outcomes, of: plan, mode: mode, started: started, dependents: binding.dependents)
    }

    /// Holds back SKUs whose price needs a landed cost that is missing: nothing is sent, the pair is
    /// retried after a backoff (at once if its source marks it meanwhile), with the reason as last error.
    private func hold(_ held: [ClaimedListing], binding: Binding, mode: PushMode) async {
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
    private func markDependents(_ dependents: [String], skus: [SKU]) {
        guard !dependents.isEmpty, !skus.isEmpty else { return }
        do {
            try store.markPriceInputChanged(dependents.flatMap { name in skus.map { (name, $0) } })
            wakeChannels(dependents)
        } catch {
            logger.error("could not mark dependent channels", metadata: ["error": "\(error)"])
        }
    }

    private func record(
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
                    acks.append(
                        ListingAck(
                            sku: change.sku,
                            generation: claim.generation,
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
                case .retry(let reason, let after):
                    let delay = configuration.backoff.delay(attempt: claim.attempts + 1, retryAfter: after)
                    try store.retryLater(
                        channel: channel,
                        sku: change.sku,
                        generation: claim.generation,
                        notBefore: Date().addingTimeInterval(delay.seconds),
                        error: reason
                    )
                    if outcome.isThrottle {
                        events.append(event(.throttled, reason, delay))
                    } else {
                        state.withLock { $0.breaker.recordFailure() }
                        events.append(event(.retrying, reason, delay))
                    }
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

    /// Counts one outcome per facet sent, under the ``SyncMetrics`` names.
    private static func count(_ event: EngineEvent) {
        let name =
            switch event.outcome {
            case .accepted: SyncMetrics.acceptedTotal
            case .rejected: SyncMetrics.rejectedTotal
            case .retrying: SyncMetrics.retriedTotal
            case .throttled: SyncMetrics.throttledTotal
            }
        for facet in event.facets.isEmpty ? [Facet.content] : event.facets {
            Counter(
                label: name,
                dimensions: [(SyncMetrics.Label.channel, event.channel), (SyncMetrics.Label.facet, facet.rawValue)]
            ).increment()
        }
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension MarketplaceIssue {
    /// The issues as one dead-letter reason, in the marketplace's words: `code: message [attributes]`.
    static func reason(_ issues: [MarketplaceIssue]) -> String {
        guard !issues.isEmpty else { return "rejected without a reason" }
        return issues.map { issue in
            let attributes = issue.attributeNames.isEmpty ? "" : " [\(issue.attributeNames.joined(separator: ", "))]"
            return "\(issue.code): \(issue.message)\(attributes)"
        }.joined(separator: " | ")
    }
}
