/// `POST /v1/import`: what an import did, row by row for the bad ones.
///
/// Wire keys: `inserted`, `updated`, `unchanged`, `errors` (each `line`, `column`, `sku`, `message`).
public struct ImportResponse: Codable, Hashable, Sendable {
    /// A row that was not imported. Bad rows never block good ones.
    public struct RowError: Codable, Hashable, Sendable {
        /// The 1-based line of the CSV file (or the array index + 1 for JSON).
        public var line: Int
        /// The column (CSV header or JSON key) at fault, when one is.
        public var column: String?
        /// The row's SKU, when it had a readable one.
        public var sku: String?
        public var message: String

        public init(line: Int, column: String? = nil, sku: String? = nil, message: String) {
            self.line = line
            self.column = column
            self.sku = sku
            self.message = message
        }
    }

    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var errors: [RowError]

    public init(inserted: Int, updated: Int, unchanged: Int, errors: [RowError] = []) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.errors = errors
    }
}
