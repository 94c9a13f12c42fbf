import AmazonModel
import Hummingbird
import TwinSupport

/// The Feeds 2021-06-30 routes and the `/amazon/_documents/{id}` stand-in for S3's presigned URLs.
///
/// createFeedDocument and createFeed bodies are checked against the official Feeds model
/// (`amazon-sp-api/feeds_2021-06-30.json`, `CreateFeedDocumentSpecification` and
/// `CreateFeedSpecification`) when the specs folder is there, and refused with 400 `InvalidInput`
/// naming the violation. Processing reports are served gzip-compressed (`compressionAlgorithm: GZIP`).
extension AmazonTwin {
    /// The official Feeds model, loaded once per process; `nil` without the specs folder.
    static let feedsContract = PublishedContract.load("amazon-sp-api/feeds_2021-06-30.json")

    /// The violations of `body` against the Feeds model's definition `name` (none without the model).
    static func feedsViolations(of body: TwinJSON, definition name: String) -> [SchemaViolation] {
        guard let contract = feedsContract else { return [] }
        return contract.validator.violations(of: body, against: .object(["$ref": .string("#/definitions/\(name)")]))
    }

    func addFeedsRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("feeds/2021-06-30/documents") { request, _ in
            try await self.guarded(request, .createFeedDocument) { _ in try await self.createDocument(request) }
        }
        group.post("feeds/2021-06-30/feeds") { request, _ in
            try await self.guarded(request, .createFeed) { account in try await self.createFeed(request, account) }
        }
        group.get("feeds/2021-06-30/feeds/:feedId") { request, context in
            try await self.guarded(request, .getFeed) { _ in
                let id = context.parameters.get("feedId") ?? ""
                guard let feed = await self.feeds.feed(id) else {
                    return AmazonResponses.error(
                        .notFound,
                        code: "NotFound",
                        message: "The feed '\(id)' does not exist.",
                        rateLimit: "2.0"
                    )
                }
                return AmazonResponses.json(.ok, feed.json, rateLimit: "2.0")
            }
        }
        group.get("feeds/2021-06-30/documents/:documentId") { request, context in
            try await self.guarded(request, .getFeedDocument) { _ in
                let id = context.parameters.get("documentId") ?? ""
                let rate = quotas.header(.getFeedDocument)
                guard let document = await self.feeds.document(id) else {
                    return AmazonResponses.error(
                        .notFound,
                        code: "NotFound",
                        message: "The feed document '\(id)' does not exist.",
                        rateLimit: rate
                    )
                }
                var body: [String: TwinJSON] = ["feedDocumentId": .string(id), "url": .string(self.documentURL(id))]
                if let algorithm = document.compressionAlgorithm { body["compressionAlgorithm"] = .string(algorithm) }
                return AmazonResponses.json(.ok, .object(body), rateLimit: rate)
            }
        }
        group.put("_documents/:documentId") { request, context in
            try await self.upload(request, id: context.parameters.get("documentId") ?? "")
        }
        group.get("_documents/:documentId") { _, context in
            guard let document = await self.feeds.document(context.parameters.get("documentId") ?? ""),
                let content = document.content
            else { return Self.s3Error(.notFound, "NoSuchKey", "The specified key does not exist.") }
            return Response(
                status: .ok,
                headers: [.contentType: document.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: content))
            )
        }
    }

    /// The presigned-URL stand-in of document `id`.
    func documentURL(_ id: String) -> String {
        environment.address.baseURL + "/amazon/_documents/" + id
    }

    private func createDocument(_ request: Request) async throws -> Response {
        let rate = quotas.header(.createFeedDocument)
        guard let body = try await AmazonResponses.jsonBody(request) else {
            return AmazonResponses.invalidInput("The request body is not valid JSON.", rateLimit: rate)
        }
        if let violation = Self.feedsViolations(of: body, definition: "CreateFeedDocumentSpecification").first {
            return AmazonResponses.invalidInput("Invalid request body: \(violation).", rateLimit: rate)
        }
        guard let contentType = body["contentType"]?.string, !contentType.isEmpty else {
            return AmazonResponses.invalidInput("Missing required field 'contentType'.", rateLimit: rate)
        }
        let id = await feeds.createDocument(contentType: contentType)
        return AmazonResponses.json(.created, ["feedDocumentId": .string(id), "url": .string(documentURL(id))])
    }

    private func createFeed(_ request: Request, _ account: String) async throws -> Response {
        let rate = quotas.header(.createFeed)
        guard let body = try await AmazonResponses.jsonBody(request), body.object != nil else {
            return AmazonResponses.invalidInput("The request body is not a valid JSON object.", rateLimit: rate)
        }
        if let violation = Self.feedsViolations(of: body, definition: "CreateFeedSpecification").first {
            return AmazonResponses.invalidInput("Invalid request body: \(violation).", rateLimit: rate)
        }
        guard let feedType = body["feedType"]?.string else {
            return AmazonResponses.invalidInput("Missing required field 'feedType'.", rateLimit: rate)
        }
        guard feedType == "JSON_LISTINGS_FEED" else {
            return AmazonResponses.invalidInput(
                "Feed type '\(feedType)' is not supported by the sandbox (only JSON_LISTINGS_FEED).",
                rateLimit: rate
            )
        }
        guard let ids = body["marketplaceIds"]?.array?.compactMap(\.string), (1...25).contains(ids.count) else {
            return AmazonResponses.invalidInput("'marketplaceIds' must list 1 to 25 marketplace ids.", rateLimit: rate)
        }
        if let unknown = ids.first(where: { AmazonMarketplace.withID($0) == nil }) {
            return AmazonResponses.invalidInput("Invalid marketplaceIds: '\(unknown)'.", rateLimit: rate)
        }
        guard let documentID = body["inputFeedDocumentId"]?.string, await feeds.document(documentID) != nil else {
            return AmazonResponses.invalidInput(
                "'inputFeedDocumentId' is missing or names no feed document.",
                rateLimit: rate
            )
        }
        if let response = throttled(.jsonListingsFeedSubmission, key: account) { return response }
        let feed = await feeds.createFeed(feedType: feedType, marketplaceIDs: ids, inputDocumentID: documentID)
        let processor = FeedProcessor(feeds: feeds, listings: store, delay: environment.processingDelay)
        Task { await processor.run(feedID: feed.feedID) }
        return AmazonResponses.json(.accepted, ["feedId": .string(feed.feedID)], rateLimit: rate)
    }

    private func upload(_ request: Request, id: String) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 64 << 20)
        do {
            try await feeds.upload(
                id,
                contentType: request.headers[.contentType],
                content: Array(buffer.readableBytesView)
            )
            return Response(status: .ok)
        } catch .noSuchDocument {
            return Self.s3Error(.notFound, "NoSuchKey", "The specified key does not exist.")
        } catch .contentTypeMismatch(let expected) {
            return Self.s3Error(
                .forbidden,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. "
                    + "Upload with Content-Type '\(expected)'."
            )
        }
    }

    /// An S3-style XML error.
    private static func s3Error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        let xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message></Error>"
        return Response(
            status: status,
            headers: [.contentType: "application/xml"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: xml))
        )
    }
}
