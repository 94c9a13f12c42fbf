import Catalog
import ControlAPI
import Foundation
import Hummingbird
import Store

/// Catalog routes: import, read, replace and delete products, and where their listings stand.
extension ControlRoutes {
    /// `POST /v1/import`: 200 with the report when any row landed; 422 with the same report plus
    /// `error` when rows were refused and none landed (a wrong file, a header error), so a script that
    /// only looks at the status sees the failure.
    func importCatalog(_ request: Request, _ context: ControlRequestContext) async throws -> Response {
        try context.requireMutationRights()
        let data = Data(buffer: try await Self.body(of: request, upTo: Self.maximumBodySize))
        let contentType = request.headers[.contentType] ?? ""
        let looksLikeJSON = data.first(where: { !$0.isASCIIWhitespace }) == UInt8(ascii: "[")
        let format: CatalogImporter.Format = contentType.contains("json") || looksLikeJSON ? .json : .csv
        let report = try CatalogImporter(store: runtime.snapshot.store).importData(data, format: format)
        if report.inserted + report.updated > 0 { await sync.wake(channels: nil) }
        let answer = ImportResponse(
            inserted: report.inserted,
            updated: report.updated,
            unchanged: report.unchanged,
            errors: report.errors.map {
                ImportResponse.RowError(line: $0.line, column: $0.column, sku: $0.sku, message: $0.message)
            }
        )
        let failed = report.accepted == 0 && !report.errors.isEmpty
        let encoded = try JSONEncoder().encode(
            FailedImport(
                report: answer,
                error: failed
                    ? .init(
                        code: "import_failed",
                        message: "no row was imported; the first problem: \(report.errors[0])"
                    ) : nil
            )
        )
        return Response(
            status: failed ? .unprocessableContent : .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: encoded))
        )
    }

    /// An import's report, with the `error` of the control API's error shape when nothing was imported.
    private struct FailedImport: Encodable {
        let report: ImportResponse
        let error: ErrorResponse.Detail?

        private enum CodingKeys: String, CodingKey { case error }

        func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(error, forKey: .error)
        }
    }

    /// `GET /v1/products/{sku}`: the product as stored and, when a channel keeps landed costs (DHL
    /// Express), every landed cost stored for it, per source channel and destination.
    func product(_ context: ControlRequestContext) async throws -> ProductResponse {
        let sku = try Self.sku(context)
        let state = runtime.snapshot
        guard let stored = try state.store.product(sku: sku) else {
            throw ControlError(.notFound, code: "not_found", "no product with SKU \(sku)")
        }
        let counts = try state.store.orderCounts(sku: sku)
        let orders = OrderCountsResponse(
            sold: counts.sold,
            reserved: counts.reserved,
            restored: counts.restored,
            oversold: counts.oversold,
            lines: counts.lines
        )
        let wiring = state.landedCosts
        guard !wiring.sources.isEmpty else { return ProductResponse(product: stored.product, orders: orders) }
        let formatter = ISO8601DateFormatter()
        let landedCosts = try await wiring.landedCosts(of: sku).flatMap { source, costs in
            costs.map { cost in
                ProductResponse.LandedCost(
                    source: source,
                    destination: cost.destination,
                    total: cost.total,
                    parts: cost.parts.map { .init(name: $0.name, amount: $0.amount) },
                    fetchedAt: formatter.string(from: cost.fetchedAt)
                )
            }
        }
        return ProductResponse(product: stored.product, landedCosts: landedCosts, orders: orders)
    }

    /// `PUT /v1/products/{sku}`: replaces (or creates) one product from a JSON object with the import
    /// contract's keys, validated exactly as an import row is. The SKU in the path is the product's:
    /// a body without `sku` takes it, a body naming another SKU is refused.
    func putProduct(_ request: Request, _ context: ControlRequestContext) async throws -> Response {
        try context.requireMutationRights()
        let sku = try Self.sku(context)
        let body = Array(buffer: try await Self.body(of: request, upTo: Self.maximumSmallBodySize))
        guard let open = body.firstIndex(where: { !$0.isASCIIWhitespace }), body[open] == UInt8(ascii: "{") else {
            throw ControlError(.badRequest, code: "bad_request", "the body must be one JSON object (a product)")
        }
        struct NamedSKU: Decodable { var sku: String? }
        let named: NamedSKU
        do {
            named = try JSONDecoder().decode(NamedSKU.self, from: Data(body))
        } catch {
            throw ControlError(.badRequest, code: "bad_request", Self.decodingMessage(error))
        }
        var row: [UInt8] = [UInt8(ascii: "[")]
        if let bodySKU = named.sku {
            guard bodySKU == sku.rawValue else {
                throw ControlError(
                    .badRequest,
                    code: "bad_request",
                    "field sku: \"\(bodySKU)\" differs from the SKU in the path, \(sku.rawValue)"
                )
            }
            row += body
        } else {
            let key = try JSONEncoder().encode(sku.rawValue)
            row += body[...open] + Array("\"sku\":".utf8) + Array(key)
            let rest = body[(open + 1)...]
            if rest.first(where: { !$0.isASCIIWhitespace }) != UInt8(ascii: "}") { row.append(UInt8(ascii: ",")) }
            row += rest
        }
        row.append(UInt8(ascii: "]"))
        let store = runtime.snapshot.store
        let report = try CatalogImporter(store: store).importData(Data(row), format: .json)
        if let error = report.errors.first {
            let field = error.column.map { "field \($0): " } ?? ""
            throw ControlError(.badRequest, code: "invalid_product", "\(field)\(error.message)")
        }
        guard let stored = try store.product(sku: sku) else {
            throw ControlError(.internalServerError, code: "internal", "the product \(sku) was not saved")
        }
        if report.unchanged == 0 { await sync.wake(channels: stored.product.channels) }
        let status: HTTPResponse.Status = report.inserted > 0 ? .created : .ok
        let data = try JSONEncoder().encode(ProductResponse(product: stored.product))
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    func deleteProduct(_ context: ControlRequestContext) async throws -> Response {
        try context.requireMutationRights()
        let sku = try Self.sku(context)
        guard try runtime.snapshot.store.deleteProduct(sku: sku) else {
            throw ControlError(.notFound, code: "not_found", "no product with SKU \(sku)")
        }
        await sync.wake(channels: nil)
        return Response(status: .noContent)
    }

    /// `GET /v1/products/{sku}/listings`: per channel the product is (or was) listed on, the desired
    /// and acked hash of each facet, the remote id and status, and where the listing stands in the queue.
    /// A price waiting for its landed cost has no desired hash (empty) and shows as not synced.
    func listings(_ context: ControlRequestContext) async throws -> ListingStateResponse {
        let sku = try Self.sku(context)
        let state = runtime.snapshot
        let product = try state.store.product(sku: sku)?.product
        let acked = Dictionary(
            try state.store.listingStates(sku: sku).map { ($0.channel, $0) },
            uniquingKeysWith: { a, _ in a }
        )
        let dirty = Dictionary(
            try state.store.dirtyEntries(sku: sku).map { ($0.channel, $0) },
            uniquingKeysWith: { a, _ in a }
        )
        guard product != nil || !acked.isEmpty || !dirty.isEmpty else {
            throw ControlError(.notFound, code: "not_found", "no product or listing with SKU \(sku)")
        }
        let listed = state.channels.map(\.name).filter { name in
            product.map { $0.channels?.contains(name) ?? true } ?? false
        }
        let names = listed + Set(acked.keys).union(dirty.keys).subtracting(listed).sorted()
        var landedCosts: [String: Money] = [:]
        for (name, input) in state.landedCosts.inputs {
            guard let currency = state.projections.rules[name]?.currency else { continue }
            landedCosts[name] = try await input.amounts(for: [sku], currency: currency)[sku]
        }
        let checks = try state.store.listingChecks(sku: sku)
        let formatter = ISO8601DateFormatter()
        let now = Date()
        return ListingStateResponse(
            sku: sku.rawValue,
            listings: names.map { name in
                let entry = dirty[name]
                let queueState = Self.queueState(entry, now: now)
                let desired = product.flatMap { product in
                    state.projections.projectors[name].map { projector -> [Facet: FacetHash] in
                        var hashes: [Facet: FacetHash] = [
                            .content: projector.contentHash(for: product),
                            .quantity: FacetHash(quantity: projector.quantity(for: product)),
                        ]
                        hashes[.price] = projector.price(for: product, landedCost: landedCosts[name])
                            .map { FacetHash(price: $0) }
                        return hashes
                    }
                }
                let ackedHashes = acked[name]?.acked ?? AckedHashes()
                return ListingStateResponse.Listing(
                    channel: name,
                    state: queueState,
                    remoteID: acked[name]?.remoteID,
                    status: acked[name]?.status,
                    attempts: entry?.attempts ?? 0,
                    nextAttemptAt: queueState == .backingOff ? entry.map { formatter.string(from: $0.notBefore) } : nil,
                    lastError: entry?.lastError ?? acked[name]?.lastError,
                    facets: Facet.allCases.map { facet in
                        let desiredHash = desired?[facet]?.rawValue
                        let ackedHash = ackedHashes[facet]
                        let synced = desiredHash != nil && desiredHash == ackedHash
                        return ListingStateResponse.FacetState(
                            facet: facet,
                            state: synced ? .synced : (queueState == .synced ? .pending : queueState),
                            desiredHash: desiredHash.map { FacetHash(rawValue: $0).description } ?? "",
                            ackedHash: ackedHash.map { FacetHash(rawValue: $0).description }
                        )
                    },
                    live: checks[name].map { Self.live($0, formatter) }
                )
            }
        )
    }

    /// Where a listing stands in the outbox: not in it (synced), due, leased, waiting out a backoff, dead.
    private static func queueState(_ entry: DirtyEntry?, now: Date) -> ListingStateResponse.State {
        guard let entry else { return .synced }
        if entry.isDead { return .deadLetter }
        if let lease = entry.leaseUntil, lease > now { return .inFlight }
        if entry.notBefore > now { return .backingOff }
        return .pending
    }

    private static func decodingMessage(_ error: any Error) -> String {
        "the body is not a JSON product: \(RequestDecoding.plain(error))"
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
