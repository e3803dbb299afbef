import Basics
import Foundation
import GRDB
import TrialDesign

/// One recorded amendment of the design's locked part.
public struct Amendment: Sendable, Equatable {
    public var seq: Int
    public var recordedAt: String
    public var author: String
    public var reason: String
    /// SHA-256 of the amended design file and of its locked part.
    public var designSHA256: String
    public var lockSHA256: String
    public var designText: String
    public var changes: [DesignChange]
    /// Assignment records in the store when it was recorded, and the chain's head then.
    public var assignments: Int
    public var assignmentHead: String
    /// Whether outcome data (any import of an extract or survey wave) had been imported.
    public var outcomeData: Bool
    public var previousHash: String
    public var hash: String
}

/// The hash chain over amendments, built like `HashChain`: `hash = SHA-256(canonical content)`, the
/// content the line `rct-amendment-v1` then `name=value` lines in the fixed order `seq, recorded_at,
/// author, reason, design_sha256, lock_sha256, changes, assignments, assignment_head, outcome_data, prev`
/// (values escaped as in `HashChain`); `changes` is one `path<TAB>before<TAB>after` entry per change,
/// joined by `;` (`∅` for a key not there); `prev` is the previous amendment's hash, for the first the
/// design's SHA-256. `assignment_head` ties each amendment to the assignment record it followed.
public enum AmendmentChain {
    public static func canonicalContent(_ a: Amendment) -> String {
        let changes = a.changes.map { "\($0.path)\t\($0.before ?? "∅")\t\($0.after ?? "∅")" }.joined(separator: ";")
        let fields: [(String, String)] = [
            ("seq", String(a.seq)), ("recorded_at", a.recordedAt), ("author", a.author), ("reason", a.reason),
            ("design_sha256", a.designSHA256), ("lock_sha256", a.lockSHA256), ("changes", changes),
            ("assignments", String(a.assignments)), ("assignment_head", a.assignmentHead),
            ("outcome_data", a.outcomeData ? "1" : "0"), ("prev", a.previousHash),
        ]
        var text = "rct-amendment-v1\n"
        for (name, value) in fields { text += "\(name)=\(HashChain.escape(value))\n" }
        return text
    }

    public static func hash(_ a: Amendment) -> String {
        Fingerprint.sha256(Array(canonicalContent(a).utf8))
    }
}

extension TrialStore {
    // MARK: The design in force

    /// The design the store holds now: the last amendment's text, or the text it was made with (nil for
    /// a store made before designs were kept).
    func recordedDesign(_ db: Database) throws -> (text: String?, sha256: String) {
        if let row = try Row.fetchOne(db, sql: "SELECT design_text, design_sha256 FROM amendments ORDER BY seq DESC LIMIT 1") {
            return (row["design_text"], row["design_sha256"])
        }
        let text = try String.fetchOne(db, sql: "SELECT design_text FROM trial_design WHERE id = 1")
        return (text, try String.fetchOne(db, sql: "SELECT design_sha256 FROM trial WHERE id = 1") ?? "")
    }

