import Sync

/// Flipkart's order source (the shipments search).
extension FlipkartAdapterFactory: OrderSourceFactory {
    /// Flipkart publishes no rate limit for the shipments search (UNCONFIRMED): 1 call/s with a burst
    /// of 5 is a conservative figure of ours, the one place to change it. Its own bucket: pushes and
    /// orders never spend each other's tokens.
    public static let shipmentsQuota = OperationQuota(
        operation: FlipkartAPIClient.shipmentsOperation,
        requestsPerSecond: 1,
        burst: 5
    )

    /// ``shipmentsQuota`` for every account.
    public func orderQuotas(for account: AccountSettings) -> [OperationQuota] { [Self.shipmentsQuota] }

    /// The order source of an account: the same client-credentials token (`Seller_Api` scope) and
    /// token cache as the account's listing pushes. `order_look_back_seconds` (default 3600) sets how
    /// far back a first poll starts.
    /// - Throws: ``AdapterError`` naming a missing credential, or no channel ingesting orders.
    public func makeOrderSource(context: OrderSourceContext) throws(AdapterError) -> any OrderSource {
        let client = try FlipkartAPIClient(context: context.adapterContext())
        return FlipkartOrderSource(
            client: client,
            account: context.account.name,
            channel: context.channels.first { $0.marketplace.uppercased() == FlipkartOrderSource.marketplace }?.name,
            lookBack: context.lookBack
        )
    }
}
