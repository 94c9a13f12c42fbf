import AmazonModel
import Sync

/// Amazon's order source (Orders API v0).
extension AmazonAdapterFactory: OrderSourceFactory {
    /// `getOrders` 0.0167/s burst 20, `getOrderItems` 0.5/s burst 30 (the usage plans in `ordersV0.json`):
    /// their own buckets, so order polling and listing pushes never spend each other's tokens.
    public func orderQuotas(for account: AccountSettings) -> [OperationQuota] {
        [
            OperationQuota(operation: AmazonOrderSource.Operation.getOrders, requestsPerSecond: 0.0167, burst: 20),
            OperationQuota(operation: AmazonOrderSource.Operation.getOrderItems, requestsPerSecond: 0.5, burst: 30),
        ]
    }

    /// The order source of an account, over the marketplaces of its ingested channels.
    /// - Throws: ``AdapterError`` naming a missing credential or an unknown marketplace.
    public func makeOrderSource(context: OrderSourceContext) throws(AdapterError) -> any OrderSource {
        let account = context.account
        guard let region = AmazonMarketplace.Region(rawValue: account.region?.lowercased() ?? "") else {
            throw .configuration(key: "accounts.\(account.name).region", message: "must be na, eu or fe")
        }
        var channels: [String: String] = [:]
        for channel in context.channels {
            guard let marketplace = AmazonMarketplace.named(channel.marketplace) else {
                throw .configuration(key: "channels[\(channel.name)].marketplace", message: "unknown")
            }
            channels[marketplace.id] = channel.name
        }
        let provider = LWATokenProvider(
            tokenURL: account.tokenEndpoint ?? LWATokenProvider.defaultTokenEndpoint,
            clientID: try account.credential(CredentialKey.clientID),
            clientSecret: try account.credential(CredentialKey.clientSecret),
            refreshToken: try account.credential(CredentialKey.refreshToken),
            http: context.http,
            timeout: context.requestTimeout
        )
        let connection = SPAPIConnection(
            baseURL: AmazonAdapter.trimmedBase(account.endpoint ?? region.endpoint),
            http: context.http,
            rateLimiter: context.rateLimiter,
            tokens: context.tokens,
            tokenProvider: provider,
            timeout: context.requestTimeout,
            logger: context.logger,
            refusedTokenDelay: configuration.refusedTokenDelay,
            platform: account.platform
        )
        return AmazonOrderSource(
            connection: connection,
            account: account.name,
            channels: channels,
            lookBack: context.lookBack
        )
    }
}
