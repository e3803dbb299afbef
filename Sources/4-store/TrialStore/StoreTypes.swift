import Basics
import Foundation
import TrialDesign

/// Why the store refused or failed. Messages name the family (study code or pseudonym) and the record.
public enum StoreError: Error, Equatable, CustomStringConvertible, Sendable {
    case missing(path: String)
    case alreadyExists(path: String)
    case designChanged(path: String, stored: String, current: String)
    case unrecordedChange(path: String, changes: [DesignChange])
    case nothingToAmend(path: String)
    case wrongKey(path: String, kept: String, given: String)
    case rotatedKey(path: String, given: String, rotation: Int, day: String, inForce: String)
    case keyReused(path: String, fingerprint: String, inForce: Bool)
    case noKeyToRotate(path: String)
    case amendmentRefused(changes: [DesignChange], assignments: Int)
    case alreadyAssigned(unit: String, line: Int, arm: String, assignedOn: String, record: Int)
    case alreadyScreened(unit: String, line: Int, reason: String)
    case notAStore(path: String, reason: String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .missing(path):
            return "no trial store at \(path); create it first with `rct init DESIGN` (or pass --store)"
        case let .alreadyExists(path):
            return "a trial store already exists at \(path)"
        case let .designChanged(path, stored, current):
            return "the design file is not the one \(path) was initialised with (SHA-256 \(stored.prefix(12))… then, "
                + "\(current.prefix(12))… now); a design is fixed before randomisation. Restore the original design "
                + "or start a new store"
        case let .unrecordedChange(path, changes):
            let refused = changes.filter { $0.invalidatesRandomisation != nil }
            let listed = changes.prefix(8).map(\.summary).joined(separator: "; ") + (changes.count > 8 ? "; and \(changes.count - 8) more" : "")
            var text = "the locked part of the design (what the randomisation and the pre-specified analysis rest on) "
                + "differs from the one \(path) holds in \(changes.count) key\(changes.count == 1 ? "" : "s"): \(listed). "
            if refused.isEmpty {
                text += "Record the change with `rct amend DESIGN --reason \"…\"` (it is then reported), or undo it"
            } else {
                text += "\(refused.map(\.path).joined(separator: ", ")) cannot change after the first assignment ("
                    + "\(refused[0].invalidatesRandomisation!)): undo \(refused.count == 1 ? "it" : "them")"
            }
            return text + ". File paths, dialects and column maps may change without an amendment"
        case let .wrongKey(path, kept, given):
            return "the pseudonymisation key given (fingerprint \(given.prefix(12))…) is not the one the families in \(path) were "
                + "pseudonymised with (\(kept.prefix(12))…): no national number would link to a family. Use the trial's key "
                + "(the design's pseudonymisation.key_file, or RCT_PSEUDONYM_KEY); nothing was changed"
        case let .rotatedKey(path, given, rotation, day, inForce):
            return "the pseudonymisation key given (fingerprint \(given.prefix(12))…) was rotated out of \(path) on \(day) (key rotation "
                + "\(rotation)); the key in force is \(inForce.prefix(12))…. Use the new key file (put it where the design's "
                + "pseudonymisation.key_file points, or in RCT_PSEUDONYM_KEY); nothing was changed"
        case let .keyReused(path, fingerprint, inForce):
            return inForce
                ? "the new key (fingerprint \(fingerprint.prefix(12))…) is the key in force in \(path): nothing to rotate. Make a new key "
                    + "(e.g. `head -c 32 /dev/urandom | base64 > new.key; chmod 600 new.key`); nothing was changed"
                : "the new key (fingerprint \(fingerprint.prefix(12))…) was used in \(path) before and rotated out: a key once rotated "
                    + "out is never used again. Make a new key (e.g. `head -c 32 /dev/urandom | base64 > new.key`); nothing was changed"
        case let .noKeyToRotate(path):
            return "\(path) holds no pseudonymised family (no national number was pseudonymised when the families were "
                + "assigned): there is no key to rotate; nothing was changed"
        case let .nothingToAmend(path):
            return "nothing to amend: the locked part of the design is the one \(path) holds (file paths, dialects, "
                + "column maps and the like need no amendment)"
        case let .amendmentRefused(changes, assignments):
            return changes.map { "\($0.summary) cannot be amended: \($0.invalidatesRandomisation ?? "")" }.joined(separator: "; ")
                + ". \(assignments) famil\(assignments == 1 ? "y was" : "ies were") already assigned under the design in force; "
                + "undo \(changes.count == 1 ? "this change" : "these changes"), or start a new trial with its own store"
        case let .alreadyAssigned(unit, line, arm, assignedOn, record):
            return "family \(unit)" + (line > 0 ? " (cohort line \(line))" : "")
                + " already has an arm: \(arm), assigned \(assignedOn) (record \(record)); an assignment is never repeated or changed"
        case let .alreadyScreened(unit, line, reason):
            return "family \(unit)" + (line > 0 ? " (cohort line \(line))" : "")
                + " was already screened and excluded (\(reason)); a screening is recorded once"
        case let .notAStore(path, reason):
            return "\(path) is not a usable trial store: \(reason)"
        case let .invalid(message): return message
        }
    }
}

/// One screened family, as the store receives it (already pseudonymised).
public struct ScreeningEntry: Sendable, Equatable {
    public var unitID: String
    public var linkKey: String?
    public var line: Int
    /// Non-identifying cohort columns.
    public var attributes: [String: String]
    public var eligible: Bool
    public var rule: String?
    public var reason: String?

