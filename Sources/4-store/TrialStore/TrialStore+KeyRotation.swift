import Basics
import Foundation
import GRDB

/// One rotation of the pseudonymisation key (`rct key rotate`), as stored in `key_rotations`.
///
/// Stored rows and the assignment chain are append-only and hold each family's link key inside their
/// hashes, so a rotation rewrites nothing: a family's first link key stays its canonical identity, and
/// `link_key_map` maps its pseudonym under the new key to it. The key in force is the last rotation's new
/// key (the first key, kept in `link_key`, before any): it is derived from this append-only table, never
/// kept in a row that could be updated.
public struct KeyRotation: Sendable, Equatable {
    public var seq: Int
    public var rotatedAt: String
    /// The fingerprints (`Pseudonymizer.keyFingerprint`) of the key rotated out and of the key rotated in.
    public var oldFingerprint: String
    public var newFingerprint: String
    /// Families (cohort rows with a link key) re-pseudonymised, and the pseudonyms mapped (a family whose
    /// study id is a national number too has two).
    public var families: Int
    public var pseudonyms: Int
    /// `KeyRotationChain.mapDigest` of the rotation's `link_key_map` rows.
    public var mapSHA256: String
    /// Where the rotation stands in the trial's history: the assignment record and the import it followed
    /// (their hashes; the design's SHA-256 and nil before any).
    public var assignmentSeq: Int
    public var assignmentHead: String
    public var importID: Int?
    public var importHash: String?
    public var previousHash: String
    public var hash: String

    /// The day of the rotation, `YYYY-MM-DD`.
    public var day: String { String(rotatedAt.prefix(10)) }
}

/// The hash chain over key rotations, built like `HashChain`: `hash = SHA-256(canonical content)`, the
/// content the line `rct-key-rotation-v1` then `name=value` lines in the order `seq, rotated_at, old_key,
/// new_key, families, pseudonyms, map_sha256, assignment_seq, assignment_head, import_id, import_hash, prev`
/// (an absent value is the bare name; values escaped as in `HashChain`); `prev` is the previous rotation's
/// hash, for the first the design's SHA-256.
public enum KeyRotationChain {
    public static func canonicalContent(_ r: KeyRotation) -> String {
        let fields: [(String, String?)] = [
            ("seq", String(r.seq)), ("rotated_at", r.rotatedAt), ("old_key", r.oldFingerprint), ("new_key", r.newFingerprint),
            ("families", String(r.families)), ("pseudonyms", String(r.pseudonyms)), ("map_sha256", r.mapSHA256),
            ("assignment_seq", String(r.assignmentSeq)), ("assignment_head", r.assignmentHead),
            ("import_id", r.importID.map(String.init)), ("import_hash", r.importHash), ("prev", r.previousHash),
        ]
        var text = "rct-key-rotation-v1\n"
        for (name, value) in fields { text += value.map { "\(name)=\(HashChain.escape($0))\n" } ?? "\(name)\n" }
        return text
    }

    public static func hash(_ r: KeyRotation) -> String { Fingerprint.sha256(Array(canonicalContent(r).utf8)) }

    /// SHA-256 of `rct-link-key-map-v1` and one line `pseudonym<TAB>link_key` per mapped pseudonym, sorted by
    /// pseudonym.
    public static func mapDigest(_ map: [String: String]) -> String {
        var text = "rct-link-key-map-v1\n"
        for (pseudonym, link) in map.sorted(by: { $0.key < $1.key }) { text += "\(pseudonym)\t\(link)\n" }
        return Fingerprint.sha256(Array(text.utf8))
    }
}

/// The pseudonyms a rotation must map: every stored identifier that is a pseudonym (the cohort's link
/// keys, and the study ids when they are national numbers), with the family they belong to.
public struct StoredPseudonyms: Sendable, Equatable {
    /// Cohort rows with a link key (or a pseudonymised id): the families the rotation covers.
    public var families: [(unitID: String, linkKey: String?)]
    public static func == (a: Self, b: Self) -> Bool {
        a.families.map { "\($0.unitID)|\($0.linkKey ?? "")" } == b.families.map { "\($0.unitID)|\($0.linkKey ?? "")" }
    }
}

extension TrialStore {
    /// The fingerprint of the key in force and, when it was rotated in, its rotation; nil when the store
    /// keeps no key (no national number pseudonymised yet, or a store older than keys).
    public func currentLinkKey() throws -> (fingerprint: String, rotation: KeyRotation?)? {
        try queue.read { db in try Self.currentLinkKey(db) }
    }

    static func currentLinkKey(_ db: Database) throws -> (fingerprint: String, rotation: KeyRotation?)? {
        if let last = try fetchRotations(db, where: "1 ORDER BY seq DESC LIMIT 1").first { return (last.newFingerprint, last) }
        return try String.fetchOne(db, sql: "SELECT key_fingerprint FROM link_key WHERE id = 1").map { ($0, nil) }
    }

