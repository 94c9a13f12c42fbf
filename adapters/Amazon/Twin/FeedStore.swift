import Foundation
import Gzip

/// The Feeds API's state in the twin: feed documents (uploaded inputs and processing reports) and feeds.
actor FeedStore {
    /// A feed document: its declared content type and, once uploaded, its bytes; a processing report
    /// is stored gzip-compressed, as Amazon serves them (`compressionAlgorithm: GZIP`).
    struct Document: Sendable {
        var contentType: String
        var content: [UInt8]?
        var compressionAlgorithm: String?
    }

    /// One submitted feed, shaped like the Feeds API's `Feed`.
    struct Feed: Sendable {
        var feedID: String
        var feedType: String
        var marketplaceIDs: [String]
        var inputDocumentID: String
        var createdTime: Date
        var processingStatus = "IN_QUEUE"
        var processingStartTime: Date?
        var processingEndTime: Date?
        var resultDocumentID: String?

        /// The Feeds API `Feed` object.
        var json: TwinJSON {
            var members: [String: TwinJSON] = [
                "feedId": .string(feedID), "feedType": .string(feedType),
                "marketplaceIds": .strings(marketplaceIDs), "createdTime": .string(Self.timestamp(createdTime)),
                "processingStatus": .string(processingStatus),
            ]
            if let processingStartTime { members["processingStartTime"] = .string(Self.timestamp(processingStartTime)) }
            if let processingEndTime { members["processingEndTime"] = .string(Self.timestamp(processingEndTime)) }
            if let resultDocumentID { members["resultFeedDocumentId"] = .string(resultDocumentID) }
            return .object(members)
        }

        private static func timestamp(_ date: Date) -> String {
            date.formatted(Date.ISO8601FormatStyle())
        }
    }

    /// Why an upload to a document URL failed.
    enum UploadFailure: Error, Sendable {
        case noSuchDocument
        case contentTypeMismatch(expected: String)
    }

    private var documents: [String: Document] = [:]
    private var feeds: [String: Feed] = [:]
    private var random: SeededRandom
    private var nextFeedNumber: UInt64

    init(seed: UInt64) {
        var random = SeededRandom(seed: seed ^ 0xFEED)
        nextFeedNumber = 50_000_000_000 + random.next() % 1_000_000_000
        self.random = random
    }

    /// A new, empty document expecting uploads of `contentType`; returns its id.
    func createDocument(contentType: String, content: [UInt8]? = nil, compressionAlgorithm: String? = nil) -> String {
        let id = "amzn1.tortuga.4.eu." + random.hexID()
        documents[id] = Document(contentType: contentType, content: content, compressionAlgorithm: compressionAlgorithm)
        return id
    }

    /// Stores an upload to document `id`, which must be sent with the content type it was created with.
    func upload(_ id: String, contentType: String?, content: [UInt8]) throws(UploadFailure) {
        guard var document = documents[id] else { throw .noSuchDocument }
        guard contentType == document.contentType else { throw .contentTypeMismatch(expected: document.contentType) }
        document.content = content
        documents[id] = document
    }

    /// Document `id`, `nil` when unknown.
    func document(_ id: String) -> Document? {
        documents[id]
    }

    /// Records a new feed in `IN_QUEUE`; returns it.
    func createFeed(feedType: String, marketplaceIDs: [String], inputDocumentID: String) -> Feed {
        nextFeedNumber += 1
        let feed = Feed(
            feedID: String(nextFeedNumber),
            feedType: feedType,
            marketplaceIDs: marketplaceIDs,
            inputDocumentID: inputDocumentID,
            createdTime: Date()
        )
        feeds[feed.feedID] = feed
        return feed
    }

    /// How many feeds were submitted.
    var feedCount: Int { feeds.count }

    /// Feed `id`, `nil` when unknown.
    func feed(_ id: String) -> Feed? {
        feeds[id]
    }

    /// Moves feed `id` to `IN_PROGRESS`.
    func start(_ id: String) {
        feeds[id]?.processingStatus = "IN_PROGRESS"
        feeds[id]?.processingStartTime = Date()
    }

    /// Ends feed `id` as `DONE` or `FATAL` with `report` stored gzip-compressed as its result document;
    /// without a report the feed has no `resultFeedDocumentId` (a FATAL feed Amazon explains nowhere).
    func finish(_ id: String, status: String, report: TwinJSON?) {
        if let report {
            feeds[id]?.resultDocumentID = createDocument(
                contentType: "application/json",
                content: Gzip.compress(report.bytes),
                compressionAlgorithm: "GZIP"
            )
        }
        feeds[id]?.processingStatus = status
        feeds[id]?.processingEndTime = Date()
    }
}
