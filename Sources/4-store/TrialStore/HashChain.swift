import Basics
import Crypto
import Foundation

/// The hash chain over assignment records.
///
/// Every record stores `hash = SHA-256(canonical content)`, lower-case hex, where the canonical content
/// is UTF-8 text: the line `rct-assignment-v1`, then one line per field in this fixed order —
/// `seq, unit, link, arm, assigned_on, recorded_at, stratum, block, block_size, cluster, probability,
/// procedure, seed, generator, case_manager, capacity, run, prev` — each written `name=value`, or just
/// `name` when the value is absent (NULL). Values escape `\` as `\\` and a newline as `\n`; numbers are
/// written in Swift's shortest round-trip form (`0.5`, `0.3333333333333333`); `prev` is the previous
/// record's hash, and for record 1 the design's SHA-256 (so the chain is anchored to the design). Lines end
/// with `\n`. A record imported from an assignment made elsewhere (`rct import-assignment`) has one more
/// line after `prev`: `source_sha256=HEX`, the SHA-256 of the file it came from; records drawn here have no
/// such line, so their hashes are the same as before imports existed. Records written since the screening
/// inputs were chained end with `screening_sha256=HEX` and `run_screening_sha256=HEX` (`ScreeningDigest`).
///
/// Changing any field of a record changes its hash; re-hashing it breaks the next record's `prev`;
/// removing a record leaves a gap in `seq` (or, at the end, disagrees with the head kept in `trial`).
public enum HashChain {
    /// Byte by byte: Foundation's `replacingOccurrences` cost a third of `rct assign` on Linux, and almost
    /// no value holds either character.
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func canonicalContent(seq: Int, entry e: AssignmentEntry, recordedAt: String, runID: Int,
                                        previousHash: String) -> String {
        let fields: [(String, String?)] = [
            ("seq", String(seq)), ("unit", e.unitID), ("link", e.linkKey), ("arm", e.arm),
            ("assigned_on", e.assignedOn.description), ("recorded_at", recordedAt), ("stratum", e.stratum),
            ("block", e.block), ("block_size", e.blockSize.map(String.init)), ("cluster", e.cluster),
            ("probability", String(describing: e.probability)), ("procedure", e.procedure), ("seed", String(e.seed)),
            ("generator", e.generator), ("case_manager", e.caseManager), ("capacity", e.capacityStatus),
            ("run", String(runID)), ("prev", previousHash),
        ]
        var text = "rct-assignment-v1\n"
        for (name, value) in fields { text += value.map { "\(name)=\(escape($0))\n" } ?? "\(name)\n" }
        if let source = e.sourceSHA256 { text += "source_sha256=\(escape(source))\n" }
        if let screening = e.screeningSHA256 { text += "screening_sha256=\(escape(screening))\n" }
        if let run = e.runScreeningSHA256 { text += "run_screening_sha256=\(escape(run))\n" }
        return text
    }

    public static func hash(seq: Int, entry: AssignmentEntry, recordedAt: String, runID: Int, previousHash: String) -> String {
        Fingerprint.sha256(Array(canonicalContent(seq: seq, entry: entry, recordedAt: recordedAt, runID: runID,
                                         previousHash: previousHash).utf8))
    }

    public static func hash(_ record: AssignmentRecord) -> String {
        hash(seq: record.seq, entry: record.entry, recordedAt: record.recordedAt, runID: record.runID,
             previousHash: record.previousHash)
    }
}

