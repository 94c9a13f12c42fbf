import Foundation
import Hummingbird
import TwinSupport

extension WalmartTwin {
    /// Walmart's feed limit: items per feed.
    static let maximumFeedItems = 10_000

    /// `PUT /v3/price`.
    func updatePrice(_ request: Request) async throws -> Response {
        let bytes = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
        if let refusal = modelRefusal(bytes, file: "us-mp-price.json", schema: "Price", api: "GMP_PRICE_API") {
            return refusal
        }
        guard let update = WalmartTwinPayloads.decode(WalmartTwinPayloads.PriceUpdate.self, bytes) else {
            return Self.errors(.badRequest, [Self.malformed("GMP_PRICE_API")])
        }
        let base = update.pricing?.first { ($0.currentPriceType ?? "BASE") == "BASE" }?.currentPrice
        let errors = WalmartTwinValidation.price(sku: update.sku, amount: base?.amount, currency: base?.currency)
        guard errors.isEmpty, let sku = update.sku, let amount = base?.amount else {
            return Self.errors(.badRequest, errors)
        }
        guard await state.item(sku) != nil else { return Self.notFound(sku) }
        await state.apply(.price(sku: sku, amount: amount, currency: base?.currency ?? "USD"))
        return Self.json(
            .ok,
            [
                "ItemPriceResponse": [
                    "mart": "WALMART_US", "sku": sku,
                    "message":
                        "Thank you. Your price has been updated. Please allow up to five minutes for this change to be reflected on the site.",
                ]
            ]
        )
    }

    /// `PUT /v3/inventory?sku=`.
    func updateInventory(_ request: Request) async throws -> Response {
        let bytes = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
        if let refusal = modelRefusal(
            bytes,
            file: "us-mp-inventory.json",
            schema: "Inventory",
            api: "GMP_INVENTORY_API"
        ) {
            return refusal
        }
        guard let update = WalmartTwinPayloads.decode(WalmartTwinPayloads.InventoryUpdate.self, bytes) else {
            return Self.errors(.badRequest, [Self.malformed("GMP_INVENTORY_API")])
        }
        let sku = request.uri.queryParameters.get("sku") ?? update.sku
        var errors = WalmartTwinValidation.inventory(
            sku: sku,
            amount: update.quantity?.amount,
            unit: update.quantity?.unit
        )
        if let bodySKU = update.sku, let sku, bodySKU != sku {
            errors.append(
                .init(
                    code: "INVALID_REQUEST_CONTENT.GMP_INVENTORY_API",
                    field: "sku",
                    description: "sku in the body (\(bodySKU)) does not match the sku parameter (\(sku))"
                )
            )
        }
        guard errors.isEmpty, let sku, let amount = update.quantity?.amount else {
            return Self.errors(.badRequest, errors)
        }
        guard await state.item(sku) != nil else { return Self.notFound(sku) }
        await state.apply(.inventory(sku: sku, amount: amount))
        return Self.json(.ok, ["sku": sku, "quantity": ["unit": "EACH", "amount": amount]])
    }

    /// `POST /v3/feeds?feedType=`: validates each item now, applies them after the processing delay.
    func submitFeed(_ request: Request) async throws -> Response {
        let feedType = request.uri.queryParameters.get("feedType") ?? ""
        guard ["MP_ITEM", "price", "inventory"].contains(feedType) else {
            return Self.errors(
                .badRequest,
                [
                    .init(
                        code: "INVALID_REQUEST_PARAM.GMP_FEED_API",
                        field: "feedType",
                        description: "Invalid feedType: \(feedType)",
                        category: "REQUEST"
                    )
                ]
            )
        }
        let upload = Array(try await request.body.collect(upTo: 30 << 20).readableBytesView)
        let bytes: [UInt8]
        switch WalmartTwinUpload.file(contentType: request.headers[.contentType], body: upload) {
        case .success(let file): bytes = file
        case .failure(let error):
            return Self.errors(
                .badRequest,
                [
                    .init(
                        code: "INVALID_REQUEST_CONTENT.GMP_FEED_API",
                        field: "file",
                        description: error.message,
                        category: "REQUEST"
                    )
                ]
            )
        }
        if feedType == "MP_ITEM", let problem = Self.itemFeedHeaderProblem(bytes) {
            return Self.errors(
                .badRequest,
                [.init(code: "INVALID_REQUEST_CONTENT.GMP_FEED_API", field: "MPItemFeedHeader", description: problem)]
            )
        }
        guard let items = feedItems(feedType, bytes) else {
            return Self.errors(.badRequest, [Self.malformed("GMP_FEED_API")])
        }
        guard items.count <= Self.maximumFeedItems else {
            return Self.errors(
                .badRequest,
                [
                    .init(
                        code: "INVALID_REQUEST_CONTENT.GMP_FEED_API",
                        field: "feed",
                        description: "A feed may contain at most 10000 items; this one has \(items.count)"
                    )
                ]
            )
        }
        let perHour = configuration.feedsPerHour
        if let wait = quotas.take("feed:\(feedType)", rate: Double(perHour) / 3600, burst: perHour) {
            return throttled(wait)
        }
        let id = await state.submit(type: feedType, items: items)
        let state = state
        let delay = environment.processingDelay
        Task {
            try? await Task.sleep(for: delay)
            await state.process(id)
        }
        return Self.json(.ok, ["feedId": id])
    }

