import CurlHTTP
import Foundation

/// The sandbox's buyers: `POST /_sandbox/orders`.
extension SandboxProcess {
    /// What placing an order came to: its id, or the twin's refusal (not enough quantity left).
    enum Placement: Equatable {
        case placed(orderID: String)
        case refused(status: Int, body: String)
    }

    /// Places an order of `quantity` × `sku` on `marketplace` (the platform's code: `DE`, `EBAY_US`).
    func placeOrder(platform: String, marketplace: String, sku: String, quantity: Int) async throws -> Placement {
        let body =
            #"{"platform":"\#(platform)","marketplace":"\#(marketplace)","sku":"\#(sku)","quantity":\#(quantity)}"#
        let response = try await postOrder(body)
        guard response.status == 201 else { return .refused(status: response.status, body: response.bodyText) }
        struct Answer: Decodable { var order_id: String }
        return .placed(orderID: try JSONDecoder().decode(Answer.self, from: Data(response.body)).order_id)
    }

    /// Cancels `orderID` on `platform`; throws unless the twin cancelled it.
    func cancelOrder(platform: String, orderID: String) async throws {
        let response = try await postOrder(#"{"platform":"\#(platform)","cancel":"\#(orderID)"}"#)
        guard response.status == 200 else {
            throw EndToEndError("cancel \(orderID): HTTP \(response.status) \(response.bodyText)")
        }
    }

    private func postOrder(_ body: String) async throws -> HTTPResponse {
        try await http.execute(
            HTTPRequest(
                method: .post,
                url: "\(baseURL)/_sandbox/orders",
                headers: ["Content-Type": "application/json"],
                body: Array(body.utf8)
            )
        )
    }
}
