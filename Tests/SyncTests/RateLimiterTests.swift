import Sync
import Synchronization
import Testing

@Suite("Per-account token buckets")
struct RateLimiterTests {
    @Test("a full bucket gives its burst less one cushion token at once, then nothing until it refills")
    func burstThenEmpty() async {
        let limiter = RateLimiter(quotas: [
            OperationQuota(operation: "patchListingsItem", requestsPerSecond: 0.01, burst: 5)
        ])
        var granted = 0
        for _ in 0..<8 where await limiter.tryAcquire("patchListingsItem") { granted += 1 }
        #expect(granted == 4)
    }

    @Test("a share of an operation's rate is spaced out for every caller of the account together")
    func shareIsSpacedAcrossCallers() async {
        // 10 rps at safety factor 1, a share of 0.05: one slot every 2 s (hand-computed), whoever asks.
        let limiter = RateLimiter(
            quotas: [OperationQuota(operation: "getListingsItem", requestsPerSecond: 10, burst: 10)],
            configuration: .init(safetyFactor: 1)
        )
        var waits: [Double] = []
        for _ in 0..<3 {
            let wait = await limiter.reserveShare("getListingsItem", share: 0.05, fallbackRate: 1)
            waits.append(Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
        }
        #expect(waits[0] == 0)
        // The calls come microseconds apart: the slots are 2 s and 4 s away, less that.
        #expect(abs(waits[1] - 2) < 0.1 && abs(waits[2] - 4) < 0.1, "\(waits)")
        // Without a bucket the fallback rate applies: 4 rps × 0.5 → one slot every 0.5 s.
        _ = await limiter.reserveShare("other", share: 0.5, fallbackRate: 4)
        let next = await limiter.reserveShare("other", share: 0.5, fallbackRate: 4)
        #expect(abs(Double(next.components.attoseconds) / 1e18 - 0.5) < 0.1)
    }

    @Test("operations without a published quota are not limited")
    func unknownOperationsAreFree() async {
        let limiter = RateLimiter(quotas: [])
        for _ in 0..<100 { #expect(await limiter.tryAcquire("getListingsItem")) }
    }

    @Test("the effective rate is the published rate times the safety factor")
    func safetyFactor() async {
        let limiter = RateLimiter(
            quotas: [OperationQuota(operation: "op", requestsPerSecond: 5, burst: 5)],
            configuration: .init(safetyFactor: 0.9)
        )
        let state = await limiter.states().first
        #expect(state?.rate == 4.5)
    }

    @Test(
        "the unspent cushion is the tokens the rate spends in the arrival jitter, at least one and at most all but one",
        arguments: [
            (rate: 100.0, burst: 100, usable: 75),  // 100/s × 250 ms = 25 tokens kept
            (rate: 0.01, burst: 5, usable: 4),  // a slow quota keeps one token
            (rate: 1_000.0, burst: 5, usable: 1),  // a fast quota with a small burst keeps all but one
            (rate: 5.0, burst: 1, usable: 1),  // a burst of one is spent
        ]
    )
    func cushionCoversArrivalJitter(rate: Double, burst: Int, usable: Int) async {
        let limiter = RateLimiter(
            quotas: [OperationQuota(operation: "op", requestsPerSecond: rate, burst: burst)],
            configuration: .init(safetyFactor: 1, arrivalJitter: .milliseconds(250))
        )
        #expect(await limiter.states().first?.burst == usable)
    }

    @Test("a rate-limit header tightens the bucket to the platform's figure")
    func headerTightensRate() async {
        let limiter = RateLimiter(
            quotas: [OperationQuota(operation: "op", requestsPerSecond: 5, burst: 5)],
            configuration: .init(safetyFactor: 1)
        )
        await limiter.observe("op", limit: 2)
        #expect(await limiter.states().first?.rate == 2)
    }

    @Test("a 429 pauses the operation for Retry-After but keeps the bucket's budget")
    func throttlePausesAndKeepsBudget() async {
        let limiter = RateLimiter(quotas: [OperationQuota(operation: "op", requestsPerSecond: 0.001, burst: 101)])
        await limiter.throttled("op", retryAfter: .seconds(60))
        #expect(await !limiter.tryAcquire("op"))
        let state = await limiter.states().first
        #expect(state?.throttles == 1)
        #expect((state?.tokens ?? 0) >= 99, "a daily budget is not lost to one 429")
    }

    @Test("a disabled limiter never waits")
    func disabledLimiter() async {
        let limiter = RateLimiter(
            quotas: [OperationQuota(operation: "op", requestsPerSecond: 0.001, burst: 1)],
            configuration: .init(isEnabled: false)
        )
        for _ in 0..<20 { #expect(await limiter.tryAcquire("op")) }
    }

    @Test(
        "waiting callers each reserve their own token: of three calls with a burst of one, one goes and two wait, owing two tokens"
    )
    func reservationsQueue() async throws {
        // A refill every 1,000 s: nothing refills during the test, so the count is exact.
        let limiter = RateLimiter(
            quotas: [OperationQuota(operation: "op", requestsPerSecond: 0.001, burst: 1)],
            configuration: .init(safetyFactor: 1)
        )
        let done = Completed()
        let callers = (0..<3).map { _ in
            Task {
                try await limiter.acquire("op")
                done.count.withLock { $0 += 1 }
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        var tokens = 1.0
        while ContinuousClock.now < deadline {
            tokens = await limiter.states().first { $0.operation == "op" }?.tokens ?? 1
            if tokens < -1.5, done.count.withLock({ $0 }) == 1 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(done.count.withLock { $0 } == 1, "one caller took the burst")
        #expect(abs(tokens - -2) < 0.01, "the two waiting callers each reserved a token: \(tokens)")
        for caller in callers { caller.cancel() }
    }

    /// How many callers got their token.
    final class Completed: Sendable {
        let count = Mutex(0)
    }
}

@Suite("OAuth token cache")
struct TokenCacheTests {
    @Test("concurrent callers share one refresh and the cached token afterwards")
    func oneRefreshInFlight() async throws {
        let cache = TokenCache()
        let fetches = ManagedCounter()
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let secret = try await cache.token {
                        _ = fetches.increment()
                        try await Task.sleep(for: .milliseconds(50))
                        return AccessToken(value: Secret("Atza|one"), expiresIn: .seconds(3600))
                    }
                    return secret.withRevealedValue { $0 }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(tokens) == ["Atza|one"])
        #expect(fetches.increment() == 2)
        #expect(await cache.refreshCount == 1)
    }

    @Test("a token inside the refresh margin is refreshed ahead of expiry")
    func refreshesAheadOfExpiry() async throws {
        let cache = TokenCache(refreshMargin: .seconds(60))
        _ = try await cache.token { AccessToken(value: Secret("old"), expiresIn: .milliseconds(200)) }
        try await Task.sleep(for: .milliseconds(150))  // past half its life: inside the margin
        let next = try await cache.token { AccessToken(value: Secret("new"), expiresIn: .seconds(3600)) }
        #expect(next == Secret("new"))
    }

    @Test("an invalidated token is fetched again; a failed refresh is reported, not cached")
    func invalidateAndFailure() async throws {
        let cache = TokenCache()
        let first = try await cache.token { AccessToken(value: Secret("a"), expiresIn: .seconds(3600)) }
        await cache.invalidate(first)
        await #expect(throws: AdapterError.self) {
            _ = try await cache.token { throw AdapterError.platform("invalid_grant") }
        }
        let again = try await cache.token { AccessToken(value: Secret("b"), expiresIn: .seconds(3600)) }
        #expect(again == Secret("b"))
    }
}

@Suite("Token refresh margin")
struct TokenMarginTests {
    @Test("a short-lived token is reused for half its life instead of being refreshed on every call")
    func shortTokensAreReused() async throws {
        let cache = TokenCache(refreshMargin: .seconds(60))
        let fetches = ManagedCounter()
        for _ in 0..<5 {
            _ = try await cache.token {
                _ = fetches.increment()
                return AccessToken(value: Secret("short"), expiresIn: .seconds(30))
            }
        }
        #expect(await cache.refreshCount == 1)
    }
}
