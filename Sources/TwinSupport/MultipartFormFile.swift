import Foundation

/// Reads one part of a `multipart/form-data` body (RFC 7578), for twins whose platform takes file
/// uploads (Walmart feeds, Shiprocket product imports).
public enum MultipartFormFile {
    /// The content of the part named `name`, or `nil` when `contentType` is not multipart/form-data
    /// with a boundary or no such part exists.
    public static func part(named name: String, contentType: String?, body: [UInt8]) -> [UInt8]? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundaryRange = contentType.range(of: "boundary=")
        else { return nil }
        var boundary = String(contentType[boundaryRange.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let data = Data(body)
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [Data] = []
        var searchStart = data.startIndex
        var partStart: Data.Index?
        while let found = data.range(of: delimiter, in: searchStart..<data.endIndex) {
            if let start = partStart { parts.append(data[start..<found.lowerBound]) }
            partStart = found.upperBound
            searchStart = found.upperBound
        }
        for part in parts {
            guard let split = part.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let headers = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self).lowercased()
            guard headers.contains("content-disposition: form-data"), headers.contains("name=\"\(name.lowercased())\"")
            else { continue }
            var content = part[split.upperBound...]
            if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
            return Array(content)
        }
        return nil
    }
}
