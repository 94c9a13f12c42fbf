import Foundation
import Store
import Synchronization

/// Polls one account's orders and applies them to the catalog's stock, exactly once per line.
///
/// Each page is applied with its cursor in one store transaction, so a SIGKILL at any point either
/// keeps a page and its cursor or neither. A poll reads at most ``Configuration/maximumPagesPerPoll``
/// pages, then waits ``Configuration/interval``; a failing poll waits a bounded exponential backoff
/// (at most ``Configuration/maximumBackoff``) and shows its reason in ``status``.
public final class OrderPoller: Sendable {
    /// How the poller runs.
    public struct Configuration: Sendable, Hashable {
        /// The wait between polls (`order_poll_seconds`).
        public var interval: Duration
        /// Pages read back to back before waiting (bounds one poll; the rest waits for the next).
        public var maximumPagesPerPoll: Int
        /// The longest wait after failures.
        public var maximumBackoff: Duration
        /// The channels whose orders are applied; `nil` is every channel of the account.
        public var ingestedChannels: Set<String>?

        public init(
            interval: Duration = .seconds(60),
            maximumPagesPerPoll: Int = 20,
            maximumBackoff: Duration = .seconds(300),
            ingestedChannels: Set<String>? = nil
        ) {
            self.interval = interval
            self.maximumPagesPerPoll = maximumPagesPerPoll
            self.maximumBackoff = maximumBackoff
            self.ingestedChannels = ingestedChannels
        }
    }

    /// The poller at a glance, for `status`.
    public struct Status: Sendable, Hashable, Codable {
        public var account: String
        public var lastSuccessAt: Date?
        /// Failed polls in a row; 0 when the last poll worked.
        public var consecutiveFailures: Int
        /// The last failure's reason while failures go on.
        public var lastError: String?
        /// Lines that changed stock since the daemon started.
        public var linesApplied: Int
    }

    public let account: String
    public let configuration: Configuration
    private let source: any OrderSource
    private let store: CatalogStore
    private let isStockOut: @Sendable (String, Int) -> Bool
    private let onApplied: @Sendable ([AppliedOrderLine]) -> Void
    private let state: Mutex<Status>

    /// A poller of `account`'s `source` into `store`; `onApplied` hears every page's effects (events,
    /// wake-ups of the channel workers), `isStockOut` says whether a stock takes a channel to zero.
    public init(
        account: String,
        source: any OrderSource,
        store: CatalogStore,
        configuration: Configuration = Configuration(),
        isStockOut: @escaping @Sendable (String, Int) -> Bool = { $1 == 0 },
        onApplied: @escaping @Sendable ([AppliedOrderLine]) -> Void = { _ in }
    ) {
        self.account = account
        self.source = source
        self.store = store
        self.configuration = configuration
        self.isStockOut = isStockOut
        self.onApplied = onApplied
        state = Mutex(Status(account: account, consecutiveFailures: 0, linesApplied: 0))
    }

    /// The poller's state now.
    public var status: Status { state.withLock { $0 } }

    /// Reads pages until the platform has no more (or the per-poll bound), applying each with its
    /// cursor. Returns the lines applied.
    @discardableResult
    public func pollOnce() async throws -> [AppliedOrderLine] {
        var all: [AppliedOrderLine] = []
        for _ in 0..<max(1, configuration.maximumPagesPerPoll) {
            let cursor = try store.orderCursor(account: account)
            let page = try await source.poll(since: cursor)
            let wanted = page.lines.filter { line in
                guard let channel = line.channel else { return false }
                return configuration.ingestedChannels?.contains(channel) ?? true
            }
            let applied = try store.apply(
                orderLines: wanted,
                cursor: OrderCursor(account: account, value: page.cursor),
                isStockOut: isStockOut
            )
            all += applied
            if !applied.isEmpty { onApplied(applied) }
            guard page.hasMore else { break }
        }
        let changed = all.count { $0.effect != .duplicate }
        state.withLock { status in
            status.lastSuccessAt = Date()
            status.consecutiveFailures = 0
            status.lastError = nil
            status.linesApplied += changed
        }
        return all
    }

    /// Polls until the task is cancelled.
    public func run() async {
        let backoff = BackoffPolicy(base: .seconds(1), cap: configuration.maximumBackoff)
        while !Task.isCancelled {
            var wait = configuration.interval
            do {
                try await pollOnce()
            } catch is CancellationError {
                return
            } catch {
                let failures = state.withLock { status in
                    status.consecutiveFailures += 1
                    status.lastError = "\(error)"
                    return status.consecutiveFailures
                }
                wait = min(max(backoff.delay(attempt: failures), .milliseconds(200)), configuration.maximumBackoff)
            }
            do { try await Task.sleep(for: wait) } catch { return }
        }
    }
}
