import Testing

@testable import Sync

struct BackoffPolicyTests {
    @Test func ceilingDoublesPerAttemptUntilTheCap() {
        let policy = BackoffPolicy(base: .milliseconds(500), cap: .seconds(10))
        #expect(policy.ceiling(attempt: 1) == .milliseconds(500))
        #expect(policy.ceiling(attempt: 2) == .seconds(1))
        #expect(policy.ceiling(attempt: 4) == .seconds(4))
        #expect(policy.ceiling(attempt: 6) == .seconds(10))
        #expect(policy.ceiling(attempt: 1_000) == .seconds(10))
    }

    @Test func fullJitterStaysWithinZeroAndTheCeiling() {
        let policy = BackoffPolicy(base: .milliseconds(100), cap: .seconds(5))
        var generator = SystemRandomNumberGenerator()
        var sawBelowHalf = false
        for attempt in 1...12 {
            for _ in 0..<200 {
                let delay = policy.delay(attempt: attempt, using: &generator)
                #expect(delay >= .zero && delay <= policy.ceiling(attempt: attempt))
                if delay < policy.ceiling(attempt: attempt) / 2 { sawBelowHalf = true }
            }
        }
        #expect(sawBelowHalf, "full jitter must spread delays down towards zero")
    }

    @Test func retryAfterFromThePlatformWinsWhenLonger() {
        let policy = BackoffPolicy(base: .milliseconds(100), cap: .seconds(1))
        for _ in 0..<100 {
            #expect(policy.delay(attempt: 3, retryAfter: .seconds(30)) == .seconds(30))
            #expect(policy.delay(attempt: 3, retryAfter: .milliseconds(1)) <= .milliseconds(400))
        }
    }
}
