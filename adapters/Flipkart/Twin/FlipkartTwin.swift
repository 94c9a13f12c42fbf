import Foundation
import Hummingbird
import TwinSupport

/// A stateful fake of Flipkart's Marketplace Seller API (listings v3) and its token endpoint, under
/// `/flipkart`.
///
/// Paths: `GET /oauth-service/oauth/token` (client credentials, Basic `appId:appSecret`),
/// `GET /sellers/listings/v3/{skuIds}`, `POST /sellers/listings/v3/update/price` and
/// `/update/inventory`, and the shipments search `POST`/`GET /sellers/v3/shipments/filter`
/// (``addShipmentRoutes(to:)``, with the sandbox's orders and tampering). Updates take at most 10 SKUs (more is a 400) and answer HTTP 200 with a
/// `status` per SKU; an unknown FSN, a missing field, a price that is not an `int32` JSON integer
/// (`1099.00`, `"1099"`), a non-positive price, a selling price above the MRP, a currency other than
/// INR, a location without its `status` (ENABLED|DISABLED) or a negative inventory is a `FAILURE`
/// for that SKU only, with errors whose `code` is an `int32` (as documented; the values are the
/// twin's own, see ``FlipkartTwinModel/Code``). Contract: `../shared/specs/flipkart/` (text pages,
/// no machine-readable model), so these checks are written by hand.
///
/// Quotas: Flipkart publishes none, so by default the twin throttles nothing; ``Configuration`` can
/// set a per-second bucket (answered with 429 and `Retry-After`) to exercise throttling; the listings
/// calls share one, the shipments search has its own.
///
/// Sandbox hook: a SKU registered with ``onboard(sku:title:)`` under a title containing `[REJECT]` is
/// a blocked listing — every update of it fails with `LISTING_BLOCKED`, as Flipkart fails updates of
/// listings that failed its quality check.
public struct FlipkartTwin: PlatformTwin {
    /// The twin's quota model.
    public struct Configuration: Sendable, Hashable {
        /// Listings calls per second per seller; `nil` (the default) enforces nothing, as Flipkart
        /// publishes no limit.
        public var requestsPerSecond: Double?
        /// Calls allowed at once after an idle period.
        public var burst: Int

        /// A bucket of `requestsPerSecond` (none when `nil`) with `burst`.
        public init(requestsPerSecond: Double? = nil, burst: Int = 10) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }
    }

    /// The most SKUs one update call may carry.
    public static let maximumSKUsPerCall = 10

    /// Mounted under `/flipkart`.
    public let platform = "flipkart"
    /// Where the twin issues access tokens (the sandbox's `--token-outage-ms` takes it down).
    public let tokenPaths = ["oauth-service/oauth/token"]
    let environment: TwinEnvironment
    let configuration: Configuration
    let state: FlipkartTwinState
    /// The sandbox buyers' shipments (``OrderPlacingTwin``).
    let shipments: FlipkartShipmentBook
    let tokens: TwinTokenIssuer
    let quotas: QuotaBuckets

    /// A twin with the sandbox's environment.
    public init(environment: TwinEnvironment) {
        self.init(environment: environment, configuration: Configuration())
    }

    /// A twin with a quota model of its own (tests).
    public init(environment: TwinEnvironment, configuration: Configuration) {
        self.environment = environment
        self.configuration = configuration
        state = FlipkartTwinState(seed: environment.seed)
        shipments = FlipkartShipmentBook(seed: environment.seed)
        tokens = TwinTokenIssuer(prefix: "fk-sandbox-\(environment.seed)-")
        quotas = QuotaBuckets(
            isEnabled: environment.quotasEnabled && configuration.requestsPerSecond != nil,
            multiplier: environment.quotaMultiplier
        )
    }

    /// The FSN the twin's Seller Hub gave `sku` (what `GET /listings/v3/{sku}` answers).
    public func fsn(for sku: String) -> String {
        FlipkartTwinModel.fsn(for: sku, seed: environment.seed)
    }

    /// Registers `sku` as listed in the Seller Hub with `title` (shown by the inspection view; a title
    /// containing `[REJECT]` blocks the listing).
    public func onboard(sku: String, title: String?) async {
        await state.onboard(sku: sku, title: title)
    }

    /// The number of SKUs of every update call so far, in arrival order.
    public func updateBatchSizes() async -> [Int] {
        await state.batchSizes
    }

    /// Revokes every token issued so far: the next call with one gets 401.
    public func revokeTokens() {
        tokens.revokeAll()
    }

    /// Every listing with a price or stock, as platform-neutral listings (marketplace `IN`); the
    /// quantity is the stock of the ENABLED locations.
    public func listings(marketplace: String?) async -> [TwinListing] {
        guard marketplace == nil || marketplace?.uppercased() == "IN" else { return [] }
        return await state.listings.filter { $0.value.sellingPrice != nil || !$0.value.locations.isEmpty }
            .map { sku, listing in
                TwinListing(
                    sku: sku,
                    marketplace: "IN",
                    title: listing.title,
                    price: listing.sellingPrice,
                    currency: listing.sellingPrice == nil ? nil : "INR",
                    quantity: listing.locations.isEmpty ? nil : listing.sellable
                )
            }
            .sorted { $0.sku < $1.sku }
    }

    /// The token endpoint, the listings v3 routes and the shipments search the adapter uses.
    public func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("oauth-service/oauth/token") { request, _ in token(request) }
        addShipmentRoutes(to: group)
        let listings = group.group("sellers/listings/v3")
        listings.get(":skuIds") { request, context in
            try await guarded(request) { try await lookUp(context.parameters.require("skuIds")) }
        }
        listings.post("update/price") { request, _ in
            try await guarded(request) {
                try await update(request, as: FlipkartTwinModel.PriceEntry.init) { sku, entry in
                    await state.updatePrice(sku: sku, entry: entry)
                }
            }
        }
        listings.post("update/inventory") { request, _ in
            try await guarded(request) {
                try await update(request, as: FlipkartTwinModel.InventoryEntry.init) { sku, entry in
                    await state.updateInventory(sku: sku, entry: entry)
                }
            }
        }
    }
}
