import CurlHTTP
import Logging
import Sync

extension AdapterContext {
    /// An adapter context for the tests: the real parts, a 10-second request timeout and a logger
    /// labelled `<platform>-tests` (only critical messages when `quiet`).
    public static func forTests(
        account: AccountSettings,
        channel: ChannelSettings,
        http: HTTPClient,
        rateLimiter: RateLimiter,
        tokens: TokenCache = TokenCache(),
        data: any AdapterDataStore = InMemoryAdapterDataStore(),
        quiet: Bool = false
    ) -> AdapterContext {
        var logger = Logger(label: "\(account.platform)-tests")
        if quiet { logger.logLevel = .critical }
        return AdapterContext(
            account: account,
            channel: channel,
            http: http,
            rateLimiter: rateLimiter,
            tokens: tokens,
            requestTimeout: .seconds(10),
            logger: logger,
            data: data
        )
    }
}
