import Foundation
import Store
import Synchronization

/// The path choice of one account, shared by the workers of its channels: the account's quotas are
/// one budget, so the choice looks at the backlog of every channel of the account at once
/// (``PathPlanner``), not at one channel against a fixed threshold.
///
/// The choice is kept for ``refresh`` so that lanes claiming one after another do not count the
/// backlog again each time.
final class AccountPaths: Sendable {
    /// The account's name (the channel's own name when the engine was given no account).
    let account: String
    /// How long a choice is reused before the backlog is counted again.
    let refresh: Duration
    /// The most due listings counted per channel.
    let countLimit: Int
    private let store: CatalogStore
    private let state = Mutex(State())

    private struct State {
        var adapters: [String: any MarketplaceAdapter] = [:]
        var choice: PathChoice?
        var chosenAt: ContinuousClock.Instant?
        /// The count in progress, which lanes asking meanwhile wait for.
        var counting: Task<PathChoice, any Error>?
    }

    init(account: String, store: CatalogStore, refresh: Duration, countLimit: Int = 1_000_000) {
        self.account = account
        self.store = store
        self.refresh = refresh
        self.countLimit = countLimit
    }

    /// The account's channels now.
    var channels: [String] { state.withLock { $0.adapters.keys.sorted() } }

    /// Adds or replaces `channel`'s adapter; the next choice counts it.
    func set(_ channel: String, adapter: (any MarketplaceAdapter)?) {
        state.withLock { state in
            state.adapters[channel] = adapter
            state.choice = nil
        }
    }

    /// New changes are due: the next choice counts the backlog again instead of reusing the last.
    func invalidate() {
        state.withLock { $0.choice = nil }
    }

    /// The last choice, without counting (status of an idle account).
    var lastChoice: PathChoice? { state.withLock { $0.choice } }

    /// The path for the account now: the kept choice while fresh, else counted again (once, however
    /// many lanes ask at the same time).
    func choice(now: ContinuousClock.Instant = .now) async throws -> PathChoice {
        let next = state.withLock { state -> Result<PathChoice, Never>? in
            if let choice = state.choice, let at = state.chosenAt, now - at < refresh { return .success(choice) }
            return nil
        }
        if case .success(let kept) = next { return kept }
        let task = state.withLock { state -> Task<PathChoice, any Error> in
            if let running = state.counting { return running }
            let adapters = state.adapters
            let task = Task { try await self.count(adapters) }
            state.counting = task
            return task
        }
        defer { state.withLock { if $0.counting == task { $0.counting = nil } } }
        return try await task.value
    }

    /// Counts the backlog of every channel and chooses; keeps the choice.
    private func count(_ adapters: [String: any MarketplaceAdapter]) async throws -> PathChoice {
        guard let capabilities = adapters.values.first?.capabilities else {
            return PathChoice(mode: .single, backlog: 0, reason: "single (no channel)")
        }
        var backlogs: [Int] = []
        var turnaround: Duration?
        for (channel, adapter) in adapters.sorted(by: { $0.key < $1.key }) {
            backlogs.append(try store.dueCount(channel: channel, limit: countLimit))
            if let observed = await adapter.bulkTurnaround() { turnaround = max(turnaround ?? observed, observed) }
        }
        let buckets = await adapters.values.first?.rateBuckets() ?? []
        let choice = PathPlanner.choose(
            backlogs: backlogs,
            capabilities: capabilities,
            turnaround: turnaround,
            buckets: buckets
        )
        // An empty backlog is not kept: the next change must not ride on it (lanes that wake before
        // the engine's wake-up would claim single batches of a big import).
        state.withLock { state in
            state.choice = choice
            state.chosenAt = choice.backlog > 0 ? .now : nil
        }
        return choice
    }
}
