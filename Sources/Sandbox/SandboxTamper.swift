import Foundation
import Hummingbird
import TwinSupport

/// `POST /_sandbox/tamper`: edits a twin's stored listing as a seller would on the platform's own
/// site (``ListingTamper``), so tests can prove the daemon's verifier finds and repairs the drift.
/// Answers the listing as the twin now holds it (`/_sandbox/listings` shape); 404 for an unknown
/// platform, a platform that cannot be tampered with or an unknown listing, 400 for a bad body.
struct SandboxTamper: Sendable {
    let twins: [any PlatformTwin]

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("tamper") { request, _ in try await self.tamper(request) }
    }

    private func tamper(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 16)
        let body: ListingTamper
        do {
            body = try JSONDecoder().decode(ListingTamper.self, from: Data(buffer.readableBytesView))
        } catch {
            return try Self.json(
                .badRequest,
                [
                    "error": [
                        "code": "invalid_body",
                        "message": "Expected {platform, marketplace, sku, price?, quantity?, status?}.",
                    ]
                ]
            )
        }
        guard body.price != nil || body.quantity != nil || body.status != nil else {
            return try Self.json(
                .badRequest,
                ["error": ["code": "invalid_tamper", "message": "Nothing to change: give price, quantity or status."]]
            )
        }
        guard let twin = twins.first(where: { $0.platform == body.platform }) as? any TamperableTwin else {
            let known = twins.compactMap { ($0 as? any TamperableTwin)?.platform }.joined(separator: ", ")
            return try Self.json(
                .notFound,
                [
                    "error": [
                        "code": "unknown_platform",
                        "message": "No tamperable platform '\(body.platform)' (known: \(known)).",
                    ]
                ]
            )
        }
        let listing: TwinListing
        do {
            listing = try await twin.tamper(body)
        } catch {
            let status: HTTPResponse.Status = error.code == "not_found" ? .notFound : .badRequest
            return try Self.json(status, ["error": ["code": error.code, "message": error.message]])
        }
        return try Self.json(.ok, listing)
    }

    private static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}
