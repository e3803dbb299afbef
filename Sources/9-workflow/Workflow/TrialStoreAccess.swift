import Assignment
import Basics
import Foundation
import Basics
import TrialData
import TrialDesign
import TrialStore

/// Opening a design's trial store, and the conversions between the assignment procedures' values and
/// the store's records.
public enum TrialStoreAccess {
    /// Opens the store at `path` (default: beside the design) and checks that it belongs to this design.
    /// - Throws: `WorkflowError.noStore` when it does not exist; `StoreError.designChanged` for another design.
    /// The store is verified first (the hash chains recomputed, as `rct verify` does): an analysis never
    /// reads a store whose record was altered.
    /// - Throws: `WorkflowError.storeFailsVerification` naming the first problem.
    public static func open(_ file: DesignFile, store path: String?) throws -> TrialStore {
        let path = path ?? file.defaultStorePath
        guard FileManager.default.fileExists(atPath: path) else { throw WorkflowError.noStore(path: path, design: file.path) }
        let store = try TrialStore.open(path: path)
        try store.checkDesign(file.data)
        try requireIntact(store)
        return store
    }

    /// Verifies the store's chains (the fast check: imported rows counted, not read back; `rct verify`
    /// reads them); throws `WorkflowError.storeFailsVerification` naming the first problem.
    @discardableResult
    public static func requireIntact(_ store: TrialStore) throws -> VerificationReport {
        let report = try store.verify(expectedHead: nil, full: false)
        if let first = report.problems.first {
            throw WorkflowError.storeFailsVerification(path: store.path, first: first.description, count: report.problems.count)
        }
        return report
    }

    /// Opens the store at `path` (default: beside the design) as `TrialStore.open` does (which names a
    /// missing store in its own words), and checks its design.
    public static func openExisting(_ file: DesignFile, store path: String?) throws -> TrialStore {
        let store = try TrialStore.open(path: path ?? file.defaultStorePath)
        try store.checkDesign(file.data)
        return store
    }

    /// Refuses a pseudonymisation key other than the one the store's families were pseudonymised with.
    static func checkKey(_ key: Pseudonymizer?, _ store: TrialStore) throws {
        if let key { try store.checkLinkKey(key.keyFingerprint) }
    }

    /// The design's key as the store links with it: refused unless it is the key in force (`checkKey`);
    /// after a key rotation, its pseudonyms of the families the store held then are translated to their
    /// canonical link keys (`TrialStore.linkKeyAliases`), so that what it pseudonymises links to the same
    /// families as before.
    static func linkingKey(_ key: Pseudonymizer?, _ store: TrialStore) throws -> Pseudonymizer? {
        guard let key else { return nil }
        try store.checkLinkKey(key.keyFingerprint)
        let aliases = try store.linkKeyAliases()
        return aliases.isEmpty ? key : key.translating(aliases)
    }

    /// Keeps the key's fingerprint after the first assignment that used it.
    static func keepKey(_ key: Pseudonymizer?, _ store: TrialStore) throws {
        if let key { try store.recordLinkKey(key.keyFingerprint) }
    }

    /// Earlier assignments of the store, in record order, for rolling replay.
    public static func prior(_ records: [AssignmentRecord]) -> [PriorAssignment] {
        records.map {
            var prior = PriorAssignment(unitID: $0.entry.unitID, arm: $0.entry.arm, attributes: $0.attributes,
                                        capacityStatus: CapacityStatus(rawValue: $0.entry.capacityStatus) ?? .notLimited,
                                        caseManager: $0.entry.caseManager)
            prior.drawn = ($0.entry.probability, $0.entry.stratum, $0.entry.block)
            return prior
        }
    }

    static func screeningEntries(_ screened: [ScreenedUnit]) -> [ScreeningEntry] {
        screened.map { s in
            switch s.outcome {
            case .eligible:
                return ScreeningEntry(unitID: s.unit.id, linkKey: s.unit.linkKey, line: s.unit.line,
                                      attributes: s.unit.attributes, eligible: true)
            case let .excluded(rule, reason):
                return ScreeningEntry(unitID: s.unit.id, linkKey: s.unit.linkKey, line: s.unit.line,
                                      attributes: s.unit.attributes, eligible: false, rule: rule, reason: reason)
            }
        }
    }

