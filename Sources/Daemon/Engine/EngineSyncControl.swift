import Catalog
import ControlAPI
import Foundation
import Store
import Sync

/// The control plane's ``SyncControl`` over the running ``SyncEngine``.
public struct EngineSyncControl: SyncControl {
    let engine: SyncEngine
    let hub: EventHub
    /// Where the accounts' rate limiters are; status shows no buckets without it.
    let assembly: EngineAssembly?

    public init(engine: SyncEngine, hub: EventHub, assembly: EngineAssembly? = nil) {
        self.engine = engine
        self.hub = hub
        self.assembly = assembly
    }

    public func pause(channel: String) async -> Bool { engine.pause(channel: channel) }
    public func resume(channel: String) async -> Bool { engine.resume(channel: channel) }
    public func pausedChannels() async -> Set<String> { engine.pausedChannels }
    public func wake(channels: [String]?) async { engine.wake(channels: channels) }

    public func validate(sku: SKU, channel: String) async throws -> [MarketplaceIssue] {
        try await engine.validate(sku: sku, channel: channel)
    }

    public func preview(sku: SKU, channel: String) async throws -> ListingPreview {
        try await engine.preview(sku: sku, channel: channel)
    }

    public func events() async -> AsyncStream<SyncEvent> { hub.subscribe() }
    public func publish(_ events: [SyncEvent]) async { hub.publish(contentsOf: events) }

    public func engineStatus() async -> EngineStatus {
        var rateLimits: [String: [RateLimiter.BucketState]] = [:]
        for (account, limiter) in assembly?.rateLimiters() ?? [:] {
            rateLimits[account] = await limiter.states()
        }
        var status = EngineStatus(
            breakers: Dictionary(
                engine.channelStates.map { ($0.name, $0.breaker) },
                uniquingKeysWith: { first, _ in first }
            ),
            budgets: await engine.budgets(),
            rateLimits: rateLimits,
            attention: Dictionary(
                engine.channelStates.compactMap { state in state.attention.map { (state.name, $0) } },
                uniquingKeysWith: { first, _ in first }
            ),
            paths: await engine.paths()
        )
        status.orders = assembly?.orderPollerStatuses() ?? [:]
        return status
    }
}

extension SyncEvent {
    /// The control protocol's events for one engine outcome, one per facet sent (a removal is one
    /// `content` event).
    static func events(for event: EngineEvent, at date: Date = Date()) -> [SyncEvent] {
        let outcome: SyncEvent.Outcome =
            switch event.outcome {
            case .accepted: .accepted
            case .rejected: .rejected
            case .held: .held
            case .retrying: .retrying
            case .throttled: .throttled
            case .drifted: .drifted
            }
        let time = date.formatted(.iso8601)
        let retryAfter = event.retryAfter.map { duration -> Int in
            let (seconds, attoseconds) = duration.components
            return Int(seconds) + (attoseconds > 0 ? 1 : 0)
        }
        let facets = event.facets.isEmpty ? [Facet.content] : event.facets
        return facets.map { facet in
            SyncEvent(
                time: time,
                channel: event.channel,
                sku: event.sku.rawValue,
                facet: facet,
                outcome: outcome,
                message: event.message.map(SecretRedactor.redact),
                retryAfterSeconds: outcome == .accepted ? nil : retryAfter
            )
        }
    }
}
