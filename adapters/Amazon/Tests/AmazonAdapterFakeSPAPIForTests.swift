import Foundation
import Hummingbird
import Logging
import Synchronization

/// A loopback SP-API for the adapter's tests: LWA, Listings Items and the Feeds workflow, answering with
/// the official example bodies of the models' `x-amzn-api-sandbox` blocks.
///
/// The SKU picks the answer: `INVALID` → 200 INVALID (the model's VALIDATION_INVALID example), `WARN` →
/// ACCEPTED with a WARNING, `BADREQ` → 400 ErrorList (the model's example), `EXPIRED` → 403 while the
/// first issued token is used, `DENIED` → always 403, `THROTTLED` → 429 QuotaExceeded, `UNAVAILABLE` → 503
/// with Retry-After 7, `GONE` → 404 on DELETE; anything else → the ACCEPTED example.
final class FakeSPAPI: Sendable {
    /// One request as the fake received it.
    struct Recorded: Sendable {
        var method: String
        var path: String
        var query: String
        var headers: [String: String]
        var body: [UInt8]
        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    struct State: Sendable {
        var tokensIssued = 0
        var tokenForms: [String] = []
        var requests: [Recorded] = []
        var uploads: [String: [UInt8]] = [:]
        /// What getFeed reports: `DONE`, `IN_PROGRESS` or `FATAL`.
        var feedStatus = "DONE"
        var documentsCreated = 0
        /// The input document of each feed, by feed id.
        var feedInputs: [String: String] = [:]
        var port = 0
    }

    /// The rate limit the fake reports on 200 and 400 answers.
    static let reportedLimit = "2.0"

    let state = Mutex(State())
    let accepted: [UInt8]
    let invalid: [UInt8]
    let badRequest: [UInt8]

    init() throws {
        let model = try JSONSerialization.jsonObject(with: Data(contentsOf: AmazonFixtures.listingsModel))
        let paths = (model as? [String: Any])?["paths"] as? [String: Any]
        let item = paths?["/listings/2021-08-01/items/{sellerId}/{sku}"] as? [String: Any]
        let responses = (item?["put"] as? [String: Any])?["responses"] as? [String: Any]
        func example(_ status: String, _ index: Int) throws -> [UInt8] {
            let sandbox = (responses?[status] as? [String: Any])?["x-amzn-api-sandbox"] as? [String: Any]
            let entry = (sandbox?["static"] as? [[String: Any]])?[index]["response"]
            return Array(try JSONSerialization.data(withJSONObject: entry as Any))
        }
        accepted = try example("200", 0)
        invalid = try example("200", 2)
        badRequest = try example("400", 0)
    }

    var requests: [Recorded] { state.withLock { $0.requests } }
    var tokensIssued: Int { state.withLock { $0.tokensIssued } }

