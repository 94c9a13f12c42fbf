import CSV
import Catalog
import Foundation

/// Streams a catalog CSV (RFC 4180, UTF-8 with or without BOM) into an ``ImportSession``,
/// record by record, tracking the physical line each record starts on.
struct CSVCatalogReader {
    let baseCurrency: Currency

    /// Reads every record of `stream` into `session`. Header problems stop the import before any row.
    func read(_ stream: InputStream, into session: ImportSession) throws {
        // CSV.swift detects and skips the BOM when reading a stream.
        let reader = try CSVReader(stream: stream, hasHeaderRow: false)
        guard let header = reader.next() else {
            session.reject(ImportError(line: 1, column: nil, sku: nil, message: "the file is empty"))
            return
        }
        guard let columns = parseHeader(header, session: session) else { return }
        var line = 1 + Self.lineBreaks(in: header) + 1
        while let fields = reader.next() {
            let start = line
            line += 1 + Self.lineBreaks(in: fields)
            if fields.count == 1 && fields[0].isEmpty { continue }  // a blank line
            guard fields.count == columns.count else {
                session.reject(
                    ImportError(
                        line: start,
                        column: nil,
                        sku: fields.first,
                        message: "the record has \(fields.count) fields, the header has \(columns.count)"
                    )
                )
                continue
            }
            var draft = ProductDraft(line: start, baseCurrency: baseCurrency)
            for index in fields.indices {
                draft.set(columns[index], name: header[index], text: fields[index])
            }
            try session.add(draft)
        }
        // CSV.swift reports its end-of-stream probe as `cannotReadFile`; read failures arrive as stream errors.
        if let error = reader.error, !Self.isEndOfStream(error) {
            session.reject(
                ImportError(line: line, column: nil, sku: nil, message: "the file could not be read: \(error)")
            )
        }
    }

    private func parseHeader(_ header: [String], session: ImportSession) -> [ImportColumn]? {
        var columns: [ImportColumn] = []
        var problems: [ImportError] = []
        for name in header {
            switch ImportColumn.parse(name) {
            case .success(let column):
                if columns.contains(column) {
                    problems.append(
                        ImportError(line: 1, column: name, sku: nil, message: "column \"\(name)\" appears twice")
                    )
                }
                columns.append(column)
            case .failure(let problem):
                problems.append(ImportError(line: 1, column: name, sku: nil, message: problem.message))
            }
        }
        for required in ImportColumn.required where !columns.contains(required) {
            let name = "\(required)"
            problems.append(
                ImportError(line: 1, column: name, sku: nil, message: "required column \"\(name)\" is missing")
            )
        }
        guard problems.isEmpty else {
            problems.forEach(session.reject)
            return nil
        }
        return columns
    }

    private static func isEndOfStream(_ error: any Error) -> Bool {
        if case CSVError.cannotReadFile = error { return true }
        return false
    }

    /// Line breaks inside quoted fields: `\r\n`, `\n` and a lone `\r` each count once.
    static func lineBreaks(in fields: [String]) -> Int {
        var count = 0
        for field in fields {
            var previousWasCR = false
            for byte in field.utf8 {
                if byte == UInt8(ascii: "\n") {
                    if !previousWasCR { count += 1 }
                    previousWasCR = false
                } else if byte == UInt8(ascii: "\r") {
                    count += 1
                    previousWasCR = true
                } else {
                    previousWasCR = false
                }
            }
        }
        return count
    }
}
