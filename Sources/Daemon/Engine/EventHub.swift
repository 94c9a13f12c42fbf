import ControlAPI
import Foundation
import Synchronization

/// Fans sync outcomes out to every `GET /v1/events` subscriber, dropping the oldest events for a
/// subscriber that reads too slowly rather than holding the engine back.
public final class EventHub: Sendable {
    private struct State {
        var nextID = 0
        var subscribers: [Int: AsyncStream<SyncEvent>.Continuation] = [:]
    }

    /// Events buffered per subscriber before the oldest are dropped.
    public let bufferSize: Int
    private let state = Mutex(State())

    public init(bufferSize: Int = 10_000) {
        self.bufferSize = bufferSize
    }

    /// A stream of every event published from now on; it ends when the consumer stops iterating.
    public func subscribe() -> AsyncStream<SyncEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: SyncEvent.self,
            bufferingPolicy: .bufferingNewest(bufferSize)
        )
        let id = state.withLock { state in
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Sends `event` to every subscriber.
    public func publish(_ event: SyncEvent) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(event) }
    }

    /// Sends each of `events` to every subscriber, in order.
    public func publish(contentsOf events: [SyncEvent]) {
        guard !events.isEmpty else { return }
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers {
            for event in events { subscriber.yield(event) }
        }
    }

    /// Ends every subscription (shutdown).
    public func finish() {
        let subscribers = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// The number of live subscriptions.
    public var subscriberCount: Int {
        state.withLock { $0.subscribers.count }
    }
}
