import Foundation
import GRDB

/// The pseudonymisation key's fingerprint (SHA-256 of the key, never the key), kept from the first
/// assignment that pseudonymised national numbers: every later assignment and import must use the same
/// key, or every national number would link to no family.
extension TrialStore {
    /// The fingerprint of the first key kept (the key in force is `currentLinkKey()`), nil when no national number was pseudonymised yet (or the store predates it).
    public func linkKeyFingerprint() throws -> String? {
        try queue.read { try String.fetchOne($0, sql: "SELECT key_fingerprint FROM link_key WHERE id = 1") }
    }

    /// Keeps `fingerprint` when the store has none yet.
    public func recordLinkKey(_ fingerprint: String) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO link_key (id, key_fingerprint, recorded_at) VALUES (1, ?, ?)",
                           arguments: [fingerprint, Self.now()])
        }
    }

    /// Throws `StoreError.wrongKey` when the store keeps another key's fingerprint, `StoreError.rotatedKey`
    /// when the key given was rotated out (`rct key rotate`). The key in force is the last rotation's new
    /// key, or the first key before any rotation.
    public func checkLinkKey(_ fingerprint: String) throws {
        try queue.read { db in try Self.checkLinkKey(db, fingerprint, path: path) }
    }

    /// `checkLinkKey` inside a transaction: two reads by primary key (the last rotation, the first key),
    /// and the rotations' table only when the key is not the one in force.
    static func checkLinkKey(_ db: Database, _ fingerprint: String, path: String) throws {
        guard let current = try Self.currentLinkKey(db), current.fingerprint != fingerprint else { return }
        if let out = try Self.fetchRotations(db, where: "old_fingerprint = ? ORDER BY seq LIMIT 1", [fingerprint]).first {
            throw StoreError.rotatedKey(path: path, given: fingerprint, rotation: out.seq, day: out.day, inForce: current.fingerprint)
        }
        throw StoreError.wrongKey(path: path, kept: current.fingerprint, given: fingerprint)
    }

    /// The canonical link keys of the given pseudonyms under the key in force, for those the last key
    /// rotation mapped (a family the store held then); the others are absent. One lookup by primary key
    /// per pseudonym, so an enrolment need not read the whole map (`linkKeyAliases`).
    public func linkKeyAliases(of pseudonyms: [String]) throws -> [String: String] {
        guard !pseudonyms.isEmpty else { return [:] }
        return try queue.read { db in
            guard let last = try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM key_rotations") else { return [:] }
            let statement = try db.cachedStatement(sql: "SELECT link_key FROM link_key_map WHERE rotation = ? AND pseudonym = ?")
            var map: [String: String] = [:]
            for p in Set(pseudonyms) {
                if let link = try String.fetchOne(statement, arguments: [last, p]) { map[p] = link }
            }
            return map
        }
    }

    /// Appends a run as `appendRun(command:_:)` does, with the pseudonymisation key checked in the same
    /// write-locked transaction: `fingerprint` must be the key in force (`StoreError.wrongKey`,
    /// `.rotatedKey` otherwise, and nothing is written), and is kept as the store's first key when it has
    /// none. A key rotated by another process (`rct key rotate`) while this one was preparing its run is
    /// therefore seen before anything is written. `nil` (no national number pseudonymised) checks nothing.
    public func appendRun(command: String, linkKey fingerprint: String?,
                          _ make: ([AssignmentRecord]) throws -> (screenings: [ScreeningEntry], assignments: [AssignmentEntry]))
        throws -> RunReceipt {
        guard let fingerprint else { return try appendRun(command: command, make) }
        return try queue.writeWithoutTransaction { db in
            var receipt: RunReceipt?
            try db.inTransaction(.immediate) {
                try Self.checkLinkKey(db, fingerprint, path: path)
                let (screenings, assignments) = try make(try Self.fetchRecords(db))
                receipt = try insert(db, command: command, screenings: screenings, assignments: assignments)
                try db.execute(sql: "INSERT OR IGNORE INTO link_key (id, key_fingerprint, recorded_at) VALUES (1, ?, ?)",
                               arguments: [fingerprint, Self.now()])
                return .commit
            }
            return receipt!
        }
    }
}
