import Assignment
import Tabular
import TrialData
import TrialDesign
import TrialStore
import Ingest

/// Randomising a cohort in one batch with a design (`rct assign DESIGN --cohort FILE`, and the
/// assignment step of `rct run`): the cohort is read in the design's cohort dialect, taken in (national
/// numbers pseudonymised), screened with the eligibility rules and assigned with the design's method and
/// seed — rolling methods in enrolment-date order, as if enrolled one at a time — and every screening and
/// assignment is appended to the store's hash chain in one write-locked transaction.
public enum CohortAssignment {
    /// What an assignment did.
    public struct Outcome: Sendable {
        public var run: AssignmentRun
        public var receipt: RunReceipt
        public var plan: AssignmentPlan
        public var storePath: String
        /// Cohort rows left out before the screening and the draw (their identifier or date cannot be used).
        public var unusable: [UnusableIntakeRow] = []
        public var cohortPath: String = ""

        /// The report for standard output: screening counts and reasons, arms, capacity, records.
        public var lines: [String] {
            var lines: [String] = []
            let excluded = run.screened.filter { !$0.outcome.isEligible }
            lines += UnusableIntakeRow.report(unusable, source: cohortPath)
            lines.append("screened \(run.screened.count) families: \(run.screened.count - excluded.count) eligible, \(excluded.count) excluded"
                + (unusable.isEmpty ? "" : " (and \(unusable.count) unusable intake record\(unusable.count == 1 ? "" : "s") left out before the screening)"))
            var reasons: [(String, Int)] = []
            for s in excluded {
                if case let .excluded(_, reason) = s.outcome {
                    if let i = reasons.firstIndex(where: { $0.0 == reason }) { reasons[i].1 += 1 } else { reasons.append((reason, 1)) }
                }
            }
            for (reason, n) in reasons { lines.append("  excluded, \(reason): \(n)") }
            lines.append("assigned \(run.assignments.count) families (\(TrialStoreAccess.countsByArm(plan.allocation.arms, run.assignments.map(\.arm)))) "
                + "by \(plan.method.rawValue), seed \(plan.seed), generator mt19937")
            if let capacity = plan.capacity {
                lines.append("capacity of \(capacity.arm): \(run.ledger.placed) of \(capacity.places) places taken, \(run.ledger.waiting) waiting")
            }
            lines.append("store \(storePath): records \(receipt.headSeq - receipt.assigned + 1)–\(receipt.headSeq), chain head \(receipt.headHash)")
            return lines
        }
    }

    /// Screens and assigns the cohort at `cohortPath` into `store`.
    public static func run(_ file: DesignFile, cohortPath: String, store: TrialStore) throws -> Outcome {
        let d = file.design
        let cohort = try CohortReader.read(path: cohortPath, dialect: file.source(ofKind: .cohort)?.dialect ?? .standard,
                                            dateColumns: d.cohortDateColumns, declaredBy: file.source(ofKind: .cohort),
                                            leavingOutUnusableDates: true)
        var intake = CohortIntake(design: d, pseudonymizer: nil, source: cohortPath)
        try intake.checkHeader(cohort.header)
        let plan = AssignmentPlan(design: d)
        try plan.checkHeader(cohort.header, source: cohortPath)
        if intake.needsKey { intake.pseudonymizer = try file.pseudonymizer() }
        intake.pseudonymizer = try TrialStoreAccess.linkingKey(intake.pseudonymizer, store)
        // Rows whose identifier or date cannot be used are left out and reported before the draw, so nothing
        // is drawn for a family that cannot be linked.
        let intaken = try intake.usableUnits(cohort.rows)
        let (units, unusable) = TrialStoreAccess.withEnrolmentDates(intaken.units, plan: plan,
                                                                    unusable: cohort.unusable + intaken.unusable)
        // Read the records, draw and append in one write-locked transaction.
        var result: AssignmentRun?
        let receipt = try store.appendRun(command: "assign") { records in
            try TrialStoreAccess.refuseAfterImport(records)
            try TrialStoreAccess.refuseAssigned(units, records)
            if plan.isRolling, let last = records.last {
                for unit in units {
                    if let date = try? plan.enrolmentDate(of: unit, source: cohortPath), date < last.entry.assignedOn {
                        throw WorkflowError.enrolledBeforeLast(cohort: cohortPath, line: unit.line, unit: unit.id, date: date.description,
                                                               last: last.entry.assignedOn.description, record: last.seq)
                    }
                }
            }
            let run = try TrialAssigner(plan: plan, source: cohortPath).run(units, prior: TrialStoreAccess.prior(records))
            result = run
            return (TrialStoreAccess.screeningEntries(run.screened) + TrialStoreAccess.screeningEntries(unusable),
                    try TrialStoreAccess.assignmentEntries(run))
        }
        try TrialStoreAccess.keepKey(intake.pseudonymizer, store)
        return Outcome(run: result!, receipt: receipt, plan: plan, storePath: store.path, unusable: unusable, cohortPath: cohortPath)
    }

    /// The assignment file: one row per assigned family; identifiers are study codes or pseudonyms.
    public static func csv(_ assignments: [UnitAssignment]) -> String {
        var rows = [["unit_id", "link_key", "arm", "probability", "assigned_on", "stratum", "block", "block_size", "cluster",
                     "procedure", "seed", "generator", "case_manager", "capacity_status"]]
        for a in assignments {
            let cells: [String?] = [a.unitID, a.linkKey, a.arm, String(describing: a.probability), a.assignedOn?.description,
                                    a.stratum, a.block, a.blockSize.map(String.init), a.cluster, a.procedure, String(a.seed),
                                    a.generator, a.caseManager, a.capacityStatus.rawValue]
            rows.append(cells.map { $0 ?? "" })
        }
        return CSVWriter.comma.text(rows)
    }

    /// Writes `csv(assignments)` to `path`.
    public static func write(_ assignments: [UnitAssignment], to path: String) throws {
        try OutputFile.write(csv(assignments), to: path)
    }
}
