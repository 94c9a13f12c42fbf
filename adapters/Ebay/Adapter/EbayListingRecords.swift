import Catalog
import Foundation
import Sync

/// What the eBay adapters of one account remember between pushes, in the account's data store (shared
/// by every eBay channel of the account, kept across restarts):
///
/// - **each site's offer quantity per SKU** (`ebay/offer-quantity/<SKU>/<MARKETPLACE>`). eBay keeps one
///   inventory item per SKU for all sites, and an offer's `availableQuantity` may not exceed the item's
///   `shipToLocationAvailability.quantity`. Each channel only knows its own share, so the item's
///   quantity is the sum of every site's latest offer quantity: every offer then fits inside it, and
///   one site's write no longer cuts the others' stock to its own share. Recording, summing and
///   writing the item happen under the SKU's lock (``withItemLocks(_:_:)``), so a write never carries a
///   sum older than another site's last write.
/// - **withdrawn offers** (`ebay/withdrawn/<MARKETPLACE>/<SKU>` = offer id): a removed SKU's offer is
///   withdrawn, not deleted, and the engine keeps its id; when the SKU comes back the adapter must
///   republish that offer (a price update alone would leave it unlisted).
struct EbayListingRecords: Sendable {
    /// The account's data store.
    let store: any AdapterDataStore
    /// This channel's site (`EBAY_US`).
    let marketplace: String
    /// The account's per-SKU item locks (``EbayItemLocks``).
    let locks: EbayItemLocks

    static let quantityPrefix = "ebay/offer-quantity/"
    static let withdrawnPrefix = "ebay/withdrawn/"

    /// The data-store key of `sku`'s offer quantity on `marketplace`.
    static func quantityKey(sku: SKU, marketplace: String) -> String {
        "\(quantityPrefix)\(sku.rawValue)/\(marketplace)"
    }

    /// The data-store key of `sku`'s withdrawn offer on `marketplace`.
    static func withdrawnKey(sku: SKU, marketplace: String) -> String {
        "\(withdrawnPrefix)\(marketplace)/\(sku.rawValue)"
    }

    /// Records `quantity` as this site's offer quantity of `sku` and answers the inventory item's
    /// quantity: the sum over every site of the account.
    func itemQuantity(sku: SKU, offerQuantity quantity: Int) async throws -> Int {
        try await store.setValue(String(max(0, quantity)), for: Self.quantityKey(sku: sku, marketplace: marketplace))
        let all = try await store.values(withPrefix: "\(Self.quantityPrefix)\(sku.rawValue)/")
        return all.values.reduce(0) { $0 + (Int($1) ?? 0) }
    }

    /// The item quantity of every SKU of `changes` (removals count 0 for this site); a store failure
    /// fails the SKU with a retry.
    func itemQuantities(_ changes: [ListingChange]) async -> [SKU: Result<Int, OutcomeError>] {
        var result: [SKU: Result<Int, OutcomeError>] = [:]
        for change in changes {
            do {
                let own = change.isRemoval ? 0 : change.desired.quantity
                result[change.sku] = .success(try await itemQuantity(sku: change.sku, offerQuantity: own))
            } catch {
                result[change.sku] = .failure(
                    OutcomeError(
                        outcome: .retry(reason: "eBay offer quantities: adapter data store: \(error)", after: nil)
                    )
                )
            }
        }
        return result
    }

    /// Runs `body` (which records, sums and writes the items of `skus`) holding their locks.
    func withItemLocks<T: Sendable>(_ skus: [SKU], _ body: @Sendable () async -> T) async -> T {
        await locks.withLocks(skus.map(\.rawValue), body)
    }

    /// The id of `sku`'s offer withdrawn on this site, `nil` when none is.
    func withdrawnOffer(sku: SKU) async -> String? {
        try? await store.value(for: Self.withdrawnKey(sku: sku, marketplace: marketplace))
    }

    /// Notes that `offerID` of `sku` was withdrawn on this site.
    func recordWithdrawn(sku: SKU, offerID: String) async throws {
        try await store.setValue(offerID, for: Self.withdrawnKey(sku: sku, marketplace: marketplace))
    }

    /// Forgets a withdrawal of `sku` on this site (its offer is published again).
    func clearWithdrawn(sku: SKU) async {
        try? await store.setValue(nil, for: Self.withdrawnKey(sku: sku, marketplace: marketplace))
    }
}
