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
        let (current, rotations) = try queue.read { db in (try Self.currentLinkKey(db), try Self.fetchRotations(db, where: "1 ORDER BY seq")) }
        guard let current, current.fingerprint != fingerprint else { return }
        if let out = rotations.first(where: { $0.oldFingerprint == fingerprint }) {
            throw StoreError.rotatedKey(path: path, given: fingerprint, rotation: out.seq, day: out.day, inForce: current.fingerprint)
        }
        throw StoreError.wrongKey(path: path, kept: current.fingerprint, given: fingerprint)
    }
}
