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
/// on the others. Lane 0 switches to the adapter's bulk path when the channel's account drains its
/// backlog sooner that way (``AccountPaths``, ``PathPlanner``), or, for adapters that publish no path
/// costs (or with ``Configuration/pathByBudget`` off), when the backlog reaches
/// ``Configuration/bulkThreshold``. Urgent changes in a bulk batch still go as single calls. Idle lanes
/// sleep until ``wake()`` or the next backoff expiry.
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
        /// The path choice of the channel's account.
        var paths: AccountPaths? = nil
    }

    struct State {
        var binding: Binding
        var isPaused = false
        var isStopping = false
        var breaker: CircuitBreaker
        var inFlight = 0
        /// Why the channel stopped sending until an operator acts (the platform refused the account).
        var attention: String?
        /// The path lane 0 last chose, and why.
        var path: PathChoice?
    }

    let channel: String
    let store: CatalogStore
    let configuration: Configuration
    let logger: Logger
    let onEvent: @Sendable (EngineEvent) -> Void
    let wakeChannels: @Sendable ([String]) -> Void
    private let signal = WakeSignal()
    /// Wakes the channel's ``ListingVerifier`` (only to stop it: its pace is its own).
    private let verifierSignal = WakeSignal()
    let state: Mutex<State>

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
    /// Why the channel stopped sending until an operator acts, in the platform's words.
    var attention: String? { state.withLock { $0.attention } }
    /// Whether ``stop()`` was called.
    var isStopping: Bool { state.withLock { $0.isStopping } }
    /// Neither paused nor waiting for an operator's attention.
    var isRunnable: Bool { state.withLock { !$0.isPaused && $0.attention == nil } }

    /// The path lane 0 last chose, and why.
    var path: PathChoice? { state.withLock { $0.path } }

    /// The path lane 0 would choose now (for status), kept as ``path``.
    func currentPath() async throws -> PathChoice {
        let adapter = self.adapter
        let paths = state.withLock { $0.binding.paths }
        let choice = try await choosePath(adapter: adapter, paths: paths)
        state.withLock { $0.path = choice }
        return choice
    }

    /// Replaces the channel's rules and adapter (reload); the next claim uses them. A channel that
    /// needed attention tries again: the reload may be the fix.
    func rebind(_ binding: Binding) {
        state.withLock { state in
            state.binding = binding
            state.attention = nil
        }
        signal.signal()
    }

    /// Pauses or resumes the channel; resuming also lets a channel that needed attention try again.
    func setPaused(_ paused: Bool) {
        state.withLock { state in
            state.isPaused = paused
            if !paused { state.attention = nil }
        }
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
        verifierSignal.signal()
    }

    /// Runs the lanes until ``stop()`` or cancellation.
    func run() async {
        await withDiscardingTaskGroup { group in
            for lane in 0..<max(1, configuration.lanes) {
                group.addTask { await self.runLane(lane) }
            }
            if configuration.verification.quotaShare > 0 {
                let verifier = ListingVerifier(
                    worker: self,
                    configuration: configuration.verification,
                    signal: verifierSignal
                )
                group.addTask { await verifier.run() }
            }
        }
    }

    /// What a lane does next.
    private enum Step {
        case stop
        case wait(Duration)
        case send(probe: Int?, binding: Binding)
    }

    private func runLane(_ lane: Int) async {
        while !Task.isCancelled {
            let generation = signal.generation
            let step = state.withLock { state -> Step in
                if state.isStopping { return .stop }
                if state.isPaused || state.attention != nil { return .wait(.seconds(3600)) }
                switch state.breaker.permission() {
                case .wait(let delay): return .wait(delay)
                case .send(let probe): return .send(probe: probe, binding: state.binding)
                }
            }
            switch step {
            case .stop:
                return
            case .wait(let delay):
                await signal.wait(since: generation, timeout: delay)
            case .send(let probe, let binding):
                let outcome = await attempt(lane: lane, binding: binding, probing: probe != nil)
                // However the attempt ended, a probe ticket goes back: with a verdict recorded this
                // changes nothing; without one (throttled, nothing due, an error) the next lane probes.
                if let probe { state.withLock { $0.breaker.endProbe(probe) } }
                switch outcome {
                case .sent: break
                case .nothingDue(let delay): await signal.wait(since: generation, timeout: delay)
                case .storeFailed: await signal.wait(since: signal.generation, timeout: .seconds(1))
                }
            }
        }
    }

    /// How one claim-and-send attempt ended.
    private enum Attempt {
        case sent
        /// Nothing was due; the next may be after this long.
        case nothingDue(Duration)
        case storeFailed
    }

    /// Claims and sends one batch.
    private func attempt(lane: Int, binding: Binding, probing: Bool) async -> Attempt {
        do {
            let (mode, limit, minimumPriority) = try await plan(lane: lane, binding: binding, probing: probing)
            let claimed = try store.claimDue(channel: channel, limit: limit, minimumPriority: minimumPriority)
            if claimed.isEmpty {
                // Urgent-only lanes wait for a wake-up (a new change) rather than for the normal backlog.
                return .nothingDue(minimumPriority > .normal ? configuration.idlePoll : try idleTimeout())
            }
            await send(claimed, mode: mode, binding: binding)
            return .sent
        } catch {
            logger.error("store error, retrying in 1 s", metadata: ["error": "\(error)"])
            return .storeFailed
        }
    }

    /// Single calls in small batches, or (lane 0, when the path choice says so) the adapter's bulk path.
    /// While the account goes bulk by its budget, the other lanes send only urgent changes: single calls
    /// of normal ones would spend the single-call quota the estimate left to the feeds' turnaround.
    private func plan(lane: Int, binding: Binding, probing: Bool) async throws -> (PushMode, Int, SyncPriority) {
        if probing { return (.single, 1, .normal) }
        let capabilities = binding.adapter.capabilities
        guard capabilities.maximumBatchSize > 1 else {
            return (.single, configuration.singleBatchSize, .normal)
        }
        let byBudget = configuration.pathByBudget && capabilities.pathCosts != nil && binding.paths != nil
        if lane != 0 && !byBudget { return (.single, configuration.singleBatchSize, .normal) }
        let choice = try await choosePath(adapter: binding.adapter, paths: binding.paths)
        state.withLock { $0.path = choice }
        guard choice.mode == .bulk else { return (.single, configuration.singleBatchSize, .normal) }
        if lane == 0 { return (.bulk, capabilities.maximumBatchSize, .normal) }
        return (.single, configuration.singleBatchSize, .priceDecrease)
    }

    /// The account's choice when the adapter publishes path costs, else the fixed threshold.
    private func choosePath(adapter: any MarketplaceAdapter, paths: AccountPaths?) async throws -> PathChoice {
        let capabilities = adapter.capabilities
        if configuration.pathByBudget, capabilities.pathCosts != nil, let paths {
            return try await paths.choice()
        }
        let threshold = configuration.bulkThreshold
        let due = try store.dueCount(channel: channel, limit: threshold)
        if !capabilities.supportsSingleItem, capabilities.maximumBatchSize > 1 {
            return PathChoice(mode: .bulk, backlog: due, reason: "bulk (no single-item calls)")
        }
        guard capabilities.maximumBatchSize > 1 else {
            return PathChoice(mode: .single, backlog: due, reason: "single (no bulk path)")
        }
        let shown = due >= threshold ? "\(threshold)+" : "\(due)"
        return due >= threshold
            ? PathChoice(mode: .bulk, backlog: due, reason: "bulk (backlog \(shown) ≥ threshold \(threshold))")
            : PathChoice(mode: .single, backlog: due, reason: "single (backlog \(shown) < threshold \(threshold))")
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
        let outcomes = await Self.push(plan.changes, mode: mode, adapter: binding.adapter)
        state.withLock { $0.inFlight -= plan.changes.count }
        record(outcomes, of: plan, mode: mode, started: started, dependents: binding.dependents)
    }
}

