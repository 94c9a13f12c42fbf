import Catalog
import Store

/// What one claimed batch turns into at send time: the changes to push, and the pairs that need no
/// push at all (nothing differs any more, or a listing that never existed was removed).
struct SendPlan {
    /// The changes for the adapter, each with the facets whose desired hash differs from the ack.
    var changes: [ListingChange] = []
    /// Acks for pairs that need no push, recorded before the push.
    var settled: [ListingAck] = []
    /// The claim of every SKU in ``changes``.
    var claims: [SKU: ClaimedListing] = [:]
    /// Per SKU, the desired hashes of facets the platform does not keep, acked as they are so a full
    /// rebuild does not find them dirty forever.
    var notApplicable: [SKU: AckedHashes] = [:]
    /// Claims whose price cannot be known yet (the landed cost it adds is missing): nothing of them is
    /// sent, since platforms send the price along with other facets.
    var held: [ClaimedListing] = []

    /// Projects every claimed pair now (the newest catalog value) and compares it with its ack.
    ///
    /// - Parameter landedCosts: per SKU, the landed cost the channel's price adds, in its currency
    ///   (only for a channel whose pricing adds one).
    init(
        claimed: [ClaimedListing],
        channel: String,
        store: CatalogStore,
        projector: ChannelProjector,
        capabilities: AdapterCapabilities,
        landedCosts: [SKU: Money] = [:]
    ) throws {
        let skus = claimed.map(\.sku)
        let products = try store.products(skus: skus)
        let remoteIDs = try store.remoteIDs(channel: channel, skus: skus)
        for claim in claimed {
            let sku = claim.sku
            let wasListed = claim.acked.content != nil || claim.acked.price != nil || claim.acked.quantity != nil
            guard let product = products[sku]?.product, product.channels.map({ $0.contains(channel) }) ?? true else {
                if wasListed || remoteIDs[sku] != nil {
                    claims[sku] = claim
                    changes.append(
                        ListingChange(
                            desired: Self.removed(sku, channel: channel, currency: projector.channel.currency),
                            facets: [],
                            remoteID: remoteIDs[sku],
                            isRemoval: true,
                            isUrgent: true
                        )
                    )
                } else {
                    settled.append(
                        ListingAck(sku: sku, generation: claim.generation, sent: AckedHashes(), removed: true)
                    )
                }
                continue
            }
            guard let desired = projector.project(product, landedCost: landedCosts[sku]) else {
                held.append(claim)
                continue
            }
            var skipped = AckedHashes()
            var facets = Set<Facet>()
            for facet in Facet.allCases where claim.acked[facet] != desired.hashes[facet].rawValue {
                if capabilities.facets.contains(facet) {
                    facets.insert(facet)
                } else {
                    skipped[facet] = desired.hashes[facet].rawValue
                }
            }
            guard !facets.isEmpty else {
                settled.append(ListingAck(sku: sku, generation: claim.generation, sent: skipped, remoteID: nil))
                continue
            }
            claims[sku] = claim
            notApplicable[sku] = skipped
            let urgent = claim.priority >= .priceDecrease || (facets.contains(.quantity) && desired.quantity == 0)
            changes.append(
                ListingChange(
                    desired: desired,
                    facets: facets,
                    remoteID: remoteIDs[sku],
                    isNew: !wasListed,
                    isUrgent: urgent
                )
            )
        }
    }

    /// A placeholder listing for a removal: only the SKU and channel matter.
    private static func removed(_ sku: SKU, channel: String, currency: Currency) -> DesiredListing {
        let zero = FacetHash(rawValue: 0)
        return DesiredListing(
            sku: sku,
            channel: channel,
            content: ListingContent(sku: sku, title: ""),
            price: Money(minorUnits: 0, currency: currency),
            quantity: 0,
            hashes: FacetHashes(content: zero, price: zero, quantity: zero)
        )
    }
}
