import Foundation
import Hummingbird
import TwinSupport

extension EbayTwin {
    /// `POST /identity/v1/oauth2/token`: the refresh-token (or client-credentials) grant with Basic
    /// client authentication; any non-empty credentials are accepted.
    func token(_ request: Request) async throws -> Response {
        let authorization = request.headers[.authorization] ?? ""
        guard authorization.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":"),
            colon != pair.startIndex, pair.index(after: colon) != pair.endIndex
        else {
            return Self.json(
                .unauthorized,
                ["error": "invalid_client", "error_description": "client authentication failed"]
            )
        }
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let form = Self.formFields(String(decoding: buffer.readableBytesView, as: UTF8.self))
        if RevokedCredentials.contains(String(pair[pair.index(after: colon)...])) {
            return Self.json(
                .unauthorized,
                ["error": "invalid_client", "error_description": "client authentication failed"]
            )
        }
        switch form["grant_type"] {
        case "refresh_token"
        where !(form["refresh_token"] ?? "").isEmpty && !RevokedCredentials.contains(form["refresh_token"]),
            "client_credentials":
            break
        default:
            return Self.json(
                .badRequest,
                ["error": "invalid_grant", "error_description": "the provided authorization grant is invalid"]
            )
        }
        let lifetime = environment.tokenLifetime
        let seconds = max(1, Int(lifetime.components.seconds))
        let token = tokens.issue(lifetime: lifetime)
        return Self.json(
            .ok,
            TokenAnswer(accessToken: token, expiresIn: seconds, tokenType: "User Access Token")
        )
    }

    /// `PUT /inventory_item/{sku}`: createOrReplaceInventoryItem (204).
    func replaceItem(_ request: Request, sku: String) async throws -> Response {
        guard let language = request.headers[.contentLanguage], !language.isEmpty else {
            return Self.errors(.badRequest, [.inventory(25709, "Invalid value for header Content-Language.")])
        }
        let decoded = try await decode(EbayTwinModel.InventoryItem.self, schema: "InventoryItem", from: request)
        guard case .success(let item) = decoded else { return decoded.refusal }
        let errors = await state.replaceItem(sku: sku, item: item)
        guard errors.isEmpty else { return Self.errors(.badRequest, errors) }
        if await state.takeLostResponse("createOrReplaceInventoryItem") { return Self.lost }
        return Response(status: .noContent)
    }

    /// `POST /bulk_create_or_replace_inventory_item`: at most 25 items, a status per item (207 when
    /// any failed).
    func bulkReplaceItems(_ request: Request) async throws -> Response {
        let decoded = try await decode(EbayTwinModel.BulkInventoryItem.self, schema: "BulkInventoryItem", from: request)
        guard case .success(let bulk) = decoded else { return decoded.refusal }
        guard let requests = bulk.requests else { return Self.malformed }
        guard requests.count <= 25 else {
            return Self.errors(
                .badRequest,
                [.inventory(25727, "The number of InventoryItems in the request cannot exceed 25.")]
            )
        }
        await state.recordBulk("bulkCreateOrReplaceInventoryItem", size: requests.count)
        var statuses: [EbayTwinModel.ItemStatus] = []
        for item in requests {
            let sku = item.sku ?? ""
            guard !sku.isEmpty else {
                statuses.append(
                    .init(
                        sku: sku,
                        locale: item.locale,
                        statusCode: 400,
                        errors: [.userError("The SKU is missing.", field: "sku")]
                    )
                )
                continue
            }
            let errors = await state.replaceItem(sku: sku, item: item)
            statuses.append(
                .init(
                    sku: sku,
                    locale: item.locale,
                    statusCode: errors.isEmpty ? 200 : 400,
                    errors: errors.isEmpty ? nil : errors
                )
            )
        }
        return Self.multiStatus(statuses)
    }

    /// `GET /offer?sku=&marketplace_id=`: the SKU's offers, 404 (25713) when it has none.
    func getOffers(_ request: Request) async -> Response {
        let sku = request.uri.queryParameters.get("sku") ?? ""
        let offers = await state.offers(sku: sku, marketplace: request.uri.queryParameters.get("marketplace_id"))
        guard !offers.isEmpty else {
            return Self.errors(.notFound, [.inventory(25713, "This Offer is not available.")])
        }
        return Self.json(.ok, OffersAnswer(offers: offers, total: offers.count, size: offers.count, limit: 100))
    }

    /// `POST /offer`: createOffer (201 with the offer id).
    func createOffer(_ request: Request) async throws -> Response {
        let decoded = try await decode(EbayTwinModel.Offer.self, schema: "EbayOfferDetailsWithKeys", from: request)
        guard case .success(let offer) = decoded else { return decoded.refusal }
        switch await state.createOffer(offer) {
        case .failure(let failure): return Self.errors(.badRequest, failure.errors)
        case .success(let id):
            if await state.takeLostResponse("createOffer") { return Self.lost }
            return Self.json(.created, ["offerId": id])
        }
    }

    /// `PUT /offer/{offerId}`: updateOffer, a full replacement (204).
    func updateOffer(_ request: Request, id: String) async throws -> Response {
        let decoded = try await decode(EbayTwinModel.Offer.self, schema: "EbayOfferDetailsWithId", from: request)
        guard case .success(let offer) = decoded else { return decoded.refusal }
        guard let errors = await state.updateOffer(id: id, with: offer) else { return Self.unknownOffer }
        guard errors.isEmpty else { return Self.errors(.badRequest, errors) }
        return Response(status: .noContent)
    }

    /// `POST /offer/{offerId}/publish`: the listing id.
    func publish(id: String) async throws -> Response {
        switch await state.publish(id: id) {
        case nil: return Self.unknownOffer
        case .failure(let failure)?: return Self.errors(.badRequest, failure.errors)
        case .success(let listingID)?:
            if await state.takeLostResponse("publishOffer") { return Self.lost }
            return Self.json(.ok, ["listingId": listingID])
        }
    }

    /// `POST /offer/{offerId}/withdraw`: ends the listing.
    func withdraw(id: String) async throws -> Response {
        guard let listingID = await state.withdraw(id: id) else { return Self.unknownOffer }
        return Self.json(.ok, ["listingId": listingID])
    }

    /// `POST /bulk_update_price_quantity`: at most 25 SKUs, a status per offer (207 when any failed).
    func bulkUpdatePriceQuantity(_ request: Request) async throws -> Response {
        let decoded = try await decode(EbayTwinModel.BulkPriceQuantity.self, schema: "BulkPriceQuantity", from: request)
        guard case .success(let bulk) = decoded else { return decoded.refusal }
        guard let requests = bulk.requests else { return Self.malformed }
        guard requests.count <= 25 else {
            return Self.errors(
                .badRequest,
                [.inventory(25727, "The number of InventoryItems in the request cannot exceed 25.")]
            )
        }
        await state.recordBulk("bulkUpdatePriceQuantity", size: requests.count)
        var statuses: [EbayTwinModel.ItemStatus] = []
        for entry in requests { statuses += await state.updatePriceQuantity(entry) }
        return Self.multiStatus(statuses)
    }

    /// 200 when every item succeeded, else 207 Multi-Status, with `{"responses": [...]}`.
    static func multiStatus(_ statuses: [EbayTwinModel.ItemStatus]) -> Response {
        let allGood = statuses.allSatisfy { (200..<300).contains($0.statusCode) }
        return json(
            allGood ? .ok : HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status"),
            EbayTwinModel.BulkResponse(responses: statuses)
        )
    }

    static var unknownOffer: Response {
        errors(.notFound, [.inventory(25713, "This Offer is not available.")])
    }

    /// The answer of a call whose change was stored but whose response was "lost" (the test hook).
    static var lost: Response {
        errors(.internalServerError, [.inventory(25001, "A system error has occurred. Please try again.")])
    }

    /// `a=1&b=2` → `["a": "1", "b": "2"]`, percent-decoded.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            let value = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ") : ""
            fields[name] = value.removingPercentEncoding ?? value
        }
        return fields
    }

    /// The token endpoint's answer.
    struct TokenAnswer: Encodable {
        var accessToken: String
        var expiresIn: Int
        var tokenType: String

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
            case tokenType = "token_type"
        }
    }

    /// `Offers`: the answer of getOffers.
    struct OffersAnswer: Encodable {
        var offers: [EbayTwinModel.Offer]
        var total: Int
        var size: Int
        var limit: Int
    }
}

extension EbayTwinState {
    /// Published offers as platform-neutral listings, by SKU then marketplace.
    func listings(marketplace: String?) -> [TwinListing] {
        offers.values
            .filter { $0.status == "PUBLISHED" && (marketplace == nil || $0.marketplaceId == marketplace) }
            .map { offer in
                TwinListing(
                    sku: offer.sku ?? "",
                    marketplace: offer.marketplaceId ?? "",
                    title: items[offer.sku ?? ""]?.product?.title,
                    price: offer.pricingSummary?.price?.value,
                    currency: offer.pricingSummary?.price?.currency,
                    // eBay sells at most the inventory item's quantity, whatever the offer says.
                    quantity: Self.sellable(offer, item: items[offer.sku ?? ""])
                )
            }
            .sorted { ($0.sku, $0.marketplace) < ($1.sku, $1.marketplace) }
    }
}

extension Result where Failure == EbayTwinRefusal {
    /// The refusal's answer (only read after matching `.failure`).
    var refusal: Response {
        if case .failure(let refusal) = self { return refusal.response }
        return Response(status: .internalServerError)
    }
}
