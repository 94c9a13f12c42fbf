import Foundation
import Hummingbird
import TwinSupport

/// `POST /_sandbox/orders`: places an order on a platform twin, or cancels one.
///
/// Place: `{"platform": "amazon", "marketplace": "DE", "sku": "PETHA-1", "quantity": 2}` →
/// 201 `{"order_id": "..."}`. Cancel: `{"platform": "amazon", "cancel": "<order id>"}` → 200
/// `{"order_id": "...", "cancelled": true}`. Ship: `{"platform": "amazon", "ship": "<order id>"}` → 200
/// `{"order_id": "...", "cancelled": false}` (the platform reports it shipped). Errors: `{"error": {"code", "message"}}` with 400, 404, 409.
/// Not behind the fault middleware: the seller's buyers are not the daemon.
struct SandboxOrders: Sendable {
    let twins: [any OrderPlacingTwin]

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("orders") { request, _ in try await self.handle(request) }
    }

    private struct Body: Decodable {
        var platform: String
        var marketplace: String?
        var sku: String?
        var quantity: Int?
        var cancel: String?
        var ship: String?
    }

    private struct Answer: Encodable {
        var orderID: String
        var cancelled: Bool

        enum CodingKeys: String, CodingKey {
            case orderID = "order_id"
            case cancelled
        }
    }

    private func handle(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 16)
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView)) else {
            return try Self.error(
                SandboxOrderError(
                    status: 400,
                    code: "invalid_body",
                    message:
                        "Expected {\"platform\", \"marketplace\", \"sku\", \"quantity\"} or {\"platform\", \"cancel\"}."
                )
            )
        }
        guard let twin = twins.first(where: { $0.platform == body.platform }) else {
            let known = twins.map(\.platform).joined(separator: ", ")
            return try Self.error(
                SandboxOrderError(
                    status: 404,
                    code: "unknown_platform",
                    message: "No orders on '\(body.platform)' (known: \(known))."
                )
            )
        }
        do {
            if let ship = body.ship {
                try await twin.shipOrder(ship)
                return try Self.json(.ok, Answer(orderID: ship, cancelled: false))
            }
            if let cancel = body.cancel {
                try await twin.cancelOrder(cancel)
                return try Self.json(.ok, Answer(orderID: cancel, cancelled: true))
            }
            guard let marketplace = body.marketplace, let sku = body.sku, let quantity = body.quantity, quantity > 0
            else {
                throw SandboxOrderError(
                    status: 400,
                    code: "invalid_body",
                    message: "marketplace, sku and a positive quantity are required."
                )
            }
            let id = try await twin.placeOrder(marketplace: marketplace, sku: sku, quantity: quantity)
            return try Self.json(.created, Answer(orderID: id, cancelled: false))
        } catch let error as SandboxOrderError {
            return try Self.error(error)
        }
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

    private static func error(_ error: SandboxOrderError) throws -> Response {
        try json(
            HTTPResponse.Status(code: error.status),
            ["error": ["code": error.code, "message": error.message]]
        )
    }
}
