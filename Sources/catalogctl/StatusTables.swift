import ControlAPI
import Foundation

/// The human tables of `catalogctl status` and `catalogctl channels`: channels with their queue and
/// circuit breaker, platform budgets, and the accounts' rate-limit buckets.
enum StatusTables {
    /// One row per channel: queue counts and the circuit breaker.
    /// Then, for each channel the engine cannot run, why.
    static func channels(_ channels: [ChannelSummary]) -> String {
        let table = Table.render(
            ["CHANNEL", "PLATFORM", "MARKET", "STATE", "PENDING", "LEASED", "BACKOFF", "DEAD", "ACKED", "BREAKER"],
            channels.map {
                [
                    $0.name, $0.platform, $0.marketplace, state($0), "\($0.pending)",
                    "\($0.leased)", "\($0.backingOff)", "\($0.deadLetters)", "\($0.acked)", breaker($0.breaker),
                ]
            }
        )
        let paths = channels.compactMap { channel in channel.path.map { "  \(channel.name): path: \($0.reason)\n" } }
        var text = table
        if !paths.isEmpty {
            text += "\nPATHS (single calls or bulk, by the account's expected drain time)\n" + paths.joined()
        }
        let stopped = channels.filter { $0.state == .notRunning || $0.state == .needsAttention }
        guard !stopped.isEmpty else { return text }
        return text + "\nNOT SENDING\n"
            + stopped.map { "  \($0.name) (\(state($0))): \($0.stateReason ?? "no reason given")\n" }.joined()
    }

    /// `running`, `paused` or `NOT RUNNING` (an older daemon reports only whether it is paused).
    static func state(_ channel: ChannelSummary) -> String {
        switch channel.state {
        case .notRunning: "NOT RUNNING"
        case .needsAttention: "NEEDS ATTENTION"
        case .paused: "paused"
        case .running: "running"
        case nil: channel.paused ? "paused" : "running"
        }
    }

    /// `closed`, `OPEN until 13:45:10Z`, `half-open`, or `-` when no worker runs the channel.
    static func breaker(_ breaker: BreakerSummary?) -> String {
        guard let breaker else { return "-" }
        switch breaker.state {
        case "open": return "OPEN until \(clock(breaker.openUntil))"
        case "half_open": return "half-open"
        default: return breaker.state
        }
    }

    /// Every budget: the channels' own, then the accounts' shared ones; empty when there are none.
    static func budgets(channels: [ChannelSummary], accounts: [AccountSummary]?) -> String {
        var rows: [[String]] = []
        for channel in channels {
            for budget in channel.budgets ?? [] { rows.append(row(owner: channel.name, budget)) }
        }
        for account in accounts ?? [] {
            for budget in account.budgets { rows.append(row(owner: "account \(account.name)", budget)) }
        }
        guard !rows.isEmpty else { return "" }
        return "\nBUDGETS\n"
            + Table.render(["FOR", "BUDGET", "USED", "LIMIT", "LEFT", "WINDOW", "WHOLE AGAIN", "NOTES"], rows)
    }

    private static func row(owner: String, _ budget: BudgetSummary) -> [String] {
        var notes: [String] = []
        if let per = budget.per {
            notes.append("per \(per), USED by the top one: \(budget.exhausted ?? 0) at the limit")
        }
        if let waiting = budget.waiting, waiting > 0 || budget.per != nil {
            notes.append("\(waiting) waiting for the reset")
        }
        if let note = budget.note { notes.append(note) }
        return [
            owner, budget.name, "\(budget.used)", "\(budget.limit)", "\(budget.remaining)", budget.window,
            budget.resetsAt.map(clock) ?? "-", notes.joined(separator: "; "),
        ]
    }

    /// Every account's rate-limit buckets; empty when no account has any.
    static func rateLimits(_ accounts: [AccountSummary]?) -> String {
        let rows = (accounts ?? []).flatMap { account in
            account.rateLimits.map { bucket in
                [
                    account.name, bucket.operation, rate(bucket.ratePerSecond), "\(bucket.burst)",
                    String(format: "%.2f", bucket.tokens), "\(bucket.throttled)",
                ]
            }
        }
        guard !rows.isEmpty else { return "" }
        return "\nRATE LIMITS (per account and operation)\n"
            + Table.render(["ACCOUNT", "OPERATION", "RATE", "BURST", "TOKENS", "429s"], rows)
    }

    /// Every polling account's order ingestion: last success, failures in a row and why; empty when none polls.
    static func orders(_ accounts: [AccountSummary]?) -> String {
        let rows = (accounts ?? []).compactMap { account in
            account.orders.map { orders in
                [
                    account.name, clock(orders.lastSuccessAt), "\(orders.linesApplied)",
                    "\(orders.consecutiveFailures)",
                    orders.lastError ?? "-",
                ]
            }
        }
        guard !rows.isEmpty else { return "" }
        return "\nORDERS (per account)\n"
            + Table.render(["ACCOUNT", "LAST READ", "LINES APPLIED", "FAILURES", "LAST ERROR"], rows)
    }

    /// A rate in the unit that reads best: `4.75/s`, `9.5/h`, `9500/day`.
    static func rate(_ perSecond: Double) -> String {
        if perSecond >= 0.1 { return String(format: "%.2f/s", perSecond) }
        if perSecond * 3600 >= 1 { return String(format: "%.1f/h", perSecond * 3600) }
        return String(format: "%.0f/day", perSecond * 86_400)
    }

    /// `2026-12-02T13:45:10Z` as `13:45:10Z` when it is today (UTC), else as given.
    static func clock(_ iso: String?) -> String {
        guard let iso else { return "?" }
        let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
        guard iso.hasPrefix(today), let time = iso.split(separator: "T").last else { return iso }
        return String(time)
    }
}