    /// Runs the fake on 127.0.0.1 (an ephemeral port) for the duration of `body`.
    static func withServer<T: Sendable>(
        feedStatus: String = "DONE",
        _ body: @Sendable (FakeSPAPI, Int) async throws -> T
    ) async throws -> T {
        let fake = try FakeSPAPI()
        fake.state.withLock { $0.feedStatus = feedStatus }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: fake.router(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "fake-sp-api") { _ in SwiftLogNoOpLogHandler() }
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var port = 0
            for await value in ports { port = value }
            fake.state.withLock { $0.port = port }
            do {
                let result = try await body(fake, port)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("auth/o2/token") { request, _ in try await self.token(request) }
        let item: RouterPath = "amazon/listings/2021-08-01/items/:sellerId/:sku"
        router.put(item) { request, context in try await self.listing(request, context) }
        router.patch(item) { request, context in try await self.listing(request, context) }
        router.delete(item) { request, context in try await self.listing(request, context) }
        router.post("amazon/feeds/2021-06-30/documents") { request, _ in
            _ = try await self.record(request)
            let id = self.state.withLock { state in
                state.documentsCreated += 1
                return "doc-\(state.documentsCreated)"
            }
            return Self.json(.created, ["feedDocumentId": id, "url": "http://127.0.0.1:\(self.port)/upload/\(id)"])
        }
        router.put("upload/:id") { request, context in
            let recorded = try await self.record(request)
            let id = context.parameters.get("id") ?? ""
            self.state.withLock { $0.uploads[id] = recorded.body }
            return Response(status: .ok)
        }
        router.post("amazon/feeds/2021-06-30/feeds") { request, _ in
            let recorded = try await self.record(request)
            let body = try JSONSerialization.jsonObject(with: Data(recorded.body)) as? [String: Any]
            let input = body?["inputFeedDocumentId"] as? String ?? ""
            let id = self.state.withLock { state in
                let id = "feed-\(state.feedInputs.count + 1)"
                state.feedInputs[id] = input
                return id
            }
            return Self.json(.accepted, ["feedId": id])
        }
        router.get("amazon/feeds/2021-06-30/feeds/:id") { request, context in
            _ = try await self.record(request)
            let id = context.parameters.get("id") ?? ""
            var feed: [String: Any] = [
                "feedId": id, "feedType": "JSON_LISTINGS_FEED", "createdTime": "2026-12-02T10:00:00Z",
                "processingStatus": self.state.withLock { $0.feedStatus },
            ]
            if feed["processingStatus"] as? String == "DONE" { feed["resultFeedDocumentId"] = "report-\(id)" }
            return Self.json(.ok, feed)
        }
        router.get("amazon/feeds/2021-06-30/documents/:id") { request, context in
            _ = try await self.record(request)
            let id = context.parameters.get("id") ?? ""
            return Self.json(.ok, ["feedDocumentId": id, "url": "http://127.0.0.1:\(self.port)/download/\(id)"])
        }
        router.get("download/:id") { _, context in
            let feedID = (context.parameters.get("id") ?? "").replacingOccurrences(of: "report-", with: "")
            let upload = self.state.withLock { state in state.feedInputs[feedID].flatMap { state.uploads[$0] } ?? [] }
            return try Self.json(.ok, Self.report(for: upload))
        }
        return router
    }

    private var port: Int { state.withLock { $0.port } }

    private func token(_ request: Request) async throws -> Response {
        let form = try await record(request).bodyText
        let fields = Dictionary(
            form.split(separator: "&").map { pair -> (String, String) in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            },
            uniquingKeysWith: { first, _ in first }
        )
        guard fields["grant_type"] == "refresh_token", fields["refresh_token"]?.isEmpty == false,
            fields["client_id"]?.isEmpty == false, fields["client_secret"]?.isEmpty == false
        else { return Self.json(.badRequest, ["error": "invalid_request"]) }
        let number = state.withLock { state in
            state.tokensIssued += 1
            state.tokenForms.append(form)
            return state.tokensIssued
        }
        return Self.json(.ok, ["access_token": "Atza|token-\(number)", "token_type": "bearer", "expires_in": 3600])
    }

    private func listing(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let recorded = try await record(request)
        let sku = context.parameters.get("sku") ?? ""
        let token = recorded.headers["x-amz-access-token"] ?? ""
        let issued = state.withLock { $0.tokensIssued }
        let known = (1...max(1, issued)).contains { "Atza|token-\($0)" == token }
        let limit: [(String, String)] = [("x-amzn-RateLimit-Limit", Self.reportedLimit)]
        if !known || sku.contains("DENIED") || (sku.contains("EXPIRED") && token == "Atza|token-1") {
            let details = known ? "The access token you provided has expired." : "Unknown token."
            return Self.json(
                .forbidden,
                [
                    "errors": [
                        [
                            "code": "Unauthorized", "message": "Access to requested resource is denied.",
                            "details": details,
                        ]
                    ]
                ]
            )
        }
        if sku.contains("THROTTLED") {
            return Self.json(
                .tooManyRequests,
                [
                    "errors": [
                        [
                            "code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource.",
                            "details": "",
                        ]
                    ]
                ]
            )
        }
        if sku.contains("UNAVAILABLE") {
            return Self.raw(
                .serviceUnavailable,
                Array(#"{"errors":[{"code":"ServiceUnavailable","message":"Try later"}]}"#.utf8),
                [("Retry-After", "7")]
            )
        }
        if sku.contains("GONE"), recorded.method == "DELETE" {
            return Self.raw(.notFound, Array(#"{"errors":[{"code":"NOT_FOUND","message":"Not found"}]}"#.utf8), [])
        }
        if sku.contains("DELETED"), recorded.method == "PATCH" {
            let body: [String: Any] = [
                "sku": sku, "status": "INVALID", "submissionId": "f1dc2914-75dd-11ea-bc55-0242ac130004",
                "issues": [["code": "4000003", "message": "The SKU '\(sku)' does not exist.", "severity": "ERROR"]],
            ]
            return Self.raw(.ok, Array(try JSONSerialization.data(withJSONObject: body)), limit)
        }
        if sku.contains("BADREQ") { return Self.raw(.badRequest, badRequest, limit) }
        if sku.contains("INVALID") { return Self.raw(.ok, invalid, limit) }
        if sku.contains("WARN") {
            let body: [String: Any] = [
                "sku": sku, "status": "ACCEPTED", "submissionId": "f1dc2914-75dd-11ea-bc55-0242ac130003",
                "issues": [
                    [
                        "code": "18027", "message": "Image is small.", "severity": "WARNING",
                        "attributeNames": ["main_product_image_locator"],
                    ]
                ],
            ]
            return Self.raw(.ok, Array(try JSONSerialization.data(withJSONObject: body)), limit)
        }
        return Self.raw(.ok, accepted, limit)
    }

    /// A processing report for an uploaded feed: ERROR for `INVALID` SKUs, WARNING for `WARN` SKUs.
    static func report(for upload: [UInt8]) throws -> [String: Any] {
        let document = try JSONSerialization.jsonObject(with: Data(upload)) as? [String: Any]
        let messages = document?["messages"] as? [[String: Any]] ?? []
        var issues: [[String: Any]] = []
        for message in messages {
            let sku = message["sku"] as? String ?? ""
            let id = message["messageId"] as? Int ?? 0
            if sku.contains("INVALID") {
                issues.append([
                    "messageId": id, "sku": sku, "code": "90220", "severity": "ERROR",
                    "message": "'[batteries_required]' is required but not supplied.",
                ])
            }
            if sku.contains("WARN") {
                issues.append([
                    "messageId": id, "sku": sku, "code": "18027", "severity": "WARNING", "message": "Image is small.",
                ])
            }
        }
        return [
            "header": ["sellerId": "A2EUEXAMPLE02", "version": "2.0", "feedId": "1"],
            "issues": issues,
            "summary": ["errors": issues.count, "warnings": 0, "messagesProcessed": messages.count],
        ]
    }

    private func record(_ request: Request) async throws -> Recorded {
        let buffer = try await request.body.collect(upTo: 64 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let recorded = Recorded(
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query ?? "",
            headers: headers,
            body: Array(buffer.readableBytesView)
        )
        state.withLock { $0.requests.append(recorded) }
        return recorded
    }

    private static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        raw(status, Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data()), [])
    }

    private static func raw(_ status: HTTPResponse.Status, _ body: [UInt8], _ extra: [(String, String)]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        for (name, value) in extra {
            if let fieldName = HTTPFields.Element.Name(name) { headers[fieldName] = value }
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
