import ControlAPI
import Foundation
import Store
import Sync

/// `GET /v1/status` and `GET /v1/channels`: the queue per channel from the store, and from the engine
/// each channel's circuit breaker and budgets and each account's rate-limit buckets. Budgets come from
/// the adapters; nothing here knows a platform.
extension ControlRoutes {
    /// `GET /v1/status`.
    func status() async throws -> StatusResponse {
        let (channels, accounts) = try await summaries()
        return StatusResponse(
            version: DaemonRuntime.version,
            uptimeSeconds: Int((ContinuousClock.now - startedAt).components.seconds),
            configPath: configPath,
            channels: channels,
            accounts: accounts,
            lastReloadError: runtime.snapshot.lastReloadError
        )
    }

    /// `GET /v1/channels`.
    func channels() async throws -> ChannelsResponse {
        let (channels, accounts) = try await summaries()
        return ChannelsResponse(channels: channels, accounts: accounts)
    }

    /// Every configured channel (file order) and account (name order). A budget of `account` scope is
    /// shown once, under the account, as its first channel in the file reports it.
    private func summaries() async throws -> (channels: [ChannelSummary], accounts: [AccountSummary]) {
        let state = runtime.snapshot
        let paused = await sync.pausedChannels()
        let engine = await sync.engineStatus()
        let queues = Dictionary(
            try state.store.queueSummary().map { ($0.channel, $0) },
            uniquingKeysWith: { a, _ in a }
        )
        let acked = try state.store.ackedListingCounts()
        let verification = try state.store.verifierProgress()
        let formatter = ISO8601DateFormatter()
        var accountBudgets: [String: [BudgetSummary]] = [:]
        let channels = state.channels.map { channel in
            let queue = queues[channel.name]
            let budgets = engine.budgets[channel.name] ?? []
            for budget in budgets where budget.scope == .account {
                let known = accountBudgets[channel.account, default: []]
                if !known.contains(where: { $0.name == budget.name }) {
                    accountBudgets[channel.account, default: []].append(Self.summary(budget, formatter))
                }
            }
            let own = budgets.filter { $0.scope == .channel }.map { Self.summary($0, formatter) }
            let reason = state.notRunning[channel.name]
            let attention = engine.attention[channel.name].map { "needs attention: \($0)" }
            let isPaused = paused.contains(channel.name)
            return ChannelSummary(
                name: channel.name,
                account: channel.account,
                platform: state.configuration.accounts[channel.account]?.platform ?? "unknown",
                marketplace: channel.marketplace,
                paused: isPaused,
                pending: queue?.pending ?? 0,
                leased: queue?.leased ?? 0,
                backingOff: queue?.backingOff ?? 0,
                deadLetters: queue?.deadLetters ?? 0,
                acked: acked[channel.name] ?? 0,
                lastError: attention,
                breaker: engine.breakers[channel.name].map { Self.summary($0, formatter) },
                budgets: engine.breakers[channel.name] == nil && own.isEmpty ? nil : own,
                state: reason != nil ? .notRunning : attention != nil ? .needsAttention : isPaused ? .paused : .running,
                stateReason: reason ?? attention,
                verification: verification[channel.name].map { Self.summary($0, formatter) },
                path: engine.paths[channel.name].map(Self.summary)
            )
        }
        let accounts = state.configuration.accounts.values.sorted { $0.name < $1.name }.map { account in
            AccountSummary(
                name: account.name,
                platform: account.platform,
                channels: state.channels.filter { $0.account == account.name }.map(\.name),
                rateLimits: (engine.rateLimits[account.name] ?? []).map(Self.summary),
                budgets: accountBudgets[account.name] ?? [],
                orders: engine.orders[account.name].map { poller in
                    OrderPollingSummary(
                        lastSuccessAt: poller.lastSuccessAt.map(formatter.string(from:)),
                        consecutiveFailures: poller.consecutiveFailures,
                        lastError: poller.lastError.map(SecretRedactor.redact),
                        linesApplied: poller.linesApplied
                    )
                }
            )
        }
        return (channels, accounts)
    }

    static func summary(_ budget: BudgetStatus, _ formatter: ISO8601DateFormatter) -> BudgetSummary {
        BudgetSummary(
            name: budget.name,
            scope: budget.scope.rawValue,
            per: budget.perItem,
            used: budget.used,
            limit: budget.limit,
            remaining: budget.remaining,
            window: budget.window,
            resetsAt: budget.resetsAt.map(formatter.string(from:)),
            exhausted: budget.exhausted,
            waiting: budget.waiting,
            note: budget.note
        )
    }

    static func summary(_ bucket: RateLimiter.BucketState) -> AccountSummary.RateBucket {
        AccountSummary.RateBucket(
            operation: bucket.operation,
            ratePerSecond: (bucket.rate * 10_000).rounded() / 10_000,
            burst: bucket.burst,
            tokens: (bucket.tokens * 100).rounded() / 100,
            throttled: bucket.throttles
        )
    }

    static func summary(_ path: PathChoice) -> PathSummary {
        func rounded(_ seconds: Double?) -> Double? { seconds.map { ($0 * 10).rounded() / 10 } }
        return PathSummary(
            mode: path.mode.rawValue,
            reason: path.reason,
            backlog: path.backlog,
            singleSeconds: rounded(path.singleSeconds),
            bulkSeconds: rounded(path.bulkSeconds),
            turnaroundSeconds: rounded(path.turnaroundSeconds)
        )
    }

    static func summary(_ breaker: BreakerStatus, _ formatter: ISO8601DateFormatter) -> BreakerSummary {
        BreakerSummary(
            state: breaker.state.rawValue,
            openUntil: breaker.openUntil.map(formatter.string(from:)),
            consecutiveFailures: breaker.consecutiveFailures,
            openings: breaker.openings
        )
    }
}
