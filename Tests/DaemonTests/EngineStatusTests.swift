import ControlAPI
import Foundation
import Testing

/// What `GET /v1/status` and `catalogctl status|channels` show of the running engine: each account's
/// rate-limit buckets, each channel's circuit breaker and the platforms' budgets.
@Suite(.serialized)
struct EngineStatusTests {
    typealias RunningDaemon = DaemonProcessTests.RunningDaemon

    static func catalogctl(_ arguments: [String], socket: String) throws -> (
        status: Int32, output: String, errors: String
    ) {
        try CatalogctlTests.catalogctl(arguments, socket: socket)
    }

    static func status(_ daemon: RunningDaemon) async throws -> StatusResponse {
        let response = try await daemon.request(.get, "/v1/status")
        return try JSONDecoder().decode(StatusResponse.self, from: Data(response.body))
    }

    @Test func statusShowsEveryAccountsRateLimitsEveryChannelsBreakerAndThePlatformsBudgets() async throws {
        let daemon = try RunningDaemon()
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"

        // The wire keys, snake_case as documented.
        let body = try await daemon.request(.get, "/v1/status").body
        let raw = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let rawAccounts = try #require(raw["accounts"] as? [[String: Any]])
        let rawShopclues = try #require(rawAccounts.first { $0["name"] as? String == "shopclues" })
        let rawBucket = try #require((rawShopclues["rate_limits"] as? [[String: Any]])?.first)
        #expect(Set(rawBucket.keys) == ["operation", "rate_per_second", "burst", "tokens", "throttled"])
        let rawBudget = try #require((rawShopclues["budgets"] as? [[String: Any]])?.first)
        #expect(Set(rawBudget.keys) == ["name", "scope", "used", "limit", "remaining", "window", "note"])
        let rawChannel = try #require((raw["channels"] as? [[String: Any]])?.first)
        let rawBreaker = try #require(rawChannel["breaker"] as? [String: Any])
        #expect(Set(rawBreaker.keys) == ["state", "consecutive_failures", "openings"])

        let status = try await Self.status(daemon)
        let accounts = Dictionary(uniqueKeysWithValues: try #require(status.accounts).map { ($0.name, $0) })
        #expect(accounts.keys.sorted() == Set(status.channels.compactMap(\.account)).sorted())
        let eu = try #require(accounts["amazon-eu"])
        #expect(eu.channels.contains("amazon-de") && eu.platform == "amazon")
        let patch = try #require(eu.rateLimits.first { $0.operation == "patchListingsItem" })
        #expect(patch.ratePerSecond > 0 && patch.burst > 0 && patch.throttled == 0)
        #expect(patch.tokens >= Double(patch.burst), "nothing was sent: the bucket is full")
        for channel in status.channels {
            #expect(channel.breaker == BreakerSummary(state: "closed"), "\(channel.name)")
        }
        for channel in status.channels where channel.platform == "ebay" {
            let budget = try #require(channel.budgets?.first, "\(channel.name)")
            #expect(budget.name == "revisions per listing" && budget.scope == "channel" && budget.per == "listing")
            #expect(budget.limit == 250 && budget.used == 0 && budget.exhausted == 0 && budget.waiting == 0)
        }
        #expect(status.channels.first { $0.name == "amazon-de" }?.budgets == [], "Amazon has no budget beyond rates")
        // Amazon publishes its path costs: its channels' path is estimated, for the whole account.
        let path = try #require(status.channels.first { $0.name == "amazon-de" }?.path)
        #expect(path.singleSeconds != nil && path.bulkSeconds != nil && (path.turnaroundSeconds ?? 0) > 0)
        #expect(
            path.reason == "single (nothing due)" || path.reason.hasPrefix("\(path.mode) (single "),
            "\(path.reason)"
        )
        // Shopclues publishes no path costs: its channel keeps the fixed threshold, and says so.
        let fixed = try #require(status.channels.first { $0.name == "shopclues" }?.path)
        #expect(fixed.reason.hasSuffix("< threshold 500)") && fixed.singleSeconds == nil, "\(fixed.reason)")
        let walmart = try #require(accounts["walmart"])
        #expect(walmart.budgets.map(\.name) == ["price feeds", "inventory feeds", "item feeds"])
        #expect(walmart.budgets.allSatisfy { $0.scope == "account" && $0.limit == 9 && $0.used == 0 })
        #expect(walmart.rateLimits.contains { $0.operation == "feed:price" })
        let quota = try #require(accounts["shopclues"]?.budgets.first)
        #expect(quota.name == "requests" && quota.limit == 9_999 && quota.used == 0)

        // Syncing the shopclues channel spends its account's daily quota, a request per call.
        #expect(try Self.catalogctl(["resume", "shopclues"], socket: socket).status == 0)
        let synced = try Self.catalogctl(
            ["sync", "--channel", "shopclues", "--wait", "--interval", "0.1"],
            socket: socket
        )
        #expect(synced.status == 0, "\(synced.output)\(synced.errors)")
        let after = try await Self.status(daemon)
        let shopclues = try #require(after.accounts?.first { $0.name == "shopclues" })
        let spent = try #require(shopclues.budgets.first)
        let bucket = try #require(shopclues.rateLimits.first { $0.operation == "requests" })
        let acked = try #require(after.channels.first { $0.name == "shopclues" }).acked
        #expect(spent.used >= 2 * acked, "a price call and a stock call per listing")
        #expect(spent.remaining == Int(bucket.tokens.rounded(.down)), "the budget is the bucket's count")
        #expect(spent.resetsAt != nil)

        let table = try Self.catalogctl(["status"], socket: socket)
        #expect(table.status == 0)
        for text in [
            "BREAKER", "BUDGETS", "account shopclues", "revisions per listing", "RATE LIMITS", "feed:price", "PATHS",
            "amazon-de: path: ",
        ] {
            #expect(table.output.contains(text), "\(text) in:\n\(table.output)")
        }
        let channels = try Self.catalogctl(["channels", "--json"], socket: socket)
        let decoded = try JSONDecoder().decode(ChannelsResponse.self, from: Data(channels.output.utf8))
        #expect(decoded.accounts?.contains { $0.name == "walmart" && $0.budgets.count == 3 } == true)
        #expect(await daemon.terminate() == 0)
    }

