import Sync

/// Walmart's order source (Orders API `getAllOrders`).
extension WalmartAdapterFactory: OrderSourceFactory {
    /// Walmart publishes its per-API rate limits per seller on its developer portal; no figure for
    /// `getAllOrders` could be confirmed (UNCONFIRMED, README "Orders"). 1 call/s with a burst of 5 is
    /// far more than a poll every minute needs and matches the twin. This is the one place to change.
    /// Its own bucket: pushes and orders never spend each other's.
    public static let ordersQuota = OperationQuota(
        operation: WalmartOrderSource.operation,
        requestsPerSecond: 1,
        burst: 5
    )

    public func orderQuotas(for account: AccountSettings) -> [OperationQuota] {
        [Self.ordersQuota]
    }

    /// The order source of an account, on the account's shared token cache and limiter (the same
    /// client credentials token the listing pushes use).
    /// - Throws: ``AdapterError`` naming a missing credential or an account without ingested channels.
    public func makeOrderSource(context: OrderSourceContext) throws(AdapterError) -> any OrderSource {
        _ = try context.account.credential("client_id")
        _ = try context.account.credential("client_secret")
        var channels: [String: String] = [:]
        for channel in context.channels { channels[channel.marketplace.uppercased()] = channel.name }
        let client = WalmartClient(context: try context.adapterContext())
        return WalmartOrderSource(
            client: client,
            account: context.account.name,
            channels: channels,
            lookBack: context.lookBack,
            logger: context.logger
        )
    }
}
