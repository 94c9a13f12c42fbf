import Catalog
import Foundation

/// Streams a catalog CSV (RFC 4180, UTF-8 with or without BOM) into an ``ImportSession``,
/// record by record, each with the physical line it starts on.
struct CSVCatalogReader {
    let baseCurrency: Currency

    /// Reads every record of `stream` into `session`. Header problems stop the import before any row.
    func read(_ stream: InputStream, into session: ImportSession) throws {
        var reader = CSVRecordReader(stream: stream)
        do {
            guard let header = try reader.next()?.fields else {
                session.reject(ImportError(line: 1, column: nil, sku: nil, message: "the file is empty"))
                return
            }
            guard let columns = parseHeader(header, session: session) else { return }
            while let record = try reader.next() {
                let fields = record.fields
                if fields.count == 1 && fields[0].isEmpty { continue }  // a blank line
                guard fields.count == columns.count else {
                    session.reject(
                        ImportError(
                            line: record.line,
                            column: nil,
                            sku: fields.first,
                            message: "the record has \(fields.count) fields, the header has \(columns.count)"
                        )
                    )
                    continue
                }
                var draft = ProductDraft(line: record.line, baseCurrency: baseCurrency)
                for index in fields.indices {
                    if record.invalidUTF8.contains(index) {
                        draft.fail(header[index], "\(header[index]) is not valid UTF-8 text")
                    } else {
                        draft.set(columns[index], name: header[index], text: fields[index])
                    }
                }
                try session.add(draft)
            }
        } catch let error as CSVRecordReader.UnterminatedQuote {
            session.reject(
                ImportError(
                    line: error.line,
                    column: nil,
                    sku: nil,
                    message: "a quoted field starting in this record is never closed"
                )
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
}
