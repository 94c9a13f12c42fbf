import Catalog
import ControlAPI
import Foundation
import Hummingbird
import Store
import Sync

/// `GET /v1/products/{sku}/validate?channel=C`: the local check of one listing.
extension ControlRoutes {
    /// What the channel's adapter would send for the SKU now and what its local check finds (Amazon:
    /// the body against the product type definition). Nothing is sent and no listing quota is spent
    /// (Amazon may spend one `getDefinitionsProductType` call when its cached definition is due for a
    /// check), so it needs only read rights; `POST /v1/validate` asks the marketplace itself.
    func preview(_ request: Request, _ context: ControlRequestContext) async throws -> ListingPreviewResponse {
        let sku = try Self.sku(context)
        guard let channel = request.uri.queryParameters.get("channel"), !channel.isEmpty else {
            throw ControlError(.badRequest, code: "bad_request", "the query parameter channel is required")
        }
        guard runtime.snapshot.channel(named: channel) != nil else {
            throw ControlError(.notFound, code: "not_found", "no channel named \(channel)")
        }
        guard try runtime.snapshot.store.product(sku: sku) != nil else {
            throw ControlError(.notFound, code: "not_found", "no product with SKU \(sku)")
        }
        let preview: ListingPreview
        do {
            preview = try await sync.preview(sku: sku, channel: channel)
        } catch let error as AdapterError {
            if case .unsupported(let message) = error {
                throw ControlError(.notImplemented, code: "unsupported", "channel \(channel): \(message)")
            }
            throw ControlError(.badGateway, code: "platform", "channel \(channel): \(error)")
        }
        return ListingPreviewResponse(
            sku: sku.rawValue,
            channel: channel,
            checkedAgainst: preview.checkedAgainst,
            body: preview.body,
            issues: preview.issues.map {
                .init(code: $0.code, message: $0.message, severity: $0.severity, attributes: $0.attributeNames)
            }
        )
    }
}