    /// `GET /v3/feeds/{feedId}?includeDetails=true&offset=&limit=`: item statuses one page at a time,
    /// as Walmart's feeds model says (`offset` default 0, `limit` default 50 and at most 1000).
    func feedStatus(_ id: String, offset: Int, limit: Int) async -> Response {
        guard let feed = await state.feed(id) else {
            return Self.errors(
                .notFound,
                [.init(code: "CONTENT_NOT_FOUND.GMP_FEED_API", field: "feedId", description: "Feed not found: \(id)")]
            )
        }
        var body: [String: Any] = [
            "feedId": feed.id, "feedType": feed.type, "feedStatus": feed.isProcessed ? "PROCESSED" : "INPROGRESS",
            "itemsReceived": feed.items.count,
        ]
        guard feed.isProcessed else {
            body["itemsProcessing"] = feed.items.count
            return Self.json(.ok, body)
        }
        let failed = feed.items.filter { !$0.errors.isEmpty }.count
        body["itemsSucceeded"] = feed.items.count - failed
        body["itemsFailed"] = failed
        body["itemsProcessing"] = 0
        body["offset"] = offset
        body["limit"] = limit
        let page = feed.items.dropFirst(offset).prefix(limit)
        body["itemDetails"] = [
            "itemIngestionStatus": page.map { item -> [String: Any] in
                var entry: [String: Any] = [
                    "sku": item.sku, "index": item.index, "martId": 0,
                    "ingestionStatus": item.errors.isEmpty ? "SUCCESS" : "DATA_ERROR",
                ]
                if !item.errors.isEmpty {
                    entry["ingestionErrors"] = [
                        "ingestionError": item.errors.map {
                            ["type": "DATA_ERROR", "code": $0.code, "field": $0.field, "description": $0.description]
                        }
                    ]
                }
                return entry
            }
        ]
        return Self.json(.ok, body)
    }

    /// The problem with an `MP_ITEM` file's header, `nil` when it is 5.0's (or the file is not JSON).
    static func itemFeedHeaderProblem(_ bytes: [UInt8]) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        return WalmartTwinItemCheck.header(root)
    }

    /// The items of a feed file with their validation, `nil` when the file is not the feed type's JSON.
    func feedItems(_ feedType: String, _ bytes: [UInt8]) -> [WalmartTwinState.FeedItem]? {
        switch feedType {
        case "MP_ITEM":
            guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
            return WalmartTwinItemCheck.items(root, categories: configuration.categories)
        case "price":
            guard let prices = WalmartTwinPayloads.decode(WalmartTwinPayloads.PriceFeed.self, bytes)?.price else {
                return nil
            }
            return prices.enumerated().map { index, update in
                let base = update.pricing?.first { ($0.currentPriceType ?? "BASE") == "BASE" }?.currentPrice
                let errors = WalmartTwinValidation.price(
                    sku: update.sku,
                    amount: base?.amount,
                    currency: base?.currency
                )
                let change: WalmartTwinState.Change? =
                    errors.isEmpty
                    ? .price(sku: update.sku!, amount: base!.amount!, currency: base?.currency ?? "USD") : nil
                return .init(index: index, sku: update.sku ?? "", change: change, errors: errors)
            }
        default:
            guard let updates = WalmartTwinPayloads.decode(WalmartTwinPayloads.InventoryFeed.self, bytes)?.inventory
            else {
                return nil
            }
            return updates.enumerated().map { index, update in
                let errors = WalmartTwinValidation.inventory(
                    sku: update.sku,
                    amount: update.quantity?.amount,
                    unit: update.quantity?.unit
                )
                let change: WalmartTwinState.Change? =
                    errors.isEmpty ? .inventory(sku: update.sku!, amount: update.quantity!.amount!) : nil
                return .init(index: index, sku: update.sku ?? "", change: change, errors: errors)
            }
        }
    }

    /// 400 `INVALID_REQUEST_CONTENT` naming each way `bytes` departs from Walmart's model `schema`.
    func modelRefusal(_ bytes: [UInt8], file: String, schema: String, api: String) -> Response? {
        guard let models else { return nil }
        let problems = models.problems(bytes, file: file, schema: schema)
        guard !problems.isEmpty else { return nil }
        return Self.errors(
            .badRequest,
            problems.map {
                .init(code: "INVALID_REQUEST_CONTENT.\(api)", field: schema, description: $0, category: "REQUEST")
            }
        )
    }

    static func malformed(_ api: String) -> WalmartTwinError {
        .init(
            code: "INVALID_REQUEST_CONTENT.\(api)",
            field: "body",
            description: "The request body is not valid JSON of the expected shape",
            category: "REQUEST"
        )
    }

    static func notFound(_ sku: String) -> Response {
        errors(
            .notFound,
            [
                .init(
                    code: "CONTENT_NOT_FOUND.GMP_ITEM_INGESTOR_API",
                    field: "sku",
                    description: "Item not found for sku: \(sku)"
                )
            ]
        )
    }
}

/// Reads a feed upload as Walmart's feeds model defines it: a `multipart/form-data` body with the
/// required part `file` (us-mp-items.json `itemBulkUploads`, us-mp-price.json `priceBulkUploads`,
/// us-mp-inventory.json `updateBulkInventory`). A raw JSON body is not a feed upload.
enum WalmartTwinUpload {
    /// The bytes of the part `file`, or why there are none (a message in Walmart's words).
    static func file(contentType: String?, body: [UInt8]) -> Result<[UInt8], UploadError> {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            return .failure(
                UploadError(
                    "Content-Type \(contentType ?? "(none)") is not supported: upload the feed file as multipart/form-data with a part named file"
                )
            )
        }
        guard let file = MultipartFormFile.part(named: "file", contentType: contentType, body: body) else {
            return .failure(UploadError("the multipart body has no part named file"))
        }
        return .success(file)
    }

    /// Why an upload is refused.
    struct UploadError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