    /// Every key rotation, in order.
    public func keyRotations() throws -> [KeyRotation] {
        try queue.read { db in try Self.fetchRotations(db, where: "1 ORDER BY seq") }
    }

    static func fetchRotations(_ db: Database, where clause: String, _ arguments: StatementArguments = []) throws -> [KeyRotation] {
        try Row.fetchAll(db, sql: "SELECT * FROM key_rotations WHERE \(clause)", arguments: arguments).map { row in
            KeyRotation(seq: row["seq"], rotatedAt: row["rotated_at"], oldFingerprint: row["old_fingerprint"],
                        newFingerprint: row["new_fingerprint"], families: row["families"], pseudonyms: row["pseudonyms"],
                        mapSHA256: row["map_sha256"], assignmentSeq: row["assignment_seq"], assignmentHead: row["assignment_head"],
                        importID: row["import_id"], importHash: row["import_hash"], previousHash: row["prev_hash"], hash: row["hash"])
        }
    }

    /// The key in force's pseudonym → canonical link key, for every family the store held at the last
    /// rotation (empty when the key was never rotated). Families enrolled since have their pseudonym under
    /// the key in force as their canonical link key, so they need no entry.
    public func linkKeyAliases() throws -> [String: String] {
        try queue.read { db in
            guard let last = try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM key_rotations") else { return [:] }
            var map: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT pseudonym, link_key FROM link_key_map WHERE rotation = ?", arguments: [last]) {
                map[row["pseudonym"]] = row["link_key"]
            }
            return map
        }
    }

    /// The stored families a rotation must cover, in cohort order.
    public func storedPseudonyms() throws -> StoredPseudonyms {
        try queue.read { db in
            StoredPseudonyms(families: try Row.fetchAll(db, sql: """
                SELECT unit_id, link_key FROM cohort WHERE unit_id NOT LIKE 'unusable-line-%' ORDER BY rowid
                """).map { ($0["unit_id"], $0["link_key"]) })
        }
    }

    /// Rotates the key in ONE immediate transaction: checks that `oldFingerprint` is the key in force and
    /// `newFingerprint` a key never used in this store, reads the stored families, lets `mapping` build the
    /// map (new pseudonym → canonical link key; it throws to refuse), and appends the chained rotation and
    /// its map. Anything thrown leaves the store as it was.
    /// - Throws: `StoreError.noKeyToRotate`, `.wrongKey` (the old key is not the one in force),
    ///   `.keyReused`, or what `mapping` throws.
    @discardableResult
    public func rotateLinkKey(oldFingerprint: String, newFingerprint: String,
                              mapping: (StoredPseudonyms) throws -> (families: Int, map: [String: String])) throws -> KeyRotation {
        try queue.writeWithoutTransaction { db in
            var rotation: KeyRotation?
            try db.inTransaction(.immediate) {
                // A store that keeps no key yet (its families were assigned from a list made elsewhere) takes
                // the old key as its first once `mapping` has found every family's link key under it.
                let current = try Self.currentLinkKey(db)
                if let current, current.fingerprint != oldFingerprint {
                    throw StoreError.wrongKey(path: path, kept: current.fingerprint, given: oldFingerprint)
                }
                let used = try Self.fetchRotations(db, where: "1 ORDER BY seq")
                if newFingerprint == oldFingerprint || used.contains(where: { $0.oldFingerprint == newFingerprint }) {
                    throw StoreError.keyReused(path: path, fingerprint: newFingerprint,
                                               inForce: newFingerprint == oldFingerprint)
                }
                let families = StoredPseudonyms(families: try Row.fetchAll(db, sql: """
                    SELECT unit_id, link_key FROM cohort WHERE unit_id NOT LIKE 'unusable-line-%' ORDER BY rowid
                    """).map { ($0["unit_id"], $0["link_key"]) })
                guard families.families.contains(where: { $0.linkKey != nil }) else { throw StoreError.noKeyToRotate(path: path) }
                let (count, map) = try mapping(families)
                if current == nil {
                    try db.execute(sql: "INSERT INTO link_key (id, key_fingerprint, recorded_at) VALUES (1, ?, ?)",
                                   arguments: [oldFingerprint, Self.now()])
                }
                let trial = try Row.fetchOne(db, sql: "SELECT design_sha256, head_seq, head_hash FROM trial WHERE id = 1")!
                let lastImport = try Row.fetchOne(db, sql: "SELECT id, hash FROM imports ORDER BY id DESC LIMIT 1")
                var r = KeyRotation(seq: (used.last?.seq ?? 0) + 1, rotatedAt: Self.now(), oldFingerprint: oldFingerprint,
                                    newFingerprint: newFingerprint, families: count, pseudonyms: map.count,
                                    mapSHA256: KeyRotationChain.mapDigest(map), assignmentSeq: trial["head_seq"],
                                    assignmentHead: trial["head_hash"], importID: lastImport?["id"], importHash: lastImport?["hash"],
                                    previousHash: used.last?.hash ?? trial["design_sha256"], hash: "")
                r.hash = KeyRotationChain.hash(r)
                try db.execute(sql: """
                    INSERT INTO key_rotations (seq, rotated_at, old_fingerprint, new_fingerprint, families, pseudonyms, map_sha256,
                                               assignment_seq, assignment_head, import_id, import_hash, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [r.seq, r.rotatedAt, r.oldFingerprint, r.newFingerprint, r.families, r.pseudonyms, r.mapSHA256,
                                     r.assignmentSeq, r.assignmentHead, r.importID, r.importHash, r.previousHash, r.hash])
                let insert = try db.makeStatement(sql: "INSERT INTO link_key_map (rotation, pseudonym, link_key) VALUES (?, ?, ?)")
                for (pseudonym, link) in map.sorted(by: { $0.key < $1.key }) {
                    try insert.execute(arguments: [r.seq, pseudonym, link])
                }
                rotation = r
                return .commit
            }
            return rotation!
        }
    }

    /// Every problem with the key rotations: content against hash, links, numbering, the key each starts
    /// from (the one in force before it), the assignment record and import each followed, its map against
    /// its digest, map rows of no rotation, and every chained import's key against the key in force when
    /// it was made.
    static func rotationProblems(_ db: Database, designSHA256: String, assignmentHashes: [Int: String]) throws -> [ChainProblem] {
        var problems: [ChainProblem] = []
        let rotations = try fetchRotations(db, where: "1 ORDER BY seq")
        let firstKey = try String.fetchOne(db, sql: "SELECT key_fingerprint FROM link_key WHERE id = 1")
        let importHashes = Dictionary(try Row.fetchAll(db, sql: "SELECT id, hash FROM imports").map { ($0["id"] as Int, $0["hash"] as String?) },
                                      uniquingKeysWith: { a, _ in a })
        var previous = designSHA256
        var key = firstKey
        var expected = 1
        for r in rotations {
            if r.seq != expected { problems.append(.rotationsRemoved(from: expected, to: r.seq - 1)) }
            expected = r.seq + 1
            var map: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT pseudonym, link_key FROM link_key_map WHERE rotation = ?", arguments: [r.seq]) {
                map[row["pseudonym"]] = row["link_key"]
            }
            if KeyRotationChain.hash(r) != r.hash {
                problems.append(.rotationAltered(seq: r.seq))
            } else if r.previousHash != previous {
                problems.append(.rotationBrokenLink(seq: r.seq))
            } else if r.oldFingerprint != key {
                problems.append(.rotationKeyBroken(seq: r.seq, from: r.oldFingerprint, inForce: key ?? "none"))
            } else if (r.assignmentSeq == 0 ? designSHA256 : assignmentHashes[r.assignmentSeq]) != r.assignmentHead
                        || (r.importID.flatMap { importHashes[$0] ?? nil }) != r.importHash
                        || (r.importID != nil && importHashes[r.importID!] == nil) {
                problems.append(.rotationOutOfPlace(seq: r.seq, assignments: r.assignmentSeq, lastImport: r.importID))
            }
            if map.count != r.pseudonyms || KeyRotationChain.mapDigest(map) != r.mapSHA256 {
                problems.append(.rotationMapAltered(seq: r.seq, recorded: r.pseudonyms, found: map.count))
            }
            previous = r.hash
            key = r.newFingerprint
        }
        let mapped = try Int.fetchAll(db, sql: "SELECT DISTINCT rotation FROM link_key_map ORDER BY rotation")
        let seqs = Set(rotations.map(\.seq))
        for seq in mapped where !seqs.contains(seq) { problems.append(.rotationsRemoved(from: seq, to: seq)) }
        // Every chained import pseudonymised with a key was made with the key in force at its time.
        if let firstKey {
            for row in try Row.fetchAll(db, sql: "SELECT id, source_id, key_fingerprint FROM imports WHERE hash IS NOT NULL AND key_fingerprint IS NOT NULL ORDER BY id") {
                let id: Int = row["id"]
                let inForce = rotations.last { ($0.importID ?? 0) < id }?.newFingerprint ?? firstKey
                let used: String = row["key_fingerprint"]
                if used != inForce {
                    problems.append(.importKeyNotInForce(id: id, source: row["source_id"], key: used, inForce: inForce))
                }
            }
        }
        return problems
    }
}
