import Foundation

/// A feed file as Walmart's feeds model takes it: `POST /v3/feeds?feedType=…` with a
/// `multipart/form-data` body whose required part `file` is the feed (us-mp-price.json
/// `priceBulkUploads`, us-mp-inventory.json `updateBulkInventory`, us-mp-items.json `itemBulkUploads`:
/// `required: [file]`, `format: binary`).
struct WalmartFeedUpload: Sendable {
    /// The request body.
    let body: [UInt8]
    /// `multipart/form-data; boundary=…`.
    let contentType: String

    /// `file` (the feed's JSON) as the one part `file`, with a fresh boundary that cannot occur in it.
    init(file: [UInt8], boundary: String = "catalogsync-" + UUID().uuidString) {
        var body: [UInt8] = []
        body += Array("--\(boundary)\r\n".utf8)
        body += Array("Content-Disposition: form-data; name=\"file\"; filename=\"feed.json\"\r\n".utf8)
        body += Array("Content-Type: application/json\r\n\r\n".utf8)
        body += file
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        self.body = body
        contentType = "multipart/form-data; boundary=\(boundary)"
    }
}
