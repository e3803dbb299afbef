import CSQLite
import Foundation
import GRDB

/// Runs an import's inserts on a thread of its own, so the caller's thread (which links, checks and
/// encodes the rows) and SQLite's work on them (binding, the B-tree, the journal) proceed side by side.
///
/// The caller writes each row's values into a batch (`row(_:)`, `int`, `text`, `null`): one byte buffer
/// for all text and one array of cells, reused from batch to batch, so no value is allocated on one
/// thread and released on the other. A full batch goes to the thread, which binds every cell from the
/// buffer in place (`SQLITE_STATIC`), steps and resets. At most `batches` batches are in flight, so
/// memory stays bounded. The thread is the only user of the connection between `init` and `finish` /
/// `stop`: the caller must not touch the database in between (it only fills batches).
///
/// A failing insert (a trigger's refusal, a full disk) stops the thread's inserts; the caller gets the
/// error at its next full batch or at `finish`, and the transaction is rolled back by the caller.
final class InsertThread: @unchecked Sendable {
    /// One row's value for a parameter of its statement.
    struct Cell {
        /// 0 NULL, 1 integer (`value`), 2 text (`value` = offset in `Batch.text`, `length` bytes).
        var kind: UInt8
        var length: Int32
        var value: Int
    }

    /// Rows for the statements, in the order they are to be inserted.
    ///
    /// Its arrays are used by one thread at a time, handed over under the lock: their accesses are not
    /// checked at run time (`@exclusivity(unchecked)`; the checks were a tenth of the caller's work).
    final class Batch {
        @exclusivity(unchecked) var text: [UInt8] = []
        @exclusivity(unchecked) var cells: [Cell] = []
        /// Per row, the index of its statement.
        @exclusivity(unchecked) var statements: [UInt8] = []
        var failure: DatabaseError?

        func clear() {
            text.removeAll(keepingCapacity: true)
            cells.removeAll(keepingCapacity: true)
            statements.removeAll(keepingCapacity: true)
        }
    }

    static let rowsPerBatch = 4096

    /// GRDB's statements, kept alive; the thread uses only their SQLite handles and SQL, taken here on the
    /// caller's thread (GRDB checks that its objects are used on their database's queue).
    private let statements: [Statement]
    private let handles: [SQLiteStatement]
    private let sql: [String]
    private let parameters: [Int]
    private let condition = NSCondition()
    private var full: [Batch] = []
    private var empty: [Batch]
    private var failure: DatabaseError?
    private var closing = false
    private var dropping = false
    private var running = true
    /// The batch the caller is filling.
    @exclusivity(unchecked) private var current: Batch

    /// Starts the thread for these prepared inserts (each bound by position, every parameter every row).
    init(statements: [Statement], batches: Int = 4) {
        self.statements = statements
        handles = statements.map(\.sqliteStatement)
        sql = statements.map(\.sql)
        parameters = handles.map { Int(sqlite3_bind_parameter_count($0)) }
        empty = (0..<batches).map { _ in Batch() }
        current = empty.removeLast()
        let thread = Thread { [self] in run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    // MARK: The caller's side

    /// Begins a row of statement `statement`; its parameters follow, one call each, in order.
    func row(_ statement: Int) throws {
        if current.statements.count == Self.rowsPerBatch { try send() }
        current.statements.append(UInt8(statement))
    }

    func int(_ value: Int) { current.cells.append(Cell(kind: 1, length: 0, value: value)) }

    func null() { current.cells.append(Cell(kind: 0, length: 0, value: 0)) }

    func text(_ value: String?) {
        guard var value else { return null() }
        let offset = current.text.count
        value.withUTF8 { current.text.append(contentsOf: $0) }
        current.cells.append(Cell(kind: 2, length: Int32(current.text.count - offset), value: offset))
    }

    /// Inserts every row given, waits until they are in, and stops the thread; throws the first failure.
    func finish() throws {
        if !current.statements.isEmpty { try send() }
        stop(dropping: false)
        if let failure { throw failure }
    }

    /// Stops the thread, by default without inserting the batches still waiting (the import is being
    /// abandoned: its transaction will be rolled back). Returns when the thread no longer uses the
    /// connection. Idempotent; the owner calls it on every way out.
    func stop(dropping: Bool = true) {
        condition.lock()
        closing = true
        if dropping { self.dropping = true }
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func send() throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        full.append(current)
        condition.broadcast()
        while empty.isEmpty { condition.wait() }
        current = empty.removeLast()
    }

    // MARK: The thread's side

    private func run() {
        while true {
            condition.lock()
            while full.isEmpty && !closing { condition.wait() }
            guard !full.isEmpty else {
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = full.removeFirst()
            let skip = failure != nil || dropping
            condition.unlock()
            if !skip { insert(batch) }
            condition.lock()
            if failure == nil, let f = batch.failure { failure = f }
            batch.clear()
            batch.failure = nil
            empty.append(batch)
            condition.broadcast()
            condition.unlock()
        }
    }

    private func insert(_ batch: Batch) {
        batch.text.withUnsafeBufferPointer { text in
            let base = UnsafeRawPointer(text.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
            var c = 0
            for k in batch.statements {
                let s = handles[Int(k)]
                for p in Int32(1)..<Int32(parameters[Int(k)] + 1) {
                    let cell = batch.cells[c]
                    c += 1
                    switch cell.kind {
                    case 1: sqlite3_bind_int64(s, p, Int64(cell.value))
                    case 2: sqlite3_bind_text(s, p, base + cell.value, cell.length, nil)
                    default: sqlite3_bind_null(s, p)
                    }
                }
                let code = sqlite3_step(s)
                if code != SQLITE_DONE {
                    batch.failure = DatabaseError(resultCode: ResultCode(rawValue: code),
                                                  message: String(cString: sqlite3_errmsg(sqlite3_db_handle(s))), sql: sql[Int(k)])
                }
                sqlite3_reset(s)
                if batch.failure != nil { break }
            }
            for s in handles { sqlite3_clear_bindings(s) }
        }
    }
}
