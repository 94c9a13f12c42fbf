import Catalog
import CurlHTTP
import Foundation
import Sync

/// The listing verifier's read-back on Walmart: two calls per SKU.
///
/// 1. `GET /v3/items/{sku}?productIdType=SKU` (us-mp-items.json `getAnItem`, paced as `getAnItem`):
///    `price {currency, amount}`, `publishedStatus`, `lifecycleStatus`, `unpublishedReasons`. A 404 (or
///    an empty `ItemResponse`) means Walmart has no such item: ``Sync/ListingRead/missing``.
/// 2. `GET /v3/inventory?sku=` (us-mp-inventory.json `getInventory`, paced as `getInventory`): the
///    `quantity.amount` buyers can buy. A failure here fails the read (nothing concluded).
///
/// The verifier paces itself by `getAnItem`'s bucket; each read spends one token there and one of
/// `getInventory`'s, which nothing else uses, so both buckets see the same share. Availability:
/// `lifecycleStatus` `RETIRED` or `ARCHIVED` → suppressed; `PUBLISHED` (lifecycle `ACTIVE`) → active;
/// any other `publishedStatus` (`UNPUBLISHED`, `READY_TO_PUBLISH`, `IN_PROGRESS`, `STAGE`,
/// `SYSTEM_PROBLEM`) → inactive, with the `unpublishedReasons` as issues. The title is not compared:
/// `productName` is read but content drift is not checked on Walmart (an item feed per repair).
extension WalmartAdapter: ListingReader {
    /// The bucket of `GET /v3/items/{sku}`.
    static let itemReadOperation = "getAnItem"
    /// The bucket of `GET /v3/inventory?sku=`.
    static let inventoryReadOperation = "getInventory"

    public var readOperation: String { Self.itemReadOperation }

    /// The account's rate limiter.
    public var rateLimiter: RateLimiter { client.context.rateLimiter }

    /// What Walmart shows for `sku` now.
    public func readListing(sku: SKU, remoteID: String?) async -> ListingRead {
        let escaped = Self.queryEscaped(sku.rawValue)
        let item: ReadItem
        switch await read(Self.itemReadOperation, "/v3/items/\(escaped)?productIdType=SKU") {
        case .failure(let failure): return failure.read
        case .success(let response):
            guard let items = try? JSONDecoder().decode(ReadItems.self, from: Data(response.body)) else {
                return .failed(reason: "Walmart getAnItem answered \(response.status) with an unreadable body")
            }
            guard let found = items.items?.first(where: { $0.sku == nil || $0.sku == sku.rawValue }) else {
                return .missing
            }
            item = found
        }
        let quantity: Int?
        switch await read(Self.inventoryReadOperation, "/v3/inventory?sku=\(escaped)") {
        case .failure(let failure): return failure.read
        case .success(let response):
            guard let inventory = try? JSONDecoder().decode(WalmartWire.InventoryUpdate.self, from: Data(response.body))
            else {
                return .failed(reason: "Walmart getInventory answered \(response.status) with an unreadable body")
            }
            quantity = inventory.quantity.amount
        }
        return .found(Self.live(item, quantity: quantity))
    }

    /// The neutral view of an item and its quantity.
    static func live(_ item: ReadItem, quantity: Int?) -> LiveListing {
        let lifecycle = item.lifecycleStatus?.uppercased()
        let published = item.publishedStatus?.uppercased()
        let availability: LiveListing.Availability =
            lifecycle == "RETIRED" || lifecycle == "ARCHIVED"
            ? .suppressed : published == "PUBLISHED" && (lifecycle ?? "ACTIVE") == "ACTIVE" ? .active : .inactive
        return LiveListing(
            price: item.price?.amount?.value,
            currencyCode: item.price?.currency,
            quantity: quantity,
            availability: availability,
            platformStatus: [item.publishedStatus, item.lifecycleStatus].compactMap { $0 }.joined(separator: ","),
            issues: (item.unpublishedReasons?.reason ?? []).map {
                MarketplaceIssue(code: "UNPUBLISHED", message: $0, severity: "ERROR")
            }
        )
    }

    /// Why a read call came to nothing, as the read it makes.
    struct ReadFailure: Error {
        var read: ListingRead
    }

    /// One read call: its 2xx answer, or the read it fails with (404 → missing).
    private func read(_ operation: String, _ path: String) async -> Result<HTTPResponse, ReadFailure> {
        switch await client.send(operation, .get, path) {
        case .failed(.needsAttention(let reason)), .failed(.retry(let reason, _)):
            return .failure(ReadFailure(read: .failed(reason: reason)))
        case .failed(let outcome):
            return .failure(ReadFailure(read: .failed(reason: "Walmart \(operation): \(outcome)")))
        case .response(let response):
            if response.status == 404 { return .failure(ReadFailure(read: .missing)) }
            guard response.isSuccess else {
                return .failure(
                    ReadFailure(
                        read: .failed(
                            reason: "Walmart \(operation): \(response.status) \(WalmartClient.summary(response))"
                        )
                    )
                )
            }
            return .success(response)
        }
    }

    /// `ItemResponses` as `getAnItem` answers it, only the members the verifier reads.
    struct ReadItems: Decodable, Sendable {
        var items: [ReadItem]?

        enum CodingKeys: String, CodingKey {
            case items = "ItemResponse"
        }
    }

    /// One `ItemResponse`.
    struct ReadItem: Decodable, Sendable {
        struct Price: Decodable, Sendable {
            var currency: String?
            var amount: LenientDecimal?
        }

        struct Reasons: Decodable, Sendable {
            var reason: [String]?
        }

        var sku: String?
        var productName: String?
        var price: Price?
        var publishedStatus: String?
        var lifecycleStatus: String?
        var unpublishedReasons: Reasons?
    }

    /// A decimal Walmart sends as a string (the model's `ItemSearchPrice.amount`) or a number (its
    /// example), read exactly either way.
    struct LenientDecimal: Decodable, Sendable {
        var value: Decimal?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
            } else {
                value = try container.decode(Decimal.self)
            }
        }
    }
}