    public init(unitID: String, linkKey: String?, line: Int, attributes: [String: String], eligible: Bool,
                rule: String? = nil, reason: String? = nil) {
        self.unitID = unitID
        self.linkKey = linkKey
        self.line = line
        self.attributes = attributes
        self.eligible = eligible
        self.rule = rule
        self.reason = reason
    }
}

/// One assignment to append.
public struct AssignmentEntry: Sendable, Equatable {
    public var unitID: String
    public var linkKey: String?
    public var line: Int
    public var arm: String
    public var assignedOn: CalendarDate
    public var stratum: String?
    public var block: String?
    public var blockSize: Int?
    public var cluster: String?
    public var probability: Double
    public var procedure: String
    public var seed: UInt64
    public var generator: String
    public var caseManager: String?
    public var capacityStatus: String
    /// For a record imported from an assignment made elsewhere: the SHA-256 (hex) of the file it came
    /// from; nil for an assignment drawn here. Part of the record's hash when present.
    public var sourceSHA256: String? = nil
    /// The digests of the family's screening row and of its run's screened set (`ScreeningDigest`),
    /// filled in by the store when it writes the record; part of the record's hash when present.
    public var screeningSHA256: String? = nil
    public var runScreeningSHA256: String? = nil

    /// Whether the record was imported (`procedure` `imported`) rather than drawn here.
    public var isImported: Bool { procedure == AssignmentEntry.importedProcedure }
    /// The `procedure` of imported records.
    public static let importedProcedure = "imported"

    public init(unitID: String, linkKey: String?, line: Int, arm: String, assignedOn: CalendarDate, stratum: String?,
                block: String?, blockSize: Int?, cluster: String?, probability: Double, procedure: String, seed: UInt64,
                generator: String, caseManager: String?, capacityStatus: String) {
        self.unitID = unitID
        self.linkKey = linkKey
        self.line = line
        self.arm = arm
        self.assignedOn = assignedOn
        self.stratum = stratum
        self.block = block
        self.blockSize = blockSize
        self.cluster = cluster
        self.probability = probability
        self.procedure = procedure
        self.seed = seed
        self.generator = generator
        self.caseManager = caseManager
        self.capacityStatus = capacityStatus
    }
}

/// An assignment record as stored, with its place in the chain.
public struct AssignmentRecord: Sendable, Equatable {
    public var seq: Int
    public var entry: AssignmentEntry
    /// ISO 8601 UTC instant of the run that wrote the record (one instant per run).
    public var recordedAt: String
    public var runID: Int
    public var previousHash: String
    public var hash: String
    /// The unit's non-identifying cohort columns (not part of the hash).
    public var attributes: [String: String]

    public init(seq: Int, entry: AssignmentEntry, recordedAt: String, runID: Int, previousHash: String, hash: String,
                attributes: [String: String]) {
        self.seq = seq
        self.entry = entry
        self.recordedAt = recordedAt
        self.runID = runID
        self.previousHash = previousHash
        self.hash = hash
        self.attributes = attributes
    }
}

/// What a recorded run wrote.
public struct RunReceipt: Sendable, Equatable {
    public var runID: Int
    public var screened: Int
    public var assigned: Int
    /// The chain's head after the run: the last record's number and hash. Keep it outside the store (a
    /// mail to the trial registry, the lab notebook) to detect a rewritten chain later (`rct verify --expect-head`).
    public var headSeq: Int
    public var headHash: String

    public init(runID: Int, screened: Int, assigned: Int, headSeq: Int, headHash: String) {
        self.runID = runID
        self.screened = screened
        self.assigned = assigned
        self.headSeq = headSeq
        self.headHash = headHash
    }
}

/// CONSORT counts from the store's screening table.
public struct ScreeningCounts: Sendable, Equatable {
    public var screened: Int
    public var eligible: Int
    /// Exclusions per rule, in the order of first appearance: rule id, reason, count.
    public var excluded: [(rule: String, reason: String, count: Int)]
    /// Assigned families per arm (arm id → count).
    public var assignedByArm: [String: Int]

    public init(screened: Int, eligible: Int, excluded: [(rule: String, reason: String, count: Int)], assignedByArm: [String: Int]) {
        self.screened = screened
        self.eligible = eligible
        self.excluded = excluded
        self.assignedByArm = assignedByArm
    }

    public static func == (a: ScreeningCounts, b: ScreeningCounts) -> Bool {
        a.screened == b.screened && a.eligible == b.eligible && a.assignedByArm == b.assignedByArm
            && a.excluded.map { "\($0.rule)|\($0.reason)|\($0.count)" } == b.excluded.map { "\($0.rule)|\($0.reason)|\($0.count)" }
    }
}

/// The trial the store belongs to.
public struct StoredTrial: Sendable, Equatable {
    public var trialID: String
    public var designFile: String
    public var designSHA256: String
    public var createdAt: String
    public var headSeq: Int
    public var headHash: String

    public init(trialID: String, designFile: String, designSHA256: String, createdAt: String, headSeq: Int, headHash: String) {
        self.trialID = trialID
        self.designFile = designFile
        self.designSHA256 = designSHA256
        self.createdAt = createdAt
        self.headSeq = headSeq
        self.headHash = headHash
    }
}
