import Foundation
import TwinSupport

/// Reads a feed upload as Walmart's feeds model defines it: a `multipart/form-data` body with the
/// required part `file` (us-mp-items.json `itemBulkUploads`, us-mp-price.json `priceBulkUploads`,
/// us-mp-inventory.json `updateBulkInventory`). A raw JSON body is not a feed upload.
enum WalmartTwinUpload {
    /// The bytes of the part `file`, or why there are none (a message in Walmart's words).
    static func file(contentType: String?, body: [UInt8]) -> Result<[UInt8], UploadError> {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            return .failure(
                UploadError(
                    "Content-Type \(contentType ?? "(none)") is not supported: upload the feed file as multipart/form-data with a part named file"
                )
            )
        }
        guard let file = MultipartFormFile.part(named: "file", contentType: contentType, body: body) else {
            return .failure(UploadError("the multipart body has no part named file"))
        }
        return .success(file)
    }

    /// Why an upload is refused.
    struct UploadError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