    /// Accepts `designData` when its locked part is the one the store holds (file paths, dialects and
    /// the like may differ). Before the first assignment nothing is locked: a changed design becomes the
    /// store's design. A store made before designs were kept learns its design's text here, from the
    /// same bytes it was made with.
    /// - Throws: `StoreError.unrecordedChange` naming the keys (and `rct amend`), or `designChanged` for
    ///   an older store whose design file changed.
    public func checkDesign(_ designData: Data) throws {
        let current = Fingerprint.sha256(designData)
        let text = String(decoding: designData, as: UTF8.self)
        enum Action { case none, backfill, adopt }
        let action: Action = try queue.read { db in
            let trial = try Row.fetchOne(db, sql: "SELECT design_sha256, head_seq FROM trial WHERE id = 1")
            let trialSHA: String = trial?["design_sha256"] ?? ""
            let headSeq: Int = trial?["head_seq"] ?? 0
            let recorded = try recordedDesign(db)
            if current == recorded.sha256 { return recorded.text == nil ? .backfill : .none }
            guard let recordedText = recorded.text else {
                throw StoreError.designChanged(path: path, stored: trialSHA, current: current)
            }
            guard let before = try? DesignLock(yaml: recordedText), let after = try? DesignLock(yaml: text) else {
                throw StoreError.designChanged(path: path, stored: trialSHA, current: current)
            }
            let changes = before.changes(to: after)
            if changes.isEmpty { return .none }
            let amended = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM amendments") ?? 0
            // Nothing drawn yet: the design is not fixed, and the store takes this one.
            if headSeq == 0 && amended == 0 { return .adopt }
            throw StoreError.unrecordedChange(path: path, changes: changes)
        }
        switch action {
        case .none: return
        case .backfill:
            try queue.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO trial_design (id, design_text) VALUES (1, ?)", arguments: [text])
            }
        case .adopt:
            // The chain's anchor moves with the design while there is no record to anchor.
            try queue.write { db in
                guard try Int.fetchOne(db, sql: "SELECT head_seq FROM trial WHERE id = 1") == 0 else { return }
                try db.execute(sql: "UPDATE trial SET design_sha256 = ?, head_hash = ? WHERE id = 1", arguments: [current, current])
                try db.execute(sql: "INSERT OR REPLACE INTO trial_design (id, design_text) VALUES (1, ?)", arguments: [text])
            }
        }
    }

    // MARK: Recording an amendment

    /// Records the change of the locked part from the design in force to `designData`'s, in one
    /// transaction. `author` and `reason` are kept as given.
    /// - Throws: `StoreError.nothingToAmend` when the locked part did not change,
    ///   `.amendmentRefused` when a change would invalidate the randomisation already drawn.
    public func amend(designData: Data, author: String, reason: String) throws -> Amendment {
        let text = String(decoding: designData, as: UTF8.self)
        let after = try DesignLock(yaml: text)
        return try queue.write { db in
            let recorded = try recordedDesign(db)
            guard let recordedText = recorded.text else {
                throw StoreError.invalid("\(path) was made before designs were kept in the store: open it once with the design it was made with (e.g. `rct verify DESIGN`), then amend")
            }
            let changes = try DesignLock(yaml: recordedText).changes(to: after)
            guard !changes.isEmpty else { throw StoreError.nothingToAmend(path: path) }
            guard let trial = try Row.fetchOne(db, sql: "SELECT design_sha256, head_seq, head_hash FROM trial WHERE id = 1") else {
                throw StoreError.notAStore(path: path, reason: "it has no trial row; create stores with `rct init`")
            }
            let headSeq: Int = trial["head_seq"]
            let refused = changes.filter { $0.invalidatesRandomisation != nil }
            if headSeq > 0 && !refused.isEmpty { throw StoreError.amendmentRefused(changes: refused, assignments: headSeq) }
            let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM amendments ORDER BY seq DESC LIMIT 1")
            let imports = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM imports") ?? 0
            var a = Amendment(seq: (last?["seq"] ?? 0) + 1, recordedAt: Self.now(), author: author, reason: reason,
                              designSHA256: Fingerprint.sha256(designData), lockSHA256: after.fingerprint,
                              designText: text, changes: changes, assignments: headSeq, assignmentHead: trial["head_hash"],
                              outcomeData: imports > 0, previousHash: last?["hash"] ?? trial["design_sha256"], hash: "")
            a.hash = AmendmentChain.hash(a)
            let json = String(decoding: try JSONEncoder().encode(changes), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO amendments (seq, recorded_at, author, reason, design_sha256, lock_sha256, design_text, changes,
                                        assignments, assignment_head, outcome_data, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [a.seq, a.recordedAt, a.author, a.reason, a.designSHA256, a.lockSHA256, a.designText, json,
                                 a.assignments, a.assignmentHead, a.outcomeData ? 1 : 0, a.previousHash, a.hash])
            return a
        }
    }

    /// Every amendment, in order.
    public func amendments() throws -> [Amendment] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM amendments ORDER BY seq").map { row in
                let json: String = row["changes"]
                let changes = (try? JSONDecoder().decode([DesignChange].self, from: Data(json.utf8))) ?? []
                return Amendment(seq: row["seq"], recordedAt: row["recorded_at"], author: row["author"], reason: row["reason"],
                                 designSHA256: row["design_sha256"], lockSHA256: row["lock_sha256"],
                                 designText: row["design_text"], changes: changes, assignments: row["assignments"],
                                 assignmentHead: row["assignment_head"], outcomeData: row["outcome_data"],
                                 previousHash: row["prev_hash"], hash: row["hash"])
            }
        }
    }

    /// The amendments' chain checked: each hash from its content, each link, the numbers, the design's
    /// text against its SHA-256 and locked part, and the assignment head each one followed.
    func amendmentProblems(designSHA256: String, assignmentHashes: [Int: String]) throws -> [ChainProblem] {
        var problems: [ChainProblem] = []
        let kept = try queue.read { try String.fetchOne($0, sql: "SELECT design_text FROM trial_design WHERE id = 1") }
        if let kept, Fingerprint.sha256(Array(kept.utf8)) != designSHA256 { problems.append(.designTextAltered) }
        var previous = designSHA256
        var expectedSeq = 1
        for a in try amendments() {
            if a.seq != expectedSeq { problems.append(.amendmentsRemoved(from: expectedSeq, to: a.seq - 1)) }
            let lock = try? DesignLock(yaml: a.designText)
            if AmendmentChain.hash(a) != a.hash || Fingerprint.sha256(Array(a.designText.utf8)) != a.designSHA256
                || lock?.fingerprint != a.lockSHA256 {
                problems.append(.amendmentAltered(seq: a.seq))
            } else if a.previousHash != previous {
                problems.append(.amendmentBrokenLink(seq: a.seq))
            } else if (a.assignments == 0 ? designSHA256 : assignmentHashes[a.assignments]) != a.assignmentHead {
                problems.append(.amendmentOutOfPlace(seq: a.seq, assignments: a.assignments))
            }
            previous = a.hash
            expectedSeq = a.seq + 1
        }
        return problems
    }
}
