import Foundation
import Hummingbird
import TwinSupport

/// Flipkart's shipments search (`POST /sellers/v3/shipments/filter`, then `GET
/// /sellers/v3/shipments/filter?next_token=` for the next pages) and the sandbox's buyers
/// (``OrderPlacingTwin``).
///
/// The request is `SearchShipmentRequest` {`filter`, `pagination`, `sort`}: `filter.type` is required
/// (`preDispatch`, `postDispatch`, `cancelled`); `states` is required for the dispatch types and must
/// be that type's states; `cancellationType` is required for `cancelled`; date windows (`orderDate`,
/// `modifiedDate`, `dispatchAfterDate`, `dispatchByDate`, `cancellationDate`) take ISO 8601
/// `from`/`to` with `from` ≤ `to`; `pagination.pageSize` is 1...``maximumPageSize``. Anything else is
/// a 400 in the listings API's error shape `{"errors": [{severity, code, description, path}]}` — the
/// shipments pages publish no error body, so that shape and the codes are UNCONFIRMED
/// (``FlipkartTwinModel/Code``). The answer is `{hasMore, nextPageUrl, shipments}`; `nextPageUrl` is
/// relative to `/sellers` (`/v3/shipments/filter?next_token=…`), as a published client's log shows.
extension FlipkartTwin: OrderPlacingTwin {
    /// The most shipments per page: Flipkart's order search documents 20 (v2 `orders/search`); the v3
    /// pages give no figure (UNCONFIRMED for v3, one place to change).
    static let maximumPageSize = 20
    /// The states each dispatch type takes (the v3 search page's lists).
    static let statesByType: [String: Set<String>] = [
        "preDispatch": ["APPROVED", "PACKING_IN_PROGRESS", "FORM_FAILED", "PACKED", "READY_TO_DISPATCH"],
        "postDispatch": ["SHIPPED", "DELIVERED", "PICKUP_COMPLETE"],
    ]
    /// `cancellationType` values (SDK `Filter.CancellationTypeEnum`).
    static let cancellationTypes: Set<String> = ["sellerCancellation", "buyerCancellation", "marketplaceCancellation"]

