import CSQLite
import GRDB

/// One of GRDB's prepared statements bound, stepped and read through SQLite's C interface, for the loop
/// that reads every registry record (`TrialStore.registryRecords`; the import's inserts are bound the same
/// way by `InsertThread`). GRDB copies every column into a Swift value; here text is read in place. GRDB
/// still owns the connection, the transaction and the statement.
enum RawStatement {
    /// Binds text (copied by SQLite: `SQLITE_TRANSIENT`) or NULL at the 1-based `index`.
    static func bind(_ s: SQLiteStatement, _ index: Int32, _ text: String?) {
        guard var text else { sqlite3_bind_null(s, index); return }
        // An empty text is bound as such, not as NULL (a nil base address would bind NULL).
        if text.isEmpty { sqlite3_bind_text(s, index, "", 0, transient); return }
        text.withUTF8 { b in
            b.withMemoryRebound(to: CChar.self) { c in _ = sqlite3_bind_text(s, index, c.baseAddress, Int32(c.count), transient) }
        }
    }

    /// Steps a query: true when a row is ready, false when there are no more.
    static func next(_ statement: Statement) throws -> Bool {
        let s = statement.sqliteStatement
        let code = sqlite3_step(s)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message(s), sql: statement.sql)
    }

    /// The text of a column of the current row, in place (valid until the next step); empty for NULL.
    static func text(_ s: SQLiteStatement, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let p = sqlite3_column_text(s, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, column)))
    }

    static func isNull(_ s: SQLiteStatement, _ column: Int32) -> Bool { sqlite3_column_type(s, column) == SQLITE_NULL }

    static func int(_ s: SQLiteStatement, _ column: Int32) -> Int { Int(sqlite3_column_int64(s, column)) }

    static func reset(_ statement: Statement) { sqlite3_reset(statement.sqliteStatement) }

    private static func message(_ s: SQLiteStatement) -> String { String(cString: sqlite3_errmsg(sqlite3_db_handle(s))) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
