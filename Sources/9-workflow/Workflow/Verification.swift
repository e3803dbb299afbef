import Assignment
import TrialStore

/// Checking a trial's record (`rct verify`): the hash chain recomputed record by record and, with the
/// design, every arm drawn again from the design's seed and the stored cohort.
public enum Verification {
    public struct Outcome: Sendable {
        public var report: VerificationReport
        /// Every problem found, the chain's first.
        public var problems: [String]
        /// Notes on what could not be re-drawn (records imported from an assignment made elsewhere).
        public var notes: [String]
        /// Whether any arm was drawn again.
        public var redrawn: Bool
        /// The audit log's chain check (stores that keep one: the service's).
        public var audit: AuditReport?
    }

    /// Verifies `store` (SQLite or PostgreSQL: the same checks, the same answers); with `design`, also
    /// re-draws the arms (the store must belong to that design).
    public static func run(store: some EnrolmentStore, design: DesignFile?, expectedHead: String?) async throws -> Outcome {
        let report = try await store.verify(expectedHead: expectedHead)
        var problems = report.problems.map(\.description)
        var notes: [String] = []
        var redrawn = false
        if let design {
            try await store.checkDesign(design.data)
            let (found, note, redrewAny) = try await redraw(AssignmentPlan(design: design.design), store)
            problems += found + (try await unassignedEligible(store))
            if let note { notes.append(note) }
            redrawn = redrewAny
        }
        var audit: AuditReport?
        if let service = store as? any ServiceStore {
            let a = try await service.verifyAudit()
            problems += a.problems
            audit = a
        }
        return Outcome(report: report, problems: problems, notes: notes, redrawn: redrawn, audit: audit)
    }

    /// Draws the stored assignments again: rolling designs replay the records in order; batch designs
    /// run each stored run's screened cohort (in line order) through the procedure. Returns one message
    /// per differing record (the first only, for rolling designs, since later draws depend on it).
    ///
    /// Records imported from an assignment made elsewhere (`rct import-assignment`) cannot be re-drawn
    /// from a seed: they are left out, and the note returned says so plainly (the chain check covers
    /// them, and their file's fingerprint is in every record). A rolling design whose history holds
    /// imported records cannot replay any of it.
    static func redraw(_ plan: AssignmentPlan, _ store: some EnrolmentStore) async throws
        -> (problems: [String], note: String?, redrewAny: Bool) {
        let all = try await store.assignmentRecords()
        let imported = all.filter(\.entry.isImported)
        var note: String?
        if !imported.isEmpty {
            let files = try await store.importedFiles().map { "\($0.file) (SHA-256 \($0.sha256.prefix(12))…, \($0.assigned) families)" }
            note = "\(imported.count) of \(all.count) records were imported from an assignment made elsewhere ("
                + files.joined(separator: ", ") + "): they cannot be re-drawn from a seed, so the re-draw check does not apply "
                + "to them; the hash chain above covers them, and each carries its file's SHA-256"
            if plan.isRolling || imported.count == all.count {
                if imported.count < all.count {
                    note! += ". The other \(all.count - imported.count) records follow imported ones in a rolling sequence and cannot be replayed either"
                }
                return ([], note, false)
            }
        }
        let importedRuns = Set(imported.map(\.runID))
        let records = all.filter { !$0.entry.isImported }
        if plan.isRolling {
            do {
                _ = try TrialAssigner(plan: plan, source: "store").run([], prior: TrialStoreAccess.prior(records))
                return ([], note, imported.isEmpty || !records.isEmpty)
            } catch let AssignmentError.replayMismatch(record, unit, stored, replayed) {
                return (["record \(record) (family \(unit)) holds \(stored), but the design's seed gives \(replayed) "
                    + "at that point of the sequence: the record was changed"], note, true)
            } catch {
                return (["the stored records cannot be drawn again from the design: \(error)"], note, true)
            }
        }
        let stored = Dictionary(records.map { ($0.entry.unitID, $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        let byRun = Dictionary(grouping: try await store.screenedUnits(), by: \.runID)
        for runID in byRun.keys.sorted() where !importedRuns.contains(runID) {
            let units = byRun[runID]!.map { CohortUnit(id: $0.entry.unitID, linkKey: $0.entry.linkKey, line: $0.entry.line,
                                                       attributes: $0.entry.attributes) }
            let again: AssignmentRun
            do {
                again = try TrialAssigner(plan: plan, source: "store").run(units)
            } catch {
                problems.append("the families screened in run \(runID) cannot be drawn again from the design: \(error)")
                continue
            }
            for a in again.assignments {
                guard let r = stored[a.unitID] else { continue }   // named by `unassignedEligible`
                if r.entry.arm != a.arm {
                    problems.append("record \(r.seq) (family \(a.unitID)) holds \(r.entry.arm), but the design's seed gives \(a.arm): the arm was changed")
                } else if let field = differingField(r.entry, a) {
                    problems.append("record \(r.seq) (family \(a.unitID)) holds \(field.name) \(field.stored), but the design and the stored "
                        + "cohort give \(field.drawn): the record was changed")
                }
            }
        }
        return (problems, note, imported.isEmpty || !records.isEmpty)
    }

    /// The first field the draw determines (besides the arm) that differs between a stored record and the
    /// same family drawn again: its probability, stratum, block, block size, cluster, link key or seed.
    static func differingField(_ e: AssignmentEntry, _ a: UnitAssignment) -> (name: String, stored: String, drawn: String)? {
        let pairs: [(String, String?, String?)] = [
            ("probability", String(describing: e.probability), String(describing: a.probability)),
            ("stratum", e.stratum, a.stratum), ("block", e.block, a.block),
            ("block size", e.blockSize.map(String.init), a.blockSize.map(String.init)), ("cluster", e.cluster, a.cluster),
            ("link key", e.linkKey, a.linkKey), ("seed", String(e.seed), String(a.seed)),
        ]
        return pairs.first { $0.1 != $0.2 }.map { ($0.0, $0.1 ?? "none", $0.2 ?? "none") }
    }

    /// Families screened eligible by a run drawn here that hold no assignment record: a record removed
    /// (with the chain's head moved back, which the chain alone cannot tell).
    static func unassignedEligible(_ store: some EnrolmentStore) async throws -> [String] {
        let records = try await store.assignmentRecords()
        let assigned = Set(records.map(\.entry.unitID))
        let importedRuns = Set(records.filter(\.entry.isImported).map(\.runID))
        return try await store.screenedUnits()
            .filter { $0.entry.eligible && !assigned.contains($0.entry.unitID) && !importedRuns.contains($0.runID) }
            .map { "family \($0.entry.unitID) was screened eligible in run \($0.runID) but has no assignment record: it was removed" }
    }
}
