import Catalog
import Logging
import Store
import Synchronization

/// The sync engine: one ``ChannelWorker`` per channel, started, paused, rebound and stopped as the
/// daemon's configuration says.
///
/// ``run()`` returns after ``drain()``: workers stop claiming, the pushes in flight finish (or reach
/// their timeout) and their outcomes are recorded, so a graceful stop loses nothing and leaves nothing
/// half-sent. Cancelling ``run()`` instead aborts in-flight requests; their pairs stay leased in the
/// store until the next start releases them (``CatalogStore/releaseAllLeases()``).
public final class SyncEngine: Sendable {
    /// How workers claim, batch, back off and break circuits. Every field has a production default.
    public struct Configuration: Sendable {
        /// Concurrent claim-and-send loops per channel.
        public var lanes = 4
        /// SKUs one single-call batch claims (sent concurrently, paced by the rate limiter).
        public var singleBatchSize = 32
        /// Due pairs from which a channel switches to its adapter's bulk path (every channel when
        /// ``pathByBudget`` is off; otherwise only channels whose adapter publishes no path costs).
        public var bulkThreshold = 500
        /// Choose single calls or the bulk path per account, by the expected drain time of both with
        /// the account's quotas (``PathPlanner``), for adapters that publish ``PathCosts``.
        public var pathByBudget = true
        /// How long an account's path choice is reused before its backlog is counted again.
        public var pathRefresh: Duration = .seconds(1)
        /// The longest an idle lane sleeps without a wake-up.
        public var idlePoll: Duration = .seconds(2)
        /// Backoff for transient failures.
        public var backoff = BackoffPolicy(base: .milliseconds(500), cap: .seconds(300))
        /// When a channel's circuit opens.
        var breaker = CircuitBreaker.Configuration()
        /// Failed attempts (transient or throttled) after which a (channel, SKU) pair is dead-lettered
        /// with its last reason instead of retried.
        public var maximumAttempts = 50
        /// How long a (channel, SKU) pair may go on failing, from its first failure since it was last in
        /// sync, before it is dead-lettered with its last reason.
        public var maximumRetryAge: Duration = .seconds(72 * 3600)
        /// How the channels' listings are read back and checked (``ListingVerifier``).
        public var verification = ListingVerifier.Configuration()

        public init() {}

        /// Consecutive transient failures that open a channel's circuit breaker.
        public var breakerFailureThreshold: Int {
            get { breaker.failureThreshold }
            set { breaker.failureThreshold = newValue }
        }

        /// The first cool-down of an open circuit.
        public var breakerCooldown: Duration {
            get { breaker.cooldown }
            set { breaker.cooldown = newValue }
        }

        /// The longest cool-down of an open circuit (each failed probe doubles it up to this).
        public var breakerMaximumCooldown: Duration {
            get { breaker.maximumCooldown }
            set { breaker.maximumCooldown = newValue }
        }
    }

    /// One channel as the engine runs it.
    public struct Channel: Sendable {
        public var name: String
        public var projector: ChannelProjector
        public var adapter: any MarketplaceAdapter
        /// Where the channel's price takes its per-SKU landed cost from, when its pricing adds one.
        public var landedCost: LandedCostInput?
        /// The seller account whose quotas the channel spends; channels of one account choose their
        /// path together. `nil`: the channel is an account of its own.
        public var account: String?

        public init(
            name: String,
            projector: ChannelProjector,
            adapter: any MarketplaceAdapter,
            landedCost: LandedCostInput? = nil,
            account: String? = nil
        ) {
            self.name = name
            self.projector = projector
            self.adapter = adapter
            self.landedCost = landedCost
            self.account = account
        }
    }

    /// One channel's engine-side state, for status and metrics.
    public struct ChannelState: Sendable, Hashable {
        public var name: String
        public var isPaused: Bool
        public var inFlight: Int
        public var isBreakerOpen: Bool
        /// The circuit breaker: closed, open until when, or half-open.
        public var breaker: BreakerStatus
        /// Why the channel stopped sending until an operator acts (the platform refused the account:
        /// authentication or permission), in the platform's words; `nil` while it runs. Resuming the
        /// channel or reloading the configuration lets it try again.
        public var attention: String? = nil
        /// The path the channel's account takes now and why; `nil` before it was first chosen.
        public var path: PathChoice? = nil
    }

