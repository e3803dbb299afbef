import Assignment
import Basics
import Ingest
import TrialData
import TrialDesign
import TrialStore

/// Enrolling one family the moment it arrives (`rct enrol`, rolling designs): its cohort fields are taken
/// in and screened, and an eligible family is assigned at once by replaying every earlier assignment of
/// the store from the design's seed, inside one write-locked transaction (so two enrolments at the same
/// time cannot draw from the same history).
public enum Enrolment {
    /// The family's cohort fields: given one by one (`column=value`), or read from a one-row cohort file.
    public enum Family: Sendable {
        case fields([String: String])
        case file(path: String)
    }

    /// What an enrolment did: the family's assignment, or its exclusion.
    public struct Outcome: Sendable {
        public var unit: CohortUnit
        public var run: AssignmentRun
        public var receipt: RunReceipt
        public var storePath: String

        /// The report for standard output.
        public var lines: [String] {
            if let a = run.assignments.first {
                var details = ["probability \(a.probability)"]
                if let s = a.stratum { details.append("stratum \(s)") }
                if let b = a.block { details.append("block \(b)" + (a.blockSize.map { " of \($0)" } ?? "")) }
                if let cm = a.caseManager { details.append("case manager \(cm)") }
                if a.capacityStatus == .waiting { details.append("waiting for a place (the \(a.arm) arm is full)") }
                return ["family \(a.unitID): \(a.arm) (\(details.joined(separator: "; "))), assigned \(a.assignedOn!)",
                        "record \(receipt.headSeq) in \(storePath); method \(a.procedure), seed \(a.seed), generator \(a.generator); chain head \(receipt.headHash)"]
            }
            if case let .excluded(rule, reason)? = run.screened.first?.outcome {
                return ["family \(unit.id): not eligible: \(reason) (rule \(rule)); the exclusion is recorded in \(storePath)"]
            }
            return []
        }
    }

    /// Screens and, if eligible, assigns one family; `date` (when given) is its enrolment date. The store
    /// is opened (`store`) once the design is known to be rolling.
    public static func enrol(_ file: DesignFile, family: Family, date: CalendarDate?, store open: () throws -> TrialStore) throws -> Outcome {
        let d = file.design
        let plan = AssignmentPlan(design: d)
        guard plan.isRolling else { throw WorkflowError.notRolling(design: file.path, method: plan.method.rawValue) }
        let store = try open()
        var row: CohortRow, header: [String], source: String
        switch family {
        case let .file(path):
            let cohort = try CohortReader.read(path: path, dialect: file.source(ofKind: .cohort)?.dialect ?? .standard,
                                            dateColumns: d.cohortDateColumns, declaredBy: file.source(ofKind: .cohort))
            guard cohort.rows.count == 1 else { throw WorkflowError.notOneFamily(path: path, families: cohort.rows.count) }
            row = cohort.rows[0]
            header = cohort.header
            source = path
        case let .fields(values):
            row = CohortRow(line: 0, fields: values)
            header = Array(values.keys)
            source = "--field"
        }
        if let date {
            row.fields[d.trial.enrolmentDateColumn] = date.description
            if !header.contains(d.trial.enrolmentDateColumn) { header.append(d.trial.enrolmentDateColumn) }
        }
        var intake = CohortIntake(design: d, pseudonymizer: nil, source: source)
        try intake.checkHeader(header)
        try plan.checkHeader(header, source: source)
        if intake.needsKey { intake.pseudonymizer = try file.pseudonymizer() }
        try TrialStoreAccess.checkKey(intake.pseudonymizer, store)
        let unit = try intake.unit(row)
        var result: AssignmentRun?
        let receipt = try store.appendRun(command: "enrol") { records in
            try TrialStoreAccess.refuseAfterImport(records)
            try TrialStoreAccess.refuseAssigned([unit], records)
            if let enrolled = try plan.enrolmentDate(of: unit, source: source), let last = records.last, enrolled < last.entry.assignedOn {
                throw WorkflowError.enrolmentBeforeLast(unit: unit.id, date: enrolled.description,
                                                        last: last.entry.assignedOn.description, record: last.seq)
            }
            let run = try TrialAssigner(plan: plan, source: source).run([unit], prior: TrialStoreAccess.prior(records))
            result = run
            return (TrialStoreAccess.screeningEntries(run.screened), try TrialStoreAccess.assignmentEntries(run))
        }
        try TrialStoreAccess.keepKey(intake.pseudonymizer, store)
        return Outcome(unit: unit, run: result!, receipt: receipt, storePath: store.path)
    }
}
