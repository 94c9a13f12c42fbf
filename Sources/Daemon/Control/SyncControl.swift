import Catalog
import ControlAPI
import Sync
import Synchronization

/// What the control plane asks of the sync engine: pause and resume channels, wake workers after a
/// catalog change, validate a listing, and a live stream of outcomes.
///
/// The daemon implements it with its channel workers; ``IdleSyncControl`` stands in where no engine
/// runs (configuration checks, tests of the control plane alone).
public protocol SyncControl: Sendable {
    /// Stops claiming work for `channel` (in-flight sends finish). Returns `false` for an unknown channel.
    func pause(channel: String) async -> Bool
    /// Resumes a paused channel. Returns `false` for an unknown channel.
    func resume(channel: String) async -> Bool
    /// The channels paused now.
    func pausedChannels() async -> Set<String>
    /// Dirty marks were written for `channels` (all when `nil`): their workers look for work now.
    func wake(channels: [String]?) async
    /// Asks the platform of `channel` to check the listing of `sku` without changing it.
    func validate(sku: SKU, channel: String) async throws -> [MarketplaceIssue]
    /// What `channel`'s adapter would send for `sku` and what its local check finds, sending nothing.
    func preview(sku: SKU, channel: String) async throws -> ListingPreview
    /// Every sync outcome from now on, until the consumer stops iterating.
    func events() async -> AsyncStream<SyncEvent>
    /// Adds `events` to the stream (a change made through the control API, e.g. a restock).
    func publish(_ events: [SyncEvent]) async
    /// Circuit breakers, platform budgets and rate-limit buckets now, for status.
    func engineStatus() async -> EngineStatus
}

/// A ``SyncControl`` with no engine behind it: nothing is sent and no outcome is ever streamed, but
/// pauses are remembered (so the control plane shows them) and `events()` stays open until its
/// consumer stops, like a quiet engine's. Its status has no breakers, budgets or buckets.
public final class IdleSyncControl: SyncControl {
    private let paused = Mutex<Set<String>>([])

    public init() {}

    public func pause(channel: String) async -> Bool {
        paused.withLock { _ = $0.insert(channel) }
        return true
    }
    public func resume(channel: String) async -> Bool {
        paused.withLock { _ = $0.remove(channel) }
        return true
    }
    public func pausedChannels() async -> Set<String> { paused.withLock { $0 } }
    public func wake(channels: [String]?) async {}
    public func validate(sku: SKU, channel: String) async throws -> [MarketplaceIssue] {
        throw AdapterError.unsupported("no sync engine is running")
    }
    public func preview(sku: SKU, channel: String) async throws -> ListingPreview {
        throw AdapterError.unsupported("no sync engine is running")
    }
    public func publish(_ events: [SyncEvent]) async {}
    public func events() async -> AsyncStream<SyncEvent> {
        let (stream, continuation) = AsyncStream<SyncEvent>.makeStream()
        // The stream holds its continuation until the consumer stops (this closure is released then),
        // so it neither yields nor finishes before that.
        continuation.onTermination = { _ in _ = continuation }
        return stream
    }
    public func engineStatus() async -> EngineStatus { .idle }
}
