import Sync

/// eBay's order source (Fulfillment API).
extension EbayAdapterFactory: OrderSourceFactory {
    /// eBay publishes a daily Fulfillment API call limit and no per-second rate we could confirm; 1 call/s
    /// with a burst of 5 stays far under any daily figure and matches the twin
    /// (UNCONFIRMED: one place to change). Its own bucket: pushes and orders never spend each other's.
    public func orderQuotas(for account: AccountSettings) -> [OperationQuota] {
        [OperationQuota(operation: EbayOrderSource.operation, requestsPerSecond: 1, burst: 5)]
    }

    /// The order source of an account, over the sites of its ingested channels.
    /// - Throws: ``AdapterError`` naming a missing credential.
    public func makeOrderSource(context: OrderSourceContext) throws(AdapterError) -> any OrderSource {
        var channels: [String: String] = [:]
        for channel in context.channels {
            channels[EbayMarketplace.named(channel.marketplace)?.id ?? channel.marketplace] = channel.name
        }
        // Its own token cache: the Fulfillment API needs another scope than the pushes' token.
        var client = try EbayAPIClient(context: context.adapterContext(tokens: TokenCache()))
        client.tokenScope = EbayOrderSource.scope
        return EbayOrderSource(
            client: client,
            account: context.account.name,
            channels: channels,
            lookBack: context.lookBack
        )
    }
}