extension ChannelWorker {
    /// Pushes `changes`; in bulk mode, urgent changes (stock to zero, price decreases, removals) go as
    /// single calls beside the bulk submission, so they never wait for its turnaround.
    static func push(
        _ changes: [ListingChange],
        mode: PushMode,
        adapter: any MarketplaceAdapter
    ) async -> [SKU: ListingOutcome] {
        guard mode == .bulk, adapter.capabilities.supportsSingleItem, changes.contains(where: \.isUrgent) else {
            return await adapter.push(changes, mode: mode)
        }
        let urgent = changes.filter(\.isUrgent)
        let others = changes.filter { !$0.isUrgent }
        async let single = adapter.push(urgent, mode: .single)
        let bulk = others.isEmpty ? [:] : await adapter.push(others, mode: .bulk)
        return await single.merging(bulk) { first, _ in first }
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
    /// The issues of a ``ListingOutcome/held(issues:)`` as one dead-letter reason: `held: ` and each
    /// issue's message (`held: missing required attribute bullet_point ("Bullet Point")`).
    public static func heldReason(_ issues: [MarketplaceIssue]) -> String {
        guard !issues.isEmpty else { return "held: the adapter's check failed without naming why" }
        return "held: " + issues.map(\.message).joined(separator: "; ")
    }

    /// The issues as one dead-letter reason, in the marketplace's words: `code: message [attributes]`.
    public static func reason(_ issues: [MarketplaceIssue]) -> String {
        guard !issues.isEmpty else { return "rejected without a reason" }
        return issues.map { issue in
            let attributes = issue.attributeNames.isEmpty ? "" : " [\(issue.attributeNames.joined(separator: ", "))]"
            return "\(issue.code): \(issue.message)\(attributes)"
        }.joined(separator: " | ")
    }
}