/// One problem `verify` found in the chain.
public enum ChainProblem: Sendable, Equatable, CustomStringConvertible {
    /// The record's content does not match its hash: a field was changed after it was written.
    case altered(seq: Int, unit: String)
    /// The record's `prev` is not the hash of the record before it: that record was changed and re-hashed,
    /// or records were inserted between them.
    case brokenLink(seq: Int, unit: String)
    /// Records with these numbers are missing.
    case removed(seqs: ClosedRange<Int>)
    /// A record appears that the store's head does not account for.
    case inserted(seq: Int, unit: String)
    /// The head in `trial` disagrees with the last record.
    case headMismatch(storedSeq: Int, foundSeq: Int)
    /// The chain's head is not the one kept outside the store.
    case unexpectedHead(expected: String, found: String)
    /// Records `seq` and the one it links to are not in their recorded order.
    case reordered(seq: Int, unit: String, follows: Int)
    /// The family's cohort or screening row is not the one its record was chained with.
    case screeningAltered(seq: Int, unit: String)
    /// The run's screened families (added, removed or changed, eligible or not) are not those its records
    /// were chained with.
    case runScreeningAltered(run: Int, seq: Int)
    /// An import's row (file fingerprint, key, counts) no longer matches its hash.
    case importAltered(id: Int, source: String)
    /// An import does not link to the one before it.
    case importBrokenLink(id: Int, source: String)
    /// Imports with these numbers are missing.
    case importsRemoved(from: Int, to: Int)
    /// An import names an assignment head the chain does not have at that record.
    case importOutOfPlace(id: Int, source: String, assignments: Int)
    /// Which import replaced this one was changed after the fact (the active import of its source switched).
    case importReplacementChanged(id: Int, source: String)
    /// The rows kept for an import are not as many as were written.
    case importRowsChanged(id: Int, source: String, table: String, recorded: Int, found: Int)
    /// A row kept for an import (a record, a response, a quarantined or set-aside row) was changed.
    case importRowsAltered(id: Int, source: String)
    /// A key rotation's record no longer matches its hash.
    case rotationAltered(seq: Int)
    /// A key rotation does not link to the one before it.
    case rotationBrokenLink(seq: Int)
    /// Key rotations with these numbers are missing.
    case rotationsRemoved(from: Int, to: Int)
    /// A key rotation starts from another key than the one in force before it.
    case rotationKeyBroken(seq: Int, from: String, inForce: String)
    /// A key rotation names an assignment record or an import whose hash is not the one it names.
    case rotationOutOfPlace(seq: Int, assignments: Int, lastImport: Int?)
    /// A key rotation's map (new pseudonym → link key) is not the one it was chained with.
    case rotationMapAltered(seq: Int, recorded: Int, found: Int)
    /// An import was pseudonymised with another key than the one in force when it was made.
    case importKeyNotInForce(id: Int, source: String, key: String, inForce: String)
    /// The append-only triggers were dropped.
    case triggersMissing([String])
    /// The design text kept with the store is not the one whose SHA-256 anchors the chain.
    case designTextAltered
    /// An amendment's content (or its design's text) no longer matches its hash.
    case amendmentAltered(seq: Int)
    /// An amendment does not link to the one before it.
    case amendmentBrokenLink(seq: Int)
    /// Amendments with these numbers are missing.
    case amendmentsRemoved(from: Int, to: Int)
    /// An amendment names an assignment head the chain does not have at that record.
    case amendmentOutOfPlace(seq: Int, assignments: Int)

    public var description: String {
        switch self {
        case let .altered(seq, unit):
            return "record \(seq) (family \(unit)) was altered: its content no longer matches its hash"
        case let .brokenLink(seq, unit):
            return "record \(seq) (family \(unit)) does not link to record \(seq - 1): record \(seq - 1) was altered and "
                + "re-hashed, or a record was inserted before record \(seq)"
        case let .removed(seqs):
            return seqs.count == 1 ? "record \(seqs.lowerBound) was removed"
                : "records \(seqs.lowerBound)–\(seqs.upperBound) were removed"
        case let .inserted(seq, unit):
            return "record \(seq) (family \(unit)) was inserted: the store's head says the chain ends before it"
        case let .headMismatch(storedSeq, foundSeq):
            return foundSeq < storedSeq
                ? (storedSeq - foundSeq == 1 ? "record \(storedSeq) was removed" : "records \(foundSeq + 1)–\(storedSeq) were removed")
                    + " (the store's head says the chain ends at record \(storedSeq), the last record found is \(foundSeq))"
                : "the store's head says the chain ends at record \(storedSeq), but the last record is \(foundSeq)"
        case let .unexpectedHead(expected, found):
            return "the chain's head is \(found), not the expected \(expected): the chain was rewritten or extended"
        case let .reordered(seq, unit, follows):
            return "record \(seq) (family \(unit)) links to record \(follows), not to record \(seq - 1): the records were reordered"
        case let .screeningAltered(seq, unit):
            return "the cohort or screening row of family \(unit) (record \(seq)) was altered after the family was assigned: "
                + "its attributes, eligibility or link key are not those the record was chained with"
        case let .runScreeningAltered(run, seq):
            return "the families screened in run \(run) (record \(seq) onwards) were altered after the run: a family was added, "
                + "removed or changed, eligible or not"
        case let .importAltered(id, source):
            return "import \(id) (\(source)) was altered: its file fingerprint, key, counts or place no longer match its hash"
        case let .importBrokenLink(id, source):
            return "import \(id) (\(source)) does not link to import \(id - 1) (or, for the first, to the design): one was altered and re-hashed"
        case let .importsRemoved(from, to):
            return from == to ? "import \(from) was removed" : "imports \(from)–\(to) were removed"
        case let .importOutOfPlace(id, source, assignments):
            return "import \(id) (\(source)) was made after assignment record \(assignments), whose hash is not the one it names: "
                + "the assignment chain was rewritten or cut short"
        case let .importReplacementChanged(id, source):
            return "the replacement of import \(id) (\(source)) was changed after the fact: another import of the source was made the one read"
        case let .importRowsChanged(id, source, table, recorded, found):
            return "import \(id) (\(source)) wrote \(recorded) rows into \(table), the store now holds \(found): rows were "
                + (found < recorded ? "deleted" : "inserted")
        case let .importRowsAltered(id, source):
            return "a row kept for import \(id) (\(source)) was changed after the import: a value of a record, response, "
                + "quarantined or set-aside row is not what was written"
        case let .rotationAltered(seq):
            return "key rotation \(seq) was altered: its keys, counts, map digest or place no longer match its hash"
        case let .rotationBrokenLink(seq):
            return "key rotation \(seq) does not link to key rotation \(seq - 1) (or, for the first, to the design): one was altered and re-hashed"
        case let .rotationsRemoved(from, to):
            return (from == to ? "key rotation \(from) was removed" : "key rotations \(from)–\(to) were removed")
                + " (its pseudonym map is left, or a later rotation is numbered after it)"
        case let .rotationKeyBroken(seq, from, inForce):
            return "key rotation \(seq) rotates key \(from.prefix(12))… out, but the key in force before it was \(inForce.prefix(12))…: "
                + "a rotation was removed or the first key changed"
        case let .rotationOutOfPlace(seq, assignments, lastImport):
            return "key rotation \(seq) was made after assignment record \(assignments)"
                + (lastImport.map { " and import \($0)" } ?? "") + ", whose hash is not the one it names: the chain was rewritten or cut short"
        case let .rotationMapAltered(seq, recorded, found):
            return "the pseudonym map of key rotation \(seq) was altered: "
                + (recorded == found ? "a pseudonym or link key is not what was written"
                    : "it mapped \(recorded) pseudonyms, the store now holds \(found)")
                + "; rows imported since link to other families than they should"
        case let .importKeyNotInForce(id, source, key, inForce):
            return "import \(id) (\(source)) was pseudonymised with key \(key.prefix(12))…, but the key in force when it was made was "
                + "\(inForce.prefix(12))…: a key rotation was removed or altered"
        case let .triggersMissing(names):
            return "the append-only triggers were removed (\(names.joined(separator: ", "))): someone edited the store's schema"
        case .designTextAltered:
            return "the design kept in the store was altered: its SHA-256 is not the one the assignment chain is anchored to"
        case let .amendmentAltered(seq):
            return "amendment \(seq) was altered: its content or its design no longer matches its hash"
        case let .amendmentBrokenLink(seq):
            return "amendment \(seq) does not link to amendment \(seq - 1) (or, for the first, to the design): one was altered and re-hashed"
        case let .amendmentsRemoved(from, to):
            return from == to ? "amendment \(from) was removed" : "amendments \(from)–\(to) were removed"
        case let .amendmentOutOfPlace(seq, assignments):
            return "amendment \(seq) says it followed assignment record \(assignments), whose hash is not the one it names: the assignment chain was rewritten"
        }
    }
}

