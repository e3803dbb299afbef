import Assignment
import Basics
import Foundation
import Ingest
import TrialData
import TrialDesign
import TrialStore

/// Rotating the pseudonymisation key (`rct key rotate DESIGN --old-key FILE --new-key FILE --cohort FILE`).
///
/// The store's rows and its chains are append-only and hold each family's link key inside their hashes,
/// so nothing stored is re-pseudonymised: each family keeps its link key as its canonical identity, and
/// the store learns, in ONE transaction, its pseudonym under the new key. The data manager's cohort file
/// (national numbers, in the design's cohort format) is read twice: under the old key (through the map of
/// an earlier rotation, so it gives the canonical link keys) and under the new one. Every family the store
/// holds must be found in it under the old key; then the store appends a chained `key_rotations` record
/// and the map (new pseudonym → link key), and the new key is the key in force: imports, assignments and
/// enrolments with the old key are refused, and what the new key pseudonymises links through the map to
/// the same families. A refusal (wrong old key, families missing from the cohort, a key used before)
/// leaves the store as it was. No national number leaves the cohort reader.
public enum KeyRotationStep {
    public struct Outcome: Sendable {
        public var rotation: KeyRotation
        public var storePath: String

        public func lines(newKeyFile: String) -> [String] {
            let r = rotation
            return [
                "\(storePath): key rotation \(r.seq) recorded: key \(r.oldFingerprint) rotated out, key \(r.newFingerprint) in force from now",
                "  \(r.families) famil\(r.families == 1 ? "y" : "ies") re-pseudonymised: \(r.pseudonyms) pseudonym\(r.pseudonyms == 1 ? "" : "s") "
                    + "under the new key mapped to their link keys (map sha256 \(r.mapSHA256.prefix(12))…); nothing stored was rewritten",
                "  after assignment record \(r.assignmentSeq)" + (r.importID.map { " and import \($0)" } ?? "")
                    + "; rotation hash \(r.hash)",
                "next: put \(newKeyFile) where the design reads its key (pseudonymisation.key_file, or RCT_PSEUDONYM_KEY); "
                    + "imports and enrolments with the old key are refused from now on. Extracts already imported stay as they are "
                    + "(re-importing one under the new key needs --replace and links the same families)",
            ]
        }
    }

    /// Warnings for standard error, before the rotation: a key file other users can read.
    public static func warnings(oldKeyFile: String, newKeyFile: String) -> [String] {
        [oldKeyFile, newKeyFile].compactMap { DesignFile.keyFileWarning(path: $0) }
    }

    public static func run(_ file: DesignFile, store path: String?, oldKeyFile: String, newKeyFile: String,
                           cohortPath: String) throws -> Outcome {
        let d = file.design
        let old = try Pseudonymizer(keyFile: oldKeyFile)
        let new = try Pseudonymizer(keyFile: newKeyFile)
        let store = try TrialStoreAccess.open(file, store: path)
        guard FileManager.default.isReadableFile(atPath: cohortPath) else { throw WorkflowError.unreadableRotationCohort(path: cohortPath) }
        let cohortSource = file.source(ofKind: .cohort)
        let cohort = try CohortReader.read(path: cohortPath, dialect: cohortSource?.dialect ?? .standard,
                                            dateColumns: d.cohortDateColumns, declaredBy: cohortSource, leavingOutUnusableDates: true)
        var intake = CohortIntake(design: d, pseudonymizer: nil, source: cohortPath)
        guard intake.needsKey else { throw StoreError.noKeyToRotate(path: store.path) }
        try intake.checkHeader(cohort.header)
        // Under the old key, through the last rotation's map: the canonical link keys.
        let aliases = try store.linkKeyAliases()
        intake.pseudonymizer = aliases.isEmpty ? old : old.translating(aliases)
        let before = try intake.usableUnits(cohort.rows).units
        intake.pseudonymizer = new
        let after = Dictionary(try intake.usableUnits(cohort.rows).units.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        let idIsPseudonym = d.trial.idType == .insz
        var newOf: [String: String] = [:]
        for unit in before {
            guard let renewed = after[unit.line] else { continue }
            if let link = unit.linkKey, let newLink = renewed.linkKey { newOf[link] = newLink }
            if idIsPseudonym { newOf[unit.id] = renewed.id }
        }
        let cohortIDs = Set(before.map(\.id))

        do {
            let rotation = try store.rotateLinkKey(oldFingerprint: old.keyFingerprint, newFingerprint: new.keyFingerprint) { stored in
                var map: [String: String] = [:]
                var covered = 0, missing = 0, otherPseudonym = 0
                for family in stored.families {
                    let pseudonyms = [family.linkKey, idIsPseudonym ? family.unitID : nil].compactMap { $0 }
                    if pseudonyms.isEmpty { continue }   // no national number: nothing to re-pseudonymise
                    let found = pseudonyms.compactMap { p in newOf[p].map { ($0, p) } }
                    if found.count == pseudonyms.count {
                        for (newPseudonym, link) in found { map[newPseudonym] = link }
                        covered += 1
                    } else {
                        missing += 1
                        if !idIsPseudonym && cohortIDs.contains(family.unitID) { otherPseudonym += 1 }
                    }
                }
                if missing > 0 {
                    throw WorkflowError.rotationCohortIncomplete(cohort: cohortPath, store: store.path, missing: missing,
                                                                 families: covered + missing, otherPseudonym: otherPseudonym,
                                                                 oldKeyFile: oldKeyFile)
                }
                return (covered, map)
            }
            return Outcome(rotation: rotation, storePath: store.path)
        } catch let StoreError.wrongKey(path, kept, given) {
            throw WorkflowError.rotationWrongOldKey(keyFile: oldKeyFile, store: path, inForce: kept, given: given)
        }
    }
}
