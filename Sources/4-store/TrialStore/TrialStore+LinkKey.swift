import Foundation
import GRDB

/// The pseudonymisation key's fingerprint (SHA-256 of the key, never the key), kept from the first
/// assignment that pseudonymised national numbers: every later assignment and import must use the same
/// key, or every national number would link to no family.
extension TrialStore {
    /// The fingerprint kept, nil when no national number was pseudonymised yet (or the store predates it).
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

    /// Throws `StoreError.wrongKey` when the store keeps another key's fingerprint.
    public func checkLinkKey(_ fingerprint: String) throws {
        if let kept = try linkKeyFingerprint(), kept != fingerprint {
            throw StoreError.wrongKey(path: path, kept: kept, given: fingerprint)
        }
    }
}