    private struct State {
        var isRunning = false
        var workers: [String: ChannelWorker] = [:]
        var paused: Set<String> = []
        var isDraining = false
        var spawn: AsyncStream<ChannelWorker>.Continuation?
        /// Each account's path choice, by account name.
        var accounts: [String: AccountPaths] = [:]
    }

    public let configuration: Configuration
    private let store: CatalogStore
    private let logger: Logger
    private let onEvent: @Sendable (EngineEvent) -> Void
    private let state = Mutex(State())

    /// An engine over `store` reporting every outcome to `onEvent`.
    public init(
        store: CatalogStore,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "catalogsync.sync"),
        onEvent: @escaping @Sendable (EngineEvent) -> Void = { _ in }
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Runs `channels` until ``drain()`` (returns when in-flight work is recorded) or cancellation.
    public func run(channels: [Channel]) async {
        let (spawns, continuation) = AsyncStream.makeStream(of: ChannelWorker.self)
        let dependents = Self.dependents(in: channels)
        let initial = state.withLock { state -> [ChannelWorker] in
            state.spawn = continuation
            state.isRunning = true
            return channels.map { channel in
                let worker = makeWorker(
                    channel,
                    dependents: dependents[channel.name] ?? [],
                    paused: state.paused.contains(channel.name),
                    paths: paths(for: channel, in: &state)
                )
                state.workers[channel.name] = worker
                return worker
            }
        }
        if state.withLock({ $0.isDraining }) { continuation.finish() }
        await withDiscardingTaskGroup { group in
            for worker in initial { group.addTask { await worker.run() } }
            for await worker in spawns {
                group.addTask { await worker.run() }
            }
        }
        state.withLock { $0.isRunning = false }
    }

    /// Whether ``run(channels:)`` is running (the watchdog's health check).
    public var isRunning: Bool {
        state.withLock { $0.isRunning }
    }

    /// Applies a new channel set: new channels start, removed ones stop after their in-flight work,
    /// the others take the new rules and adapters at their next claim. The queue is kept.
    public func reconfigure(_ channels: [Channel]) {
        let names = Set(channels.map(\.name))
        let dependents = Self.dependents(in: channels)
        state.withLock { state in
            for (name, worker) in state.workers where !names.contains(name) {
                worker.stop()
                state.workers[name] = nil
            }
            for accounts in state.accounts.values {
                for name in accounts.channels where !names.contains(name) { accounts.set(name, adapter: nil) }
            }
            for channel in channels {
                let paths = paths(for: channel, in: &state)
                if let worker = state.workers[channel.name] {
                    worker.rebind(Self.binding(channel, dependents: dependents[channel.name] ?? [], paths: paths))
                } else if !state.isDraining {
                    let worker = makeWorker(
                        channel,
                        dependents: dependents[channel.name] ?? [],
                        paused: state.paused.contains(channel.name),
                        paths: paths
                    )
                    state.workers[channel.name] = worker
                    state.spawn?.yield(worker)
                }
            }
        }
    }

    /// Stops claiming everywhere; ``run()`` returns once the pushes in flight are recorded.
    public func drain() {
        let workers = state.withLock { state in
            state.isDraining = true
            state.spawn?.finish()
            return Array(state.workers.values)
        }
        for worker in workers { worker.stop() }
    }

    /// Pauses `channel`; `false` when no worker runs it (yet: a channel paused before ``run(channels:)``
    /// starts paused).
    public func pause(channel: String) -> Bool {
        setPaused(true, channel: channel)
    }

    /// Resumes `channel`; `false` when it is unknown.
    public func resume(channel: String) -> Bool {
        setPaused(false, channel: channel)
    }

    /// The paused channels.
    public var pausedChannels: Set<String> {
        state.withLock { $0.paused }
    }

    /// New dirty marks exist for `channels` (every channel when `nil`): their idle lanes look now.
    public func wake(channels: [String]? = nil) {
        let workers = state.withLock { state in
            // The backlog changed: each affected account counts it again at its next choice.
            for paths in state.accounts.values
            where channels.map({ !Set($0).isDisjoint(with: paths.channels) }) ?? true {
                paths.invalidate()
            }
            return channels.map { $0.compactMap { state.workers[$0] } } ?? Array(state.workers.values)
        }
        for worker in workers { worker.wake() }
    }

