import AmazonModel
import Catalog
import Foundation
import Sync

/// Reads one SKU back with `getListingsItem` for the listing verifier: the marketplace's summary
/// status, the B2C offer price, the `DEFAULT` fulfillment quantity, the title the seller submitted
/// (`attributes.item_name` in the channel's language) and the listing's issues.
///
/// Shapes from `listingsItems_2021-08-01.json`: `Item` (`summaries`: `ItemSummaryByMarketplace`,
/// `offers`: `ItemOfferByMarketplace`, `fulfillmentAvailability`: `FulfillmentAvailability`, `issues`:
/// `Issue` with `enforcements`). A 404 is a missing listing; 429, 5xx and auth trouble a failed read.
struct ListingsItemReader: Sendable {
    /// The `includedData` sets one read asks for.
    static let includedData = "summaries,attributes,offers,fulfillmentAvailability,issues"

    let connection: SPAPIConnection
    let sellerID: String
    let marketplace: AmazonMarketplace
    let languageTag: String

    /// What Amazon shows for `sku` on this marketplace.
    func read(_ sku: SKU) async -> ListingRead {
        let path =
            "/listings/2021-08-01/items/\(SPAPIConnection.pathSegment(sellerID))/\(SPAPIConnection.pathSegment(sku.rawValue))"
        let reply = await connection.send(
            .get,
            path: path,
            query: [
                ("marketplaceIds", marketplace.id), ("issueLocale", languageTag),
                ("includedData", Self.includedData),
            ],
            operations: [ListingsItemsClient.Operation.get]
        )
        switch reply {
        case .transient(let reason, _), .refused(let reason):
            return .failed(reason: reason)
        case .response(let response):
            if response.status == 404 { return .missing }
            guard (200..<300).contains(response.status) else {
                let errors = SPAPIWire.decode(SPAPIWire.ErrorList.self, from: response.body)
                return .failed(
                    reason: "getListingsItem answered \(response.status): "
                        + (errors.map { MarketplaceIssue.reason($0.issues) } ?? "no ErrorList")
                )
            }
            guard let item = SPAPIWire.decode(Item.self, from: response.body) else {
                return .failed(reason: "getListingsItem answered \(response.status) with an unreadable Item")
            }
            return .found(live(item))
        }
    }

    /// The neutral view of `item` on this marketplace.
    func live(_ item: Item) -> LiveListing {
        let id = marketplace.id
        let summary = item.summaries?.first { $0.marketplaceId == id }
        let offer = item.offers?.first { $0.marketplaceId == id && $0.offerType == "B2C" }
        let issues = (item.issues ?? []).filter { $0.marketplaceIds.map { $0.contains(id) } ?? true }
        let statuses = summary?.status ?? []
        let enforced = issues.contains { !($0.enforcements?.actions ?? []).isEmpty }
        let availability: LiveListing.Availability =
            enforced || statuses.isEmpty ? .suppressed : statuses.contains("BUYABLE") ? .active : .inactive
        let titles = item.attributes?.itemName ?? []
        let own = titles.first { $0.languageTag == languageTag && ($0.marketplaceID ?? id) == id }
        let title = (own ?? titles.first)?.value
        return LiveListing(
            price: offer.flatMap { Decimal(string: $0.price.amount, locale: Locale(identifier: "en_US_POSIX")) },
            currencyCode: offer?.price.currencyCode,
            quantity: item.fulfillmentAvailability?.first { $0.fulfillmentChannelCode == "DEFAULT" }?.quantity,
            title: title,
            availability: availability,
            platformStatus: summary.map { $0.status.joined(separator: ",") },
            issues: issues.map {
                MarketplaceIssue(
                    code: $0.code,
                    message: $0.message,
                    severity: $0.severity,
                    attributeNames: $0.attributeNames ?? []
                )
            }
        )
    }

    /// The parts of `Item` the verifier reads.
    struct Item: Decodable, Sendable {
        struct Summary: Decodable, Sendable {
            var marketplaceId: String
            var status: [String]
            var itemName: String?
        }

        struct Money: Decodable, Sendable {
            var currencyCode: String
            var amount: String
        }

        struct Offer: Decodable, Sendable {
            var marketplaceId: String
            var offerType: String
            var price: Money
        }

        struct Availability: Decodable, Sendable {
            var fulfillmentChannelCode: String
            var quantity: Int?
        }

        struct Enforcements: Decodable, Sendable {
            struct Action: Decodable, Sendable { var action: String }
            var actions: [Action]
        }

        struct Issue: Decodable, Sendable {
            var code: String
            var message: String
            var severity: String
            var attributeNames: [String]?
            var marketplaceIds: [String]?
            var enforcements: Enforcements?
        }

        /// `item_name` values as the seller submitted them (the attribute's own snake-case keys).
        struct Attributes: Decodable, Sendable {
            struct Text: Decodable, Sendable {
                var value: String
                var languageTag: String?
                var marketplaceID: String?

                private enum CodingKeys: String, CodingKey {
                    case value
                    case languageTag = "language_tag"
                    case marketplaceID = "marketplace_id"
                }
            }

            var itemName: [Text]?

            private enum CodingKeys: String, CodingKey {
                case itemName = "item_name"
            }
        }

        var sku: String
        var summaries: [Summary]?
        var attributes: Attributes?
        var offers: [Offer]?
        var fulfillmentAvailability: [Availability]?
        var issues: [Issue]?
    }
}