    /// The screening records of cohort rows left out as unusable: not a family the trial can link, so
    /// each is recorded under its line (`unusable-line-N`), excluded with the reason CONSORT counts.
    static func screeningEntries(_ unusable: [UnusableIntakeRow]) -> [ScreeningEntry] {
        unusable.sorted { $0.line < $1.line }.map { u in
            ScreeningEntry(unitID: "unusable-line-\(u.line)", linkKey: nil, line: u.line, attributes: [:], eligible: false,
                           rule: UnusableIntakeRow.rule, reason: UnusableIntakeRow.reason)
        }
    }

    /// The units whose enrolment date (the plan's date column) can be used, and the others added to
    /// `unusable`: an empty or impossible date leaves the row out before the draw.
    static func withEnrolmentDates(_ units: [CohortUnit], plan: AssignmentPlan,
                                   unusable: [UnusableIntakeRow]) -> (units: [CohortUnit], unusable: [UnusableIntakeRow]) {
        guard let column = plan.dateColumn else { return (units, unusable) }
        var kept: [CohortUnit] = [], out = unusable
        for u in units {
            let text = (u.attributes[column] ?? "").trimmingCharacters(in: .whitespaces)
            if CalendarDate(iso: text) != nil { kept.append(u) } else {
                out.append(UnusableIntakeRow(line: u.line, column: column,
                                             problem: text.isEmpty ? "the enrolment date is empty" : "\"\(text)\" is not a date"))
            }
        }
        // Most rows without a date: the column is wrong, not a few records; the draw says so as before.
        if (units.count - kept.count) * 2 > units.count { return (units, unusable) }
        return (kept, out.sorted { $0.line < $1.line })
    }

    static func assignmentEntries(_ run: AssignmentRun) throws -> [AssignmentEntry] {
        try run.assignments.map { a in
            guard let date = a.assignedOn else { throw WorkflowError.noEnrolmentDate(unit: a.unitID) }
            return AssignmentEntry(unitID: a.unitID, linkKey: a.linkKey, line: a.line, arm: a.arm, assignedOn: date,
                                   stratum: a.stratum, block: a.block, blockSize: a.blockSize, cluster: a.cluster,
                                   probability: a.probability, procedure: a.procedure, seed: a.seed, generator: a.generator,
                                   caseManager: a.caseManager, capacityStatus: a.capacityStatus.rawValue)
        }
    }

    /// Refuses a family that already has an arm, naming it and its record.
    static func refuseAssigned(_ units: [CohortUnit], _ records: [AssignmentRecord]) throws {
        let assigned = Dictionary(records.map { ($0.entry.unitID, $0) }, uniquingKeysWith: { a, _ in a })
        if let unit = units.first(where: { assigned[$0.id] != nil }), let r = assigned[unit.id] {
            throw StoreError.alreadyAssigned(unit: unit.id, line: unit.line, arm: r.entry.arm,
                                             assignedOn: r.entry.assignedOn.description, record: r.seq)
        }
    }

    /// Refuses to draw here in a store that holds an assignment made elsewhere (`rct import-assignment`):
    /// nothing of the imported assignment can be replayed from the design's seed.
    static func refuseAfterImport(_ records: [AssignmentRecord]) throws {
        if let first = records.first(where: { $0.entry.isImported }) {
            throw WorkflowError.importedAssignmentInStore(records: records.filter(\.entry.isImported).count, first: first.seq)
        }
    }

    /// "56 control, 56 intervention" in design order.
    public static func countsByArm(_ arms: [String], _ assigned: [String]) -> String {
        arms.map { arm in "\(assigned.filter { $0 == arm }.count) \(arm)" }.joined(separator: ", ")
    }
}

/// Writing the workflow's text files (the report and its tables, counts, manifest, balance, accounts,
/// the assignment list): every one through `NationalNumber.mask`, the masking function of every message,
/// so that a national number that reached a label or a note is never written out.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        do { try NationalNumber.mask(text).write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw WorkflowError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