    /// Asks `channel`'s platform to validate the current listing of `sku` without changing it.
    public func validate(sku: SKU, channel: String) async throws -> [MarketplaceIssue] {
        guard let worker = state.withLock({ $0.workers[channel] }) else {
            throw AdapterError.configuration(key: "channel", message: "no channel named \(channel)")
        }
        guard let product = try store.product(sku: sku)?.product else {
            throw AdapterError.configuration(key: "sku", message: "no product with SKU \(sku)")
        }
        return try await worker.adapter.validate(try await worker.desiredListing(of: product))
    }

    /// What `channel`'s adapter would send for `sku` now and what its local check finds, sending nothing.
    public func preview(sku: SKU, channel: String) async throws -> ListingPreview {
        guard let worker = state.withLock({ $0.workers[channel] }) else {
            throw AdapterError.configuration(key: "channel", message: "no channel named \(channel)")
        }
        guard let product = try store.product(sku: sku)?.product else {
            throw AdapterError.configuration(key: "sku", message: "no product with SKU \(sku)")
        }
        return try await worker.adapter.preview(try await worker.desiredListing(of: product))
    }

    /// Every channel's state, sorted by name.
    public var channelStates: [ChannelState] {
        let workers = state.withLock { $0.workers }
        return workers.keys.sorted().map { name in
            let worker = workers[name]!
            return ChannelState(
                name: name,
                isPaused: worker.isPaused,
                inFlight: worker.inFlight,
                isBreakerOpen: worker.isBreakerOpen,
                breaker: worker.breakerStatus,
                attention: worker.attention,
                path: worker.path
            )
        }
    }

    /// Every running channel's platform budgets (``MarketplaceAdapter/budgets()``), by channel name.
    public func budgets() async -> [String: [BudgetStatus]] {
        let adapters = state.withLock { $0.workers.mapValues(\.adapter) }
        return await withTaskGroup(of: (String, [BudgetStatus]).self) { group in
            for (name, adapter) in adapters {
                group.addTask { (name, await adapter.budgets()) }
            }
            var budgets: [String: [BudgetStatus]] = [:]
            for await (name, channelBudgets) in group { budgets[name] = channelBudgets }
            return budgets
        }
    }

    /// Every running channel's path choice now (counting each account's backlog when its last choice
    /// is older than ``Configuration/pathRefresh``), by channel name.
    public func paths() async -> [String: PathChoice] {
        let workers = state.withLock { $0.workers }
        var result: [String: PathChoice] = [:]
        for (name, worker) in workers {
            if let choice = try? await worker.currentPath() { result[name] = choice }
        }
        return result
    }

    /// The account's path choice `channel` shares, registering the channel's adapter with it.
    private func paths(for channel: Channel, in state: inout State) -> AccountPaths {
        let account = channel.account ?? channel.name
        let paths =
            state.accounts[account]
            ?? AccountPaths(account: account, store: store, refresh: configuration.pathRefresh)
        state.accounts[account] = paths
        for (name, other) in state.accounts where name != account { other.set(channel.name, adapter: nil) }
        paths.set(channel.name, adapter: channel.adapter)
        return paths
    }

    private func setPaused(_ paused: Bool, channel: String) -> Bool {
        let worker = state.withLock { state -> ChannelWorker? in
            if paused { state.paused.insert(channel) } else { state.paused.remove(channel) }
            return state.workers[channel]
        }
        worker?.setPaused(paused)
        return worker != nil
    }

    private func makeWorker(
        _ channel: Channel,
        dependents: [String],
        paused: Bool,
        paths: AccountPaths
    ) -> ChannelWorker {
        let worker = ChannelWorker(
            channel: channel.name,
            binding: Self.binding(channel, dependents: dependents, paths: paths),
            store: store,
            configuration: configuration,
            logger: logger,
            onEvent: onEvent,
            wakeChannels: { [weak self] names in self?.wake(channels: names) }
        )
        if paused { worker.setPaused(true) }
        return worker
    }

    private static func binding(_ channel: Channel, dependents: [String], paths: AccountPaths) -> ChannelWorker.Binding
    {
        ChannelWorker.Binding(
            projector: channel.projector,
            adapter: channel.adapter,
            landedCost: channel.landedCost,
            dependents: dependents,
            paths: paths
        )
    }

    /// For each channel that keeps landed costs, the channels whose prices add them, sorted.
    private static func dependents(in channels: [Channel]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for channel in channels {
            guard let source = channel.landedCost?.source else { continue }
            result[source, default: []].append(channel.name)
        }
        return result.mapValues { $0.sorted() }
    }
}