    func addShipmentRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("sellers/v3/shipments/filter") { request, _ in
            try await guarded(request, bucket: "shipments") {
                let buffer = try await request.body.collect(upTo: 1 << 20)
                switch Self.query(from: buffer.readableBytesView) {
                case .failure(let refusal): return Self.refusal(refusal)
                case .success(let query): return await search(query)
                }
            }
        }
        group.get("sellers/v3/shipments/filter") { request, _ in
            try await guarded(request, bucket: "shipments") {
                guard let token = request.uri.queryParameters.get("next_token"),
                    let data = Data(base64Encoded: token),
                    let query = try? JSONDecoder().decode(
                        FlipkartShipmentBook.Query.self,
                        from: data
                    )
                else { return Self.refusal(.init(message: "next_token is missing or not valid", path: "next_token")) }
                return await search(query)
            }
        }
    }

    /// Sells `quantity` of `sku` on `IN`: the units leave the ENABLED locations; returns the order id.
    public func placeOrder(marketplace: String, sku: String, quantity: Int) async throws(SandboxOrderError) -> String {
        guard marketplace.uppercased() == "IN" else {
            throw SandboxOrderError(status: 404, code: "no_marketplace", message: "Flipkart sells on IN only.")
        }
        guard quantity >= 1 else {
            throw SandboxOrderError(status: 400, code: "bad_quantity", message: "quantity must be 1 or more.")
        }
        switch await state.take(sku: sku, units: quantity) {
        case .failure(.noListing):
            throw SandboxOrderError(status: 404, code: "no_listing", message: "No Flipkart listing of SKU \(sku).")
        case .failure(.inactive):
            throw SandboxOrderError(status: 409, code: "not_sellable", message: "The listing of \(sku) is INACTIVE.")
        case .failure(.notEnough(let available)):
            throw SandboxOrderError(
                status: 409,
                code: "not_sellable",
                message: "Only \(available) units of \(sku) are sellable; \(quantity) were ordered."
            )
        case .success(let taken):
            let price = FlipkartTwinState.rupees(await state.listings[sku]?.sellingPrice) ?? 0
            return await shipments.place(
                sku: sku,
                fsn: fsn(for: sku),
                quantity: quantity,
                taken: taken,
                sellingPrice: price
            )
            .orderId
        }
    }

    /// Cancels `orderID` (by the buyer) and gives its units back to the locations they came from.
    public func cancelOrder(_ orderID: String) async throws(SandboxOrderError) {
        switch await shipments.cancel(orderID) {
        case .failure(let error): throw error
        case .success(let shipment): await state.giveBack(sku: shipment.sku, taken: shipment.taken)
        }
    }

    /// Ships `orderID`: its shipment becomes `SHIPPED` (postDispatch); the stock is untouched.
    public func shipOrder(_ orderID: String) async throws(SandboxOrderError) {
        if case .failure(let error) = await shipments.ship(orderID) { throw error }
    }

    /// One page of `query`'s shipments, with the next page's URL when there is more.
    private func search(_ query: FlipkartShipmentBook.Query) async -> Response {
        var query = query
        // The first page fixes the window's end (now, or the latest update if a burst ran ahead of the
        // clock), so later pages page through the same set.
        if query.offset == 0, query.modifiedTo == nil { query.modifiedTo = max(Date(), await shipments.latest) }
        let all = await shipments.matching(query)
        let page = all.dropFirst(query.offset).prefix(query.pageSize)
        let hasMore = query.offset + page.count < all.count
        var body: [String: JSONValue] = [
            "hasMore": .bool(hasMore), "shipments": .array(page.map(FlipkartShipmentBook.json)),
        ]
        if hasMore {
            var next = query
            next.offset += page.count
            let token = ((try? JSONEncoder().encode(next)) ?? Data()).base64EncodedString()
            let escaped = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
            body["nextPageUrl"] = .string("/v3/shipments/filter?next_token=\(escaped)")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: JSONValue.object(body).serialized))
        )
    }

    /// A refused search request: what is wrong and where.
    struct SearchRefusal: Error {
        var message: String
        var path: String
    }

    static func refusal(_ refusal: SearchRefusal) -> Response {
        json(
            .badRequest,
            FlipkartTwinModel.ErrorResponse(errors: [
                FlipkartTwinModel.ErrorEntry(
                    severity: "ERROR",
                    code: FlipkartTwinModel.Code.invalidFilter,
                    description: refusal.message,
                    path: "$." + refusal.path
                )
            ])
        )
    }

    /// The query of a `SearchShipmentRequest` body, or why Flipkart would refuse it.
    static func query(from bytes: some Collection<UInt8>) -> Result<FlipkartShipmentBook.Query, SearchRefusal> {
        guard let json = try? JSONValue.parse(bytes), json.objectValue != nil else {
            return .failure(.init(message: "Request body is not valid JSON", path: ""))
        }
        guard let filter = json["filter"], filter.objectValue != nil else {
            return .failure(.init(message: "filter is required", path: "filter"))
        }
        guard let type = filter["type"]?.stringValue else {
            return .failure(.init(message: "filter.type is required", path: "filter.type"))
        }
        var query = FlipkartShipmentBook.Query(
            type: type,
            states: [],
            cancellationType: nil,
            sortDescending: false,
            sortField: "modifiedDate",
            pageSize: maximumPageSize,
            offset: 0
        )
        if let allowed = statesByType[type] {
            let states = filter["states"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard !states.isEmpty else {
                return .failure(.init(message: "filter.states is required for type \(type)", path: "filter.states"))
            }
            if let bad = states.first(where: { !allowed.contains($0) }) {
                return .failure(.init(message: "state \(bad) is not valid for type \(type)", path: "filter.states"))
            }
            query.states = states
        } else if type == "cancelled" {
            guard let cancellation = filter["cancellationType"]?.stringValue,
                cancellationTypes.contains(cancellation)
            else {
                return .failure(
                    .init(
                        message: "filter.cancellationType is required for type cancelled and must be one of "
                            + cancellationTypes.sorted().joined(separator: ", "),
                        path: "filter.cancellationType"
                    )
                )
            }
            query.cancellationType = cancellation
        } else {
            return .failure(
                .init(
                    message: "filter.type \(type) is not one of preDispatch, postDispatch, cancelled",
                    path: "filter.type"
                )
            )
        }
        for name in ["orderDate", "modifiedDate", "dispatchAfterDate", "dispatchByDate", "cancellationDate"] {
            guard let window = filter[name] else { continue }
            switch dateWindow(window, name: "filter.\(name)") {
            case .failure(let refusal): return .failure(refusal)
            case .success(let (from, to)):
                if name == "modifiedDate" { (query.modifiedFrom, query.modifiedTo) = (from, to) }
                if name == "orderDate" { (query.orderFrom, query.orderTo) = (from, to) }
            }
        }
        if let size = json["pagination"]?["pageSize"] {
            guard let value = size.integerValue, (1...Int64(maximumPageSize)).contains(value) else {
                return .failure(
                    .init(
                        message: "pagination.pageSize must be an integer from 1 to \(maximumPageSize)",
                        path: "pagination.pageSize"
                    )
                )
            }
            query.pageSize = Int(value)
        }
        if let sort = json["sort"] {
            let field = sort["field"]?.stringValue ?? "modifiedDate"
            let order = sort["order"]?.stringValue ?? "asc"
            guard ["dispatchByDate", "orderDate", "modifiedDate", "dispatchAfterDate"].contains(field),
                ["asc", "desc"].contains(order)
            else { return .failure(.init(message: "sort \(field) \(order) is not valid", path: "sort")) }
            query.sortField = field
            query.sortDescending = order == "desc"
        }
        return .success(query)
    }

    /// The `from`/`to` of a date window: ISO 8601 date-times, `from` not after `to`.
    private static func dateWindow(_ window: JSONValue, name: String) -> Result<(Date?, Date?), SearchRefusal> {
        guard window.objectValue != nil else { return .failure(.init(message: "\(name) is not an object", path: name)) }
        var dates: [Date?] = []
        for part in ["from", "to"] {
            guard let value = window[part] else {
                dates.append(nil)
                continue
            }
            guard let text = value.stringValue, let date = FlipkartShipmentBook.date(text) else {
                return .failure(.init(message: "\(name).\(part) is not an ISO 8601 date-time", path: "\(name).\(part)"))
            }
            dates.append(date)
        }
        if let from = dates[0], let to = dates[1], from > to {
            return .failure(.init(message: "\(name).from is after \(name).to", path: "\(name).from"))
        }
        return .success((dates[0], dates[1]))
    }
}

extension FlipkartShipmentBook {
    /// An ISO 8601 date-time with or without fractional seconds, `Z` or an offset (`+05:30`).
    static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }
}
