import Catalog
import ControlAPI
import Foundation
import Hummingbird
import Store

/// The control API's HTTP routes (DESIGN §4.3) over the store and the sync engine: JSON in, JSON out,
/// errors as `{"error": {"code", "message"}}` with a fitting status. A bad request never reaches past
/// its handler.
///
/// Channels, accounts, projectors and the store are read from ``RuntimeState`` on every request, so a
/// `SIGHUP` reload or an FX change applies to the next request. Every catalog mutation wakes the
/// affected channels' workers through ``SyncControl/wake(channels:)``.
struct ControlRoutes: Sendable {
    /// The largest request body accepted (an import of about 200,000 CSV rows); larger gets 413.
    static let maximumBodySize = 64 * 1024 * 1024
    /// The largest body of a small JSON request (product, sync, retry, FX).
    static let maximumSmallBodySize = 1024 * 1024

    let runtime: RuntimeState
    let sync: any SyncControl
    /// Applies FX changes; `nil` refuses them.
    let reloader: ConfigurationReloader?
    let metrics: DaemonMetrics
    let configPath: String
    let startedAt: ContinuousClock.Instant
    /// How often an idle `/v1/events` stream sends an empty line, to notice a client that went away.
    var eventHeartbeat: Duration = .seconds(10)

    /// Registers every route on `router`.
    func register(on router: Router<ControlRequestContext>) {
        router.get("/v1/status") { _, _ in try await self.status() }
        router.get("/v1/channels") { _, _ in try await self.channels() }
        router.post("/v1/channels/:name/pause") { _, context in try await self.pause(context, paused: true) }
        router.post("/v1/channels/:name/resume") { _, context in try await self.pause(context, paused: false) }
        router.post("/v1/channels/:name/validate/:sku") { _, context in try await self.validate(context) }
        router.post("/v1/validate") { request, context in try await self.validate(request, context) }
        router.post("/v1/import") { request, context in try await self.importCatalog(request, context) }
        router.get("/v1/products/:sku") { _, context in try await self.product(context) }
        router.put("/v1/products/:sku") { request, context in try await self.putProduct(request, context) }
        router.delete("/v1/products/:sku") { _, context in try await self.deleteProduct(context) }
        router.get("/v1/products/:sku/listings") { _, context in try await self.listings(context) }
        router.get("/v1/products/:sku/validate") { request, context in try await self.preview(request, context) }
        router.get("/v1/queue") { _, _ in try self.queue() }
        router.get("/v1/dead-letters") { _, _ in try self.deadLetters() }
        router.post("/v1/retry") { request, context in try await self.retry(request, context) }
        router.post("/v1/sync") { request, context in try await self.sync(request, context) }
        router.get("/v1/fx") { _, _ in self.fx() }
        router.put("/v1/fx") { request, context in try await self.setFX(request, context) }
        router.post("/v1/fx") { request, context in try await self.setFX(request, context) }
        router.get("/v1/events") { _, _ in await self.events() }
        router.get("/v1/orders") { request, _ in try self.orders(request) }
        router.post("/v1/orders/restock") { request, context in try await self.restock(request, context) }
        router.get("/metrics") { _, _ in try self.prometheusText() }
    }

    private func pause(_ context: ControlRequestContext, paused: Bool) async throws -> ChannelPauseResponse {
        try context.requireMutationRights()
        let name = try channelName(context)
        let known = paused ? await sync.pause(channel: name) : await sync.resume(channel: name)
        guard known else { throw ControlError(.notFound, code: "not_found", "no channel named \(name)") }
        if !paused { await sync.wake(channels: [name]) }
        return ChannelPauseResponse(channel: name, paused: await sync.pausedChannels().contains(name))
    }

    /// The `:name` path parameter, which must be a configured channel (404 otherwise).
    func channelName(_ context: ControlRequestContext) throws -> String {
        let name = context.parameters.get("name") ?? ""
        guard runtime.snapshot.channel(named: name) != nil else {
            throw ControlError(.notFound, code: "not_found", "no channel named \(name)")
        }
        return name
    }

    private func queue() throws -> QueueResponse {
        let formatter = ISO8601DateFormatter()
        let store = runtime.snapshot.store
        return QueueResponse(
            channels: try store.queueSummary().map {
                QueueResponse.ChannelQueue(
                    channel: $0.channel,
                    pending: $0.pending,
                    leased: $0.leased,
                    backingOff: $0.backingOff,
                    nextAttemptAt: $0.nextAttemptAt.map(formatter.string(from:))
                )
            }
        )
    }

    private func deadLetters() throws -> DeadLetterResponse {
        let formatter = ISO8601DateFormatter()
        return DeadLetterResponse(
            deadLetters: try runtime.snapshot.store.deadLetters().map {
                DeadLetterResponse.DeadLetter(
                    sku: $0.sku.rawValue,
                    channel: $0.channel,
                    facet: $0.facet ?? .content,
                    reason: $0.reason,
                    hint: "fix the product (catalogctl product set, or import a corrected file) and it is sent "
                        + "again by itself; or, if the marketplace's problem is gone, run: catalogctl retry "
                        + "--channel \($0.channel) --sku \($0.sku.rawValue)",
                    failedAt: formatter.string(from: $0.createdAt)
                )
            }
        )
    }

    private func prometheusText() throws -> Response {
        let state = runtime.snapshot
        let text = try metrics.scrape(store: state.store, channels: state.channels.map(\.name))
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: text))
        )
    }

    /// The request body, or 413 naming the limit when it is larger.
    static func body(of request: Request, upTo limit: Int) async throws -> ByteBuffer {
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

    /// Decodes a small JSON request body as `T` (an empty body decodes as `empty`), or 400 naming what it is.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, what: String, empty: T? = nil)
        async throws -> T
    {
        let body = try await Self.body(of: request, upTo: maximumSmallBodySize)
        if body.readableBytes == 0, let empty { return empty }
        return try RequestDecoding.decode(T.self, from: Data(buffer: body), what: "the body is not \(what)")
    }

    static func sku(_ context: ControlRequestContext) throws -> SKU {
        try validSKU(context.parameters.get("sku") ?? "")
    }

    static func validSKU(_ raw: String) throws -> SKU {
        do {
            return try SKU(validating: raw)
        } catch {
            throw ControlError(.badRequest, code: "invalid_sku", "\(error)")
        }
    }
}