    @Test func aPlatformThatAlwaysFailsOpensTheChannelsBreakerAndSyncWaitGivesUpAtItsTimeout() async throws {
        let daemon = try RunningDaemon(arguments: ["--sandbox-faults", "500:1"])
        _ = try daemon.waitUntilReady()
        let socket = "\(daemon.state.path)/control.sock"
        #expect(try Self.catalogctl(["resume", "shopclues"], socket: socket).status == 0)
        let startedAt = Date()
        let waited = try Self.catalogctl(
            ["sync", "--channel", "shopclues", "--wait", "--interval", "0.2", "--timeout", "2"],
            socket: socket
        )
        #expect(waited.status == 1)
        #expect(waited.errors.contains("gave up waiting after"), "\(waited.errors)")
        #expect(waited.errors.contains("still to send: pending: shopclues"))

        var breaker: BreakerSummary?
        var seenAt = Date()
        let deadline = ContinuousClock.now + .seconds(15)
        while breaker?.state != "open", ContinuousClock.now < deadline {
            breaker = try await Self.status(daemon).channels.first { $0.name == "shopclues" }?.breaker
            seenAt = Date()
            if breaker?.state != "open" { try await Task.sleep(for: .milliseconds(100)) }
        }
        let open = try #require(breaker)
        #expect(open.state == "open")
        #expect(open.consecutiveFailures >= 25 && open.openings >= 1)
        // The n-th opening cools down 5 s × 2^(n−1) (the defaults: breaker_cooldown_seconds = 5, doubled
        // per failed probe up to max_breaker_cooldown_seconds = 300), counted from when it opened: after
        // the test started and before status showed it. ISO 8601 in status drops fractions: ±1 s.
        let cooldowns: [TimeInterval] = [5, 10, 20, 40, 80, 160, 300]
        let cooldown = cooldowns[min(open.openings, cooldowns.count) - 1]
        let until = try #require(open.openUntil.flatMap(ISO8601DateFormatter().date(from:)))
        #expect(
            until >= startedAt.addingTimeInterval(cooldown - 1) && until <= seenAt.addingTimeInterval(cooldown + 1),
            "open until \(until): \(cooldown) s after it opened, between \(startedAt) and \(seenAt)"
        )
        let table = try Self.catalogctl(["channels"], socket: socket)
        #expect(table.output.contains("OPEN until") || table.output.contains("half-open"), "\(table.output)")
        #expect(await daemon.terminate() == 0)
    }
}
