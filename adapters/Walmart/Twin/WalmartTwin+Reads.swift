import Foundation
import Hummingbird
import TwinSupport

/// The read calls the listing verifier uses, in the shapes of `../shared/specs/walmart`, and the
/// sandbox's edits behind the seller's back (``TamperableTwin``).
///
/// - `GET /v3/items/{id}?productIdType=SKU` (us-mp-items.json `getAnItem`): `ItemResponses` with one
///   `ItemResponse` — `mart`, `sku`, `productName`, `price {currency, amount}` (a string, as the model
///   types it; Walmart's own example shows a number), `publishedStatus`, `lifecycleStatus` and, while
///   unpublished, `unpublishedReasons`. `productIdType` other than the model's enum is refused; the twin
///   only looks up SKUs (`SKU`, or none: "Takes SKU code by default"). An unknown SKU: 404
///   `CONTENT_NOT_FOUND` (the code is the twin's; the model lists no error answers).
/// - `GET /v3/inventory?sku=` (us-mp-inventory.json `getInventory`, `sku` required): `Inventory`
///   `{sku, quantity {unit: EACH, amount}}`; an item never stocked has amount 0.
extension WalmartTwin: TamperableTwin {
    /// The `productIdType` values of `getAnItem`.
    static let productIdTypes: Set<String> = ["GTIN", "UPC", "ISBN", "EAN", "SKU", "ITEM_ID"]

    func addReadRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("v3/items/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await self.guarded(request, quota: "items") { await self.getAnItem(id, request) }
        }
        group.get("v3/inventory") { request, _ in
            try await self.guarded(request, quota: "inventoryRead") { await self.getInventory(request) }
        }
    }

    /// `marketplace` is `US`; `status`: `active` → `PUBLISHED`/`ACTIVE`, `inactive` → `UNPUBLISHED`
    /// (reason "Unpublished by seller") / `ACTIVE`, `suppressed` → `UNPUBLISHED`/`RETIRED`.
    public func tamper(_ tamper: ListingTamper) async throws(TamperError) -> TwinListing {
        var price: Decimal?
        if let text = tamper.price {
            guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), value > 0 else {
                throw TamperError(code: "invalid_tamper", message: "price '\(text)' is not a positive decimal number.")
            }
            price = value
        }
        if let quantity = tamper.quantity, quantity < 0 {
            throw TamperError(code: "invalid_tamper", message: "quantity must be 0 or more.")
        }
        let statuses: (published: String, lifecycle: String, reasons: [String])? =
            switch tamper.status {
            case .active: ("PUBLISHED", "ACTIVE", [])
            case .inactive: ("UNPUBLISHED", "ACTIVE", ["Unpublished by seller"])
            case .suppressed: ("UNPUBLISHED", "RETIRED", ["Item retired"])
            case nil: nil
            }
        guard tamper.marketplace.uppercased() == "US",
            let item = await state.tamper(sku: tamper.sku, price: price, quantity: tamper.quantity, statuses: statuses)
        else {
            throw TamperError(code: "not_found", message: "No Walmart item \(tamper.sku) on \(tamper.marketplace).")
        }
        return TwinListing(
            sku: tamper.sku,
            marketplace: "US",
            title: item.title,
            price: item.price.map { Self.priceText($0) },
            currency: item.currency,
            quantity: item.quantity
        )
    }

    private func getAnItem(_ sku: String, _ request: Request) async -> Response {
        let type = request.uri.queryParameters.get("productIdType") ?? "SKU"
        guard Self.productIdTypes.contains(type) else {
            return Self.errors(
                .badRequest,
                [
                    .init(
                        code: "INVALID_REQUEST_PARAM.GMP_ITEM_QUERY_API",
                        field: "productIdType",
                        description: "productIdType must be one of GTIN, UPC, ISBN, EAN, SKU, ITEM_ID",
                        category: "REQUEST"
                    )
                ]
            )
        }
        guard type == "SKU", let item = await state.item(sku) else { return Self.notFound(sku) }
        var record: [String: Any] = [
            "mart": "WALMART_US", "sku": sku, "productName": item.title ?? sku,
            "publishedStatus": item.publishedStatus, "lifecycleStatus": item.lifecycleStatus,
        ]
        if let price = item.price { record["price"] = ["currency": item.currency, "amount": Self.priceText(price)] }
        if !item.unpublishedReasons.isEmpty { record["unpublishedReasons"] = ["reason": item.unpublishedReasons] }
        return Self.json(.ok, ["ItemResponse": [record], "totalItems": 1])
    }

    private func getInventory(_ request: Request) async -> Response {
        guard let sku = request.uri.queryParameters.get("sku"), !sku.isEmpty else {
            return Self.errors(
                .badRequest,
                [
                    .init(
                        code: "INVALID_REQUEST_PARAM.GMP_INVENTORY_API",
                        field: "sku",
                        description: "sku is required",
                        category: "REQUEST"
                    )
                ]
            )
        }
        guard let item = await state.item(sku) else { return Self.notFound(sku) }
        return Self.json(.ok, ["sku": sku, "quantity": ["unit": "EACH", "amount": item.quantity ?? 0]])
    }
}
