import ControlAPI
import Foundation
import HTTPTypes
import Hummingbird

/// An error the control API answers with: a status and `{"error": {"code", "message"}}`.
struct ControlError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    /// The methods the path takes, sent as `Allow` with a 405.
    let allow: String?

    init(_ status: HTTPResponse.Status, code: String, _ message: String, allow: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.allow = allow
    }

    var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let allow { fields[.allow] = allow }
        return fields
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(ErrorResponse(code: code, message: message))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error a handler or Hummingbird raises (unknown route, body too large, bad JSON, a store
/// failure) into the control API's JSON error shape, so clients parse one format.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ControlError {
            throw error
        } catch let error as HTTPError {
            let allowed = RouteMethods.allowed(for: request.uri.path)
            if error.status == .notFound, !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
                throw ControlError(
                    .methodNotAllowed,
                    code: "method_not_allowed",
                    "\(request.uri.path) does not take \(request.method.rawValue); it takes "
                        + allowed.joined(separator: ", "),
                    allow: allowed.joined(separator: ", ")
                )
            }
            throw ControlError(
                error.status,
                code: Self.code(for: error.status),
                error.body ?? error.status.reasonPhrase
            )
        } catch let error as DecodingError {
            throw ControlError(
                .badRequest,
                code: "bad_request",
                "the body is not valid JSON of the expected shape: \(RequestDecoding.plain(error))"
            )
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw ControlError(.internalServerError, code: "internal", "\(error)")
        }
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .contentTooLarge: "too_large"
        case .methodNotAllowed: "method_not_allowed"
        default: status.code < 500 ? "bad_request" : "internal"
        }
    }
}
