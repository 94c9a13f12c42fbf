/// One problem found while importing: where it is and what is wrong.
public struct ImportError: Hashable, Sendable, CustomStringConvertible {
    /// The physical line where the record starts; the CSV header is line 1. For JSON, the line
    /// of the object's opening brace.
    public var line: Int
    /// The column (CSV) or key (JSON) at fault, `nil` when the whole record is.
    public var column: String?
    /// The record's SKU, when it had one.
    public var sku: String?
    public var message: String

    public init(line: Int, column: String?, sku: String?, message: String) {
        self.line = line
        self.column = column
        self.sku = sku
        self.message = message
    }

    public var description: String {
        var text = "line \(line)"
        if let column { text += ", column \(column)" }
        if let sku { text += ", SKU \(sku)" }
        return text + ": " + message
    }
}

/// The result of one import: counts per outcome and every rejected record.
public struct ImportReport: Hashable, Sendable {
    public var inserted = 0
    public var updated = 0
    /// Records identical to the stored product: nothing written, nothing marked dirty.
    public var unchanged = 0
    /// Rejected records and header problems, in file order.
    public var errors: [ImportError] = []

    public init() {}

    /// Records that reached the store.
    public var accepted: Int { inserted + updated + unchanged }

    mutating func count(_ outcome: SaveOutcome) {
        switch outcome {
        case .inserted: inserted += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        }
    }
}
