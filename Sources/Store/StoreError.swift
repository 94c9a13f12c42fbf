import Foundation

/// Errors the store raises beyond SQLite's own.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A stored row could not be decoded; names the table, the key and what was wrong.
    case corruptRow(table: String, key: String, reason: String)
    /// A channel name the store was not configured with.
    case unknownChannel(String)

    public var description: String {
        switch self {
        case .corruptRow(let table, let key, let reason): "corrupt row in \(table) for \(key): \(reason)"
        case .unknownChannel(let name): "unknown channel \"\(name)\""
        }
    }
}

/// Conversions between `Date` and the store's integer timestamps (milliseconds since 1970).
enum StoreClock {
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}
