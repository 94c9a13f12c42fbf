import Testing
import TwinSupport

/// The twins' quota buckets, raised by the sandbox's `--quota-multiplier`.
struct QuotaBucketsTests {
    @Test("a multiplier raises the burst a twin allows: 2 × 10 = 20 requests, then a 429 with a wait")
    func multiplierRaisesTheBurst() {
        // A rate of 0.001/s refills nothing within the test.
        let raised = QuotaBuckets(isEnabled: true, multiplier: 10)
        for request in 1...20 {
            #expect(raised.take("k", rate: 0.001, burst: 2) == nil, "request \(request) is within the raised burst")
        }
        let wait = raised.take("k", rate: 0.001, burst: 2)
        #expect(wait != nil && wait! > .seconds(1), "the 21st waits: \(String(describing: wait))")

        let published = QuotaBuckets(isEnabled: true)
        #expect(published.take("k", rate: 0.001, burst: 2) == nil)
        #expect(published.take("k", rate: 0.001, burst: 2) == nil)
        #expect(published.take("k", rate: 0.001, burst: 2) != nil, "the published burst is 2")
    }

    @Test("every twin built from the sandbox's environment takes its multiplier")
    func environmentCarriesTheMultiplier() {
        let buckets = QuotaBuckets(TwinEnvironment(quotasEnabled: true, quotaMultiplier: 3))
        for _ in 1...3 { #expect(buckets.take("k", rate: 0.001, burst: 1) == nil) }
        #expect(buckets.take("k", rate: 0.001, burst: 1) != nil)
        let off = QuotaBuckets(TwinEnvironment(quotasEnabled: false))
        for _ in 1...100 { #expect(off.take("k", rate: 0.001, burst: 1) == nil) }
    }
}
