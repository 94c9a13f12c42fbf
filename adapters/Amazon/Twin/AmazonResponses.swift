import Foundation
import Hummingbird

/// SP-API's response conventions: JSON bodies, `ErrorList` errors, `x-amzn-RequestId` on every answer
/// and `x-amzn-RateLimit-Limit` on 200, 400 and 404 answers.
enum AmazonResponses {
    static let requestIDHeader = HTTPFields.Element.Name("x-amzn-RequestId")!
    static let rateLimitHeader = HTTPFields.Element.Name("x-amzn-RateLimit-Limit")!
    static let accessTokenHeader = HTTPFields.Element.Name("x-amz-access-token")!

    /// A JSON answer; `rateLimit` is sent on 200/201/202, 400 and 404 answers.
    static func json(_ status: HTTPResponse.Status, _ body: TwinJSON, rateLimit: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[requestIDHeader] = UUID().uuidString.lowercased()
        if let rateLimit, [200, 201, 202, 400, 404].contains(status.code) { headers[rateLimitHeader] = rateLimit }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.bytes)))
    }

    /// An `ErrorList` answer with one error.
    static func error(
        _ status: HTTPResponse.Status,
        code: String,
        message: String,
        details: String = "",
        rateLimit: String? = nil
    ) -> Response {
        let body: TwinJSON = [
            "errors": [["code": .string(code), "message": .string(message), "details": .string(details)]]
        ]
        return json(status, body, rateLimit: rateLimit)
    }

    /// 400 `InvalidInput`, Amazon's answer to a malformed request.
    static func invalidInput(_ message: String, rateLimit: String?) -> Response {
        error(.badRequest, code: "InvalidInput", message: message, rateLimit: rateLimit)
    }

    /// 403 for a missing, unknown or expired access token.
    static func unauthorized(expired: Bool) -> Response {
        error(
            .forbidden,
            code: "Unauthorized",
            message: "Access to requested resource is denied.",
            details: expired ? "The access token you provided has expired." : ""
        )
    }

    /// 429 `QuotaExceeded` with the operation's rate and a `Retry-After` in whole seconds (rounded up).
    static func quotaExceeded(retryAfter: Duration, rateLimit: String) -> Response {
        var response = error(
            .tooManyRequests,
            code: "QuotaExceeded",
            message: "You exceeded your quota for the requested resource."
        )
        let (seconds, attoseconds) = retryAfter.components
        response.headers[rateLimitHeader] = rateLimit
        response.headers[.retryAfter] = String(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
        return response
    }

    /// Reads a request body (at most 20 MiB) as JSON; `nil` when it is not JSON.
    static func jsonBody(_ request: Request) async throws -> TwinJSON? {
        let buffer = try await request.body.collect(upTo: 20 << 20)
        return try? TwinJSON.parse(Array(buffer.readableBytesView))
    }
}
