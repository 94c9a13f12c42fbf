import Foundation
import GRDB

/// Durable key-value data that adapters keep per account (the daemon's `AdapterDataStore`).
extension CatalogStore {
    /// The value stored for `account` under `key`, or `nil`.
    public func adapterValue(account: String, key: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT value FROM adapter_data WHERE account = ? AND key = ?",
                arguments: [account, key]
            )
        }
    }

    /// Stores `value` for `account` under `key`; `nil` removes it.
    public func setAdapterValue(_ value: String?, account: String, key: String, now: Date = Date()) throws {
        try pool.write { db in
            if let value {
                try db.execute(
                    sql: """
                        INSERT INTO adapter_data (account, key, value, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (account, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                        """,
                    arguments: [account, key, value, StoreClock.millis(now)]
                )
            } else {
                try db.execute(
                    sql: "DELETE FROM adapter_data WHERE account = ? AND key = ?",
                    arguments: [account, key]
                )
            }
        }
    }

    /// Every key of `account` starting with `prefix`, with its value. (SQLite's `substr` counts
    /// characters, so the prefix is measured in Unicode scalars, not bytes.)
    public func adapterValues(account: String, prefix: String) throws -> [String: String] {
        try pool.read { db in
            var values: [String: String] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT key, value FROM adapter_data WHERE account = ? AND substr(key, 1, ?) = ?",
                arguments: [account, prefix.unicodeScalars.count, prefix]
            )
            for row in rows { values[row[0]] = row[1] }
            return values
        }
    }

    /// Removes every key of `account` starting with `prefix`, in one statement.
    public func removeAdapterValues(account: String, prefix: String) throws {
        try pool.write { db in
            try db.execute(
                sql: "DELETE FROM adapter_data WHERE account = ? AND substr(key, 1, ?) = ?",
                arguments: [account, prefix.unicodeScalars.count, prefix]
            )
        }
    }
}