/// What `verify` found.
public struct VerificationReport: Sendable, Equatable {
    public var records: Int
    public var headSeq: Int
    public var headHash: String
    public var problems: [ChainProblem]
    /// Recorded amendments of the design's locked part.
    public var amendments: Int = 0
    /// Recorded rotations of the pseudonymisation key.
    public var keyRotations: Int = 0
    public var isIntact: Bool { problems.isEmpty }
}

/// The chain check shared by every back end (`TrialStore`, `PostgresTrialStore`): the records as read, in
/// `seq` order, against the head kept in `trial`.
public enum ChainCheck {
    /// Recomputes every record's hash from its content, every link to the record before, the sequence
    /// numbers and the head; `missingTriggers` are the append-only triggers the back end did not find.
    public static func verify(trial: StoredTrial, records: [AssignmentRecord], missingTriggers: [String],
                              expectedHead: String?) -> VerificationReport {
        var problems: [ChainProblem] = []
        var previousHash = trial.designSHA256
        var previousSeq = 0
        let seqByHash = Dictionary(records.map { ($0.hash, $0.seq) }, uniquingKeysWith: { a, _ in a })
        for r in records {
            if r.seq > previousSeq + 1 { problems.append(.removed(seqs: (previousSeq + 1)...(r.seq - 1))) }
            if r.seq > trial.headSeq {
                problems.append(.inserted(seq: r.seq, unit: r.entry.unitID))
            } else if HashChain.hash(r) != r.hash {
                problems.append(.altered(seq: r.seq, unit: r.entry.unitID))
            } else if r.previousHash != previousHash && r.seq == previousSeq + 1 {
                if let follows = seqByHash[r.previousHash], follows != previousSeq {
                    problems.append(.reordered(seq: r.seq, unit: r.entry.unitID, follows: follows))
                } else {
                    problems.append(.brokenLink(seq: r.seq, unit: r.entry.unitID))
                }
            }
            previousHash = r.hash
            previousSeq = r.seq
        }
        let lastSeq = records.last?.seq ?? 0
        if lastSeq < trial.headSeq { problems.append(.headMismatch(storedSeq: trial.headSeq, foundSeq: lastSeq)) }
        else if lastSeq == trial.headSeq, (records.last?.hash ?? trial.designSHA256) != trial.headHash {
            problems.append(.altered(seq: lastSeq, unit: records.last?.entry.unitID ?? "?"))
        }
        let head = records.last?.hash ?? trial.designSHA256
        if let expectedHead, expectedHead.lowercased() != head {
            problems.append(.unexpectedHead(expected: expectedHead, found: head))
        }
        if !missingTriggers.isEmpty { problems.append(.triggersMissing(missingTriggers)) }
        return VerificationReport(records: records.count, headSeq: lastSeq, headHash: head, problems: problems)
    }
}
