import Catalog
import ControlAPI
import Foundation
import Hummingbird
import Store
import Sync

/// Routes that queue work or ask the marketplaces: sync, retry, validate.
extension ControlRoutes {
    /// `POST /v1/retry {channel?, skus?}`: puts dead letters back in the queue.
    func retry(_ request: Request, _ context: ControlRequestContext) async throws -> QueuedResponse {
        try context.requireMutationRights()
        let retry = try await Self.decode(RetryRequest.self, from: request, what: "a retry request", empty: .init())
        let store = runtime.snapshot.store
        if let channel = retry.channel, runtime.snapshot.channel(named: channel) == nil {
            throw ControlError(.notFound, code: "not_found", "no channel named \(channel)")
        }
        var queued = 0
        if let skus = retry.skus {
            for sku in skus {
                queued += try store.retryDeadLetters(channel: retry.channel, sku: try Self.validSKU(sku))
            }
        } else {
            queued = try store.retryDeadLetters(channel: retry.channel)
        }
        if queued > 0 { await sync.wake(channels: retry.channel.map { [$0] }) }
        return QueuedResponse(queued: queued)
    }

    /// `POST /v1/sync {channel?, skus?, full?}`.
    ///
    /// With `skus`: marks exactly those (channel, SKU) pairs dirty (on `channel`, or on every channel
    /// each product is listed on), whether or not their hashes differ: the marketplace is told again.
    /// Without `skus`: rebuilds the dirty set of the channel (or all) from desired vs acked hashes.
    func sync(_ request: Request, _ context: ControlRequestContext) async throws -> QueuedResponse {
        try context.requireMutationRights()
        let sync = try await Self.decode(SyncRequest.self, from: request, what: "a sync request", empty: .init())
        let state = runtime.snapshot
        if let channel = sync.channel, state.channel(named: channel) == nil {
            throw ControlError(.notFound, code: "not_found", "no channel named \(channel)")
        }
        guard let skus = sync.skus else {
            let selected = state.projectors.filter { sync.channel == nil || $0.channel.name == sync.channel }
            let report = try await state.rebuildDirtySet(projectors: selected)
            await self.sync.wake(channels: sync.channel.map { [$0] })
            return QueuedResponse(queued: report.newlyMarked)
        }
        if sync.full == true {
            throw ControlError(
                .badRequest,
                code: "bad_request",
                "full and skus exclude each other: full rebuilds every SKU's marks, skus marks the named ones"
            )
        }
        var pairs: [(channel: String, sku: SKU)] = []
        for raw in skus {
            let sku = try Self.validSKU(raw)
            let product = try state.store.product(sku: sku)?.product
            guard let product else {
                throw ControlError(.notFound, code: "not_found", "no product with SKU \(sku)")
            }
            let listed = state.channels.map(\.name).filter { product.channels?.contains($0) ?? true }
            if let channel = sync.channel {
                guard listed.contains(channel) else {
                    throw ControlError(
                        .badRequest,
                        code: "not_listed",
                        "SKU \(sku) is not listed on channel \(channel) (its channels: \(listed.joined(separator: ", ")))"
                    )
                }
                pairs.append((channel, sku))
            } else {
                pairs += listed.map { ($0, sku) }
            }
        }
        let queued = try state.store.markDirty(pairs)
        await self.sync.wake(channels: Array(Set(pairs.map(\.channel))).sorted())
        return QueuedResponse(queued: queued)
    }

    /// `POST /v1/channels/{name}/validate/{sku}`.
    func validate(_ context: ControlRequestContext) async throws -> ValidationResponse {
        try context.requireMutationRights()
        return try await validate(sku: try Self.sku(context), channel: try channelName(context))
    }

    /// `POST /v1/validate {sku, channel}`.
    func validate(_ request: Request, _ context: ControlRequestContext) async throws -> ValidationResponse {
        try context.requireMutationRights()
        let body = try await Self.decode(ValidateRequest.self, from: request, what: "a validate request")
        guard runtime.snapshot.channel(named: body.channel) != nil else {
            throw ControlError(.notFound, code: "not_found", "no channel named \(body.channel)")
        }
        return try await validate(sku: try Self.validSKU(body.sku), channel: body.channel)
    }

    /// Asks the channel's marketplace to check the listing. It changes nothing but spends the seller's
    /// API quota, so it needs the same rights as a mutation.
    private func validate(sku: SKU, channel: String) async throws -> ValidationResponse {
        guard try runtime.snapshot.store.product(sku: sku) != nil else {
            throw ControlError(.notFound, code: "not_found", "no product with SKU \(sku)")
        }
        let issues: [MarketplaceIssue]
        do {
            issues = try await sync.validate(sku: sku, channel: channel)
        } catch let error as AdapterError {
            if case .unsupported(let message) = error {
                throw ControlError(.notImplemented, code: "unsupported", "channel \(channel): \(message)")
            }
            throw ControlError(.badGateway, code: "platform", "channel \(channel): \(error)")
        }
        return ValidationResponse(
            sku: sku.rawValue,
            channel: channel,
            issues: issues.map {
                .init(code: $0.code, message: $0.message, severity: $0.severity, attributes: $0.attributeNames)
            }
        )
    }
}
