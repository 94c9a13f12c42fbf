import Catalog
import Foundation

/// Imports a catalog file (DESIGN §4.2) into a ``CatalogStore``: CSV or JSON, streamed, upserted
/// in batched transactions, every bad record reported with its line, column and reason while
/// the good records import.
///
/// ```swift
/// let report = try CatalogImporter(store: store).importFile(at: url)
/// for error in report.errors { print(error) }   // "line 7, column price, SKU PETHA-2: …"
/// ```
public struct CatalogImporter: Sendable {
    /// How records are read.
    public struct Configuration: Sendable {
        /// The currency of the `price` column (the daemon's base currency).
        public var baseCurrency: Currency

        public init(baseCurrency: Currency = .inr) {
            self.baseCurrency = baseCurrency
        }
    }

    /// The formats the importer reads.
    public enum Format: String, Sendable {
        case csv
        case json
    }

    public let store: CatalogStore
    public let configuration: Configuration

    public init(store: CatalogStore, configuration: Configuration = .init()) {
        self.store = store
        self.configuration = configuration
    }

    /// Imports the file at `url`; the format follows its extension (`.json`, else CSV).
    public func importFile(at url: URL, now: Date = Date()) throws -> ImportReport {
        guard let stream = InputStream(url: url) else { throw CocoaError(.fileReadNoSuchFile, userInfo: [:]) }
        let format: Format = url.pathExtension.lowercased() == "json" ? .json : .csv
        return try importStream(stream, format: format, now: now)
    }

    /// Imports a catalog held in memory (a control-API request body).
    public func importData(_ data: Data, format: Format, now: Date = Date()) throws -> ImportReport {
        try importStream(InputStream(data: data), format: format, now: now)
    }

    /// Imports from `stream`, which is opened and read to its end.
    public func importStream(_ stream: InputStream, format: Format, now: Date = Date()) throws -> ImportReport {
        let session = ImportSession(store: store, now: now)
        defer { session.drain() }
        switch format {
        case .csv: try CSVCatalogReader(baseCurrency: configuration.baseCurrency).read(stream, into: session)
        case .json: try JSONCatalogReader(baseCurrency: configuration.baseCurrency).read(stream, into: session)
        }
        return try session.finish()
    }
}
