import Foundation
import GRDB
import GRDBSQLite

/// A prepared SQLite statement driven through the C API, for the store's hot loops (import,
/// dirty-set rebuild): values bind straight from Swift values, columns read straight into them,
/// with no `StatementArguments`, existential arrays or `Row` per call.
///
/// The statement is prepared and owned by GRDB (the connection's statement cache,
/// `Database.cachedStatement(sql:)`), which finalizes it; use a ``RawStatement`` only on the
/// connection's own queue (inside the `read`/`write` closure that created it), and reset it before
/// GRDB could run the same SQL (``run()`` resets when done; readers reset when they stop).
struct RawStatement {
    /// The GRDB statement, kept so the handle stays valid.
    let statement: Statement
    let handle: OpaquePointer
    let connection: OpaquePointer

    /// The statement for `sql` on `db`, from the connection's statement cache (prepared once per
    /// connection), reset and ready to bind.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection!
        sqlite3_reset(handle)
    }

    /// Clears the previous run so the statement can be bound again (bindings stay).
    func reset() {
        sqlite3_reset(handle)
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    func bind(_ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(handle, index, Int64(value)) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds text; SQLite copies the bytes (`SQLITE_TRANSIENT`), so the string may go away after.
    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bind(index, utf8: $0) }
    }

    /// Binds text from raw UTF-8 bytes (copied).
    func bind(_ index: Int32, utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            sqlite3_bind_text(handle, index, "", 0, rawTransient)  // empty text, not NULL
            return
        }
        let text = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
        sqlite3_bind_text(handle, index, text, Int32(bytes.count), rawTransient)
    }

    /// Runs one step: `true` when a row is available, `false` when done.
    @discardableResult
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: String(cString: sqlite3_errmsg(connection)),
                sql: statement.sql
            )
        }
    }

    /// Runs the statement to completion (a write): reset, step until done.
    func run() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Rows the last completed write changed.
    var changes: Int { Int(sqlite3_changes(connection)) }

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func int(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    func optionalInt(_ column: Int32) -> Int? {
        isNull(column) ? nil : Int(sqlite3_column_int64(handle, column))
    }

    func optionalInt64(_ column: Int32) -> Int64? {
        // One C call for the common non-zero value; the type only decides between 0 and NULL.
        let value = sqlite3_column_int64(handle, column)
        return value == 0 && isNull(column) ? nil : value
    }

    /// The column's UTF-8 bytes, valid until the next step or reset; empty for NULL.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let pointer = sqlite3_column_text(handle, column) else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func string(_ column: Int32) -> String {
        String(decoding: bytes(column), as: UTF8.self)
    }

    func optionalString(_ column: Int32) -> String? {
        isNull(column) ? nil : String(decoding: bytes(column), as: UTF8.self)
    }

    /// Whether the text column equals `value` byte for byte (`IS` semantics: NULL equals `nil`).
    func textEquals(_ column: Int32, _ value: String?) -> Bool {
        guard var value else { return isNull(column) }
        if isNull(column) { return false }
        let stored = bytes(column)
        return value.withUTF8 { mine in
            mine.count == stored.count
                && (mine.count == 0 || memcmp(mine.baseAddress!, stored.baseAddress!, mine.count) == 0)
        }
    }

    /// Whether the integer column equals `value` (`IS` semantics).
    func intEquals(_ column: Int32, _ value: Int64?) -> Bool {
        guard let value else { return isNull(column) }
        return !isNull(column) && sqlite3_column_type(handle, column) == SQLITE_INTEGER
            && sqlite3_column_int64(handle, column) == value
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies bound bytes before the bind call returns.
private let rawTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
