import Catalog
import ControlAPI
import Foundation
import Hummingbird
import Store

/// The control API's HTTP routes (DESIGN §4.3) over the store: JSON in, JSON out, errors as
/// `{"error": {"code", "message"}}` with a fitting status. A bad request never reaches past its handler.
struct ControlRoutes: Sendable {
    /// The largest request body accepted (an import of about 200,000 CSV rows); larger gets 413.
    static let maximumBodySize = 64 * 1024 * 1024

    let store: CatalogStore
    let channels: [ChannelConfiguration]
    let accounts: [String: AccountConfiguration]
    let configPath: String
    /// The projector of every configured channel, for `sync --full`.
    let projectors: [ChannelProjector]
    let startedAt: ContinuousClock.Instant

    /// Registers every route on `router`.
    func register(on router: Router<ControlRequestContext>) {
        router.get("/v1/status") { _, _ in try self.status() }
        router.get("/v1/channels") { _, _ in try ChannelsResponse(channels: self.channelSummaries()) }
        router.post("/v1/import") { request, context in try await self.importCatalog(request, context) }
        router.get("/v1/products/:sku") { _, context in try self.product(context) }
        router.delete("/v1/products/:sku") { _, context in try self.deleteProduct(context) }
        router.get("/v1/queue") { _, _ in try self.queue() }
        router.get("/v1/dead-letters") { _, _ in try self.deadLetters() }
        router.post("/v1/retry") { request, context in try await self.retry(request, context) }
        router.post("/v1/sync") { request, context in try await self.sync(request, context) }
    }

    private func status() throws -> StatusResponse {
        StatusResponse(
            version: DaemonRuntime.version,
            uptimeSeconds: Int((ContinuousClock.now - startedAt).components.seconds),
            configPath: configPath,
            channels: try channelSummaries()
        )
    }

    private func channelSummaries() throws -> [ChannelSummary] {
        let queues = Dictionary(try store.queueSummary().map { ($0.channel, $0) }, uniquingKeysWith: { a, _ in a })
        return channels.map { channel in
            let queue = queues[channel.name]
            return ChannelSummary(
                name: channel.name,
                platform: accounts[channel.account]?.platform ?? "unknown",
                marketplace: channel.marketplace,
                pending: queue?.pending ?? 0,
                leased: queue?.leased ?? 0,
                backingOff: queue?.backingOff ?? 0,
                deadLetters: queue?.deadLetters ?? 0
            )
        }
    }

    private func importCatalog(_ request: Request, _ context: ControlRequestContext) async throws -> ImportResponse {
        try context.requireMutationRights()
        let data = Data(buffer: try await Self.body(of: request, upTo: Self.maximumBodySize))
        let contentType = request.headers[.contentType] ?? ""
        let looksLikeJSON = data.first(where: { !$0.isASCIIWhitespace }) == UInt8(ascii: "[")
        let format: CatalogImporter.Format = contentType.contains("json") || looksLikeJSON ? .json : .csv
        let report = try CatalogImporter(store: store).importData(data, format: format)
        return ImportResponse(
            inserted: report.inserted,
            updated: report.updated,
            unchanged: report.unchanged,
            errors: report.errors.map {
                ImportResponse.RowError(line: $0.line, column: $0.column, sku: $0.sku, message: $0.message)
            }
        )
    }

    private func product(_ context: ControlRequestContext) throws -> ProductResponse {
        let sku = try Self.sku(context)
        guard let stored = try store.product(sku: sku) else {
            throw ControlError(.notFound, code: "not_found", "no product with SKU \(sku)")
        }
        return ProductResponse(product: stored.product)
    }

    private func deleteProduct(_ context: ControlRequestContext) throws -> Response {
        try context.requireMutationRights()
        let sku = try Self.sku(context)
        guard try store.deleteProduct(sku: sku) else {
            throw ControlError(.notFound, code: "not_found", "no product with SKU \(sku)")
        }
        return Response(status: .noContent)
    }

    private func queue() throws -> QueueResponse {
        QueueResponse(
            channels: try store.queueSummary().map {
                QueueResponse.ChannelQueue(
                    channel: $0.channel,
                    pending: $0.pending,
                    leased: $0.leased,
                    backingOff: $0.backingOff
                )
            }
        )
    }

    private func deadLetters() throws -> DeadLetterResponse {
        let formatter = ISO8601DateFormatter()
        return DeadLetterResponse(
            deadLetters: try store.deadLetters().map {
                DeadLetterResponse.DeadLetter(
                    sku: $0.sku.rawValue,
                    channel: $0.channel,
                    facet: $0.facet ?? .content,
                    reason: $0.reason,
                    hint: "fix the product (catalogctl product set / import) or run: catalogctl retry --channel "
                        + "\($0.channel) --sku \($0.sku.rawValue)",
                    failedAt: formatter.string(from: $0.createdAt)
                )
            }
        )
    }

    private func retry(_ request: Request, _ context: ControlRequestContext) async throws -> QueuedResponse {
        try context.requireMutationRights()
        let body = try await Self.body(of: request, upTo: 1024 * 1024)
        let retry: RetryRequest
        do {
            retry = body.readableBytes == 0 ? RetryRequest() : try JSONDecoder().decode(RetryRequest.self, from: body)
        } catch {
            throw ControlError(.badRequest, code: "bad_request", "the body is not a retry request: \(error)")
        }
        var queued = 0
        for sku in retry.skus ?? [] {
            queued += try store.retryDeadLetters(channel: retry.channel, sku: try Self.validSKU(sku))
        }
        if retry.skus == nil { queued = try store.retryDeadLetters(channel: retry.channel) }
        return QueuedResponse(queued: queued)
    }

    /// The request body, or 413 naming the limit when it is larger.
    private static func body(of request: Request, upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError(
                .contentTooLarge,
                code: "too_large",
                "the request body is larger than the limit of \(limit / 1024 / 1024) MiB; split the import"
            )
        }
    }

    /// `{"full": true[, "channel"]}`: rebuilds the dirty set from desired vs acked hashes.
    private func sync(_ request: Request, _ context: ControlRequestContext) async throws -> QueuedResponse {
        try context.requireMutationRights()
        let body = try await Self.body(of: request, upTo: 1024 * 1024)
        let sync: SyncRequest
        do {
            sync = body.readableBytes == 0 ? SyncRequest() : try JSONDecoder().decode(SyncRequest.self, from: body)
        } catch {
            throw ControlError(.badRequest, code: "bad_request", "the body is not a sync request: \(error)")
        }
        guard sync.full == true, sync.skus == nil else {
            throw ControlError(
                .notImplemented,
                code: "not_implemented",
                "only a full sync ({\"full\": true}) is available until the sync engine lands"
            )
        }
        let selected = projectors.filter { sync.channel == nil || $0.channel.name == sync.channel }
        guard !selected.isEmpty else {
            throw ControlError(.notFound, code: "not_found", "no channel named \(sync.channel ?? "")")
        }
        let report = try await store.rebuildDirtySet(projectors: selected)
        return QueuedResponse(queued: report.newlyMarked)
    }

    private static func sku(_ context: ControlRequestContext) throws -> SKU {
        try validSKU(context.parameters.get("sku") ?? "")
    }

    private static func validSKU(_ raw: String) throws -> SKU {
        do {
            return try SKU(validating: raw)
        } catch {
            throw ControlError(.badRequest, code: "invalid_sku", "\(error)")
        }
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
