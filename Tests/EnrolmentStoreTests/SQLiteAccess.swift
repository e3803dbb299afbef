import GRDB

/// Raw SQL on a SQLite store, to tamper with it behind the store's back.
enum TrialStoreTestAccess {
    static func execute(_ path: String, _ statements: [String]) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in for s in statements { try db.execute(sql: s) } }
    }
}
