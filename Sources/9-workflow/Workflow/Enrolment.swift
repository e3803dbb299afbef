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
        /// When the family's enrolment date is earlier than the last record's: that record's date and number.
        /// The store keeps enrolments in the order they arrive; the family keeps its own date.
        public var earlierThanLast: (date: String, record: Int)?

        /// The report for standard output.
        public var lines: [String] {
            if let a = run.assignments.first {
                var details = ["probability \(a.probability)"]
                if let s = a.stratum { details.append("stratum \(s)") }
                if let b = a.block { details.append("block \(b)" + (a.blockSize.map { " of \($0)" } ?? "")) }
                if let cm = a.caseManager { details.append("case manager \(cm)") }
                if a.capacityStatus == .waiting { details.append("waiting for a place (the \(a.arm) arm is full)") }
                var lines = ["family \(a.unitID): \(a.arm) (\(details.joined(separator: "; "))), assigned \(a.assignedOn!)",
                             "record \(receipt.headSeq) in \(storePath); method \(a.procedure), seed \(a.seed), generator \(a.generator); chain head \(receipt.headHash)"]
                if let last = earlierThanLast {
                    lines.append("note: enrolled on \(a.assignedOn!), before the date of record \(last.record) (\(last.date)): the store keeps "
                        + "enrolments in the order they arrive (record \(receipt.headSeq)) and the family keeps its own date, where its "
                        + "outcome windows start")
                }
                return lines
            }
            if case let .excluded(rule, reason)? = run.screened.first?.outcome {
                return ["family \(unit.id): not eligible: \(reason) (rule \(rule)); the exclusion is recorded in \(storePath)"]
            }
            return []
        }
    }

    /// A family taken in and ready to be drawn: the design's plan, the family as a cohort unit (its
    /// identifiers pseudonymised where the design says so) and a name for messages.
    public struct Prepared: Sendable {
        public var plan: AssignmentPlan
        public var unit: CohortUnit
        public var source: String
        /// The pseudonymisation key the family's identifiers went through (nil when none was needed).
        public var key: Pseudonymizer?
    }

    /// Screens and, if eligible, assigns one family; `date` (when given) is its enrolment date. The store
    /// is opened (`store`) once the design is known to be rolling.
    public static func enrol(_ file: DesignFile, family: Family, date: CalendarDate?, store open: () throws -> TrialStore) throws -> Outcome {
        let plan = try rollingPlan(file)
        let store = try open()
        let prepared = try linked(file, prepare(file, plan: plan, family: family, date: date), store: store)
        return try enrol(prepared, sqlite: store, command: "enrol")
    }

    /// The same on any enrolment store (SQLite or PostgreSQL), for the service: the family was taken in
    /// with `prepare` (and, on SQLite, `linked`), before the store's write lock is taken. On SQLite the key
    /// is checked again inside the write lock (`TrialStore.appendRun(command:linkKey:_:)`), so a key rotated
    /// meanwhile refuses the enrolment (`StoreError.rotatedKey`) before anything is written. PostgreSQL
    /// keeps no key fingerprint: nothing is compared there.
    public static func enrol(_ prepared: Prepared, store: some EnrolmentStore, command: String = "enrol") async throws -> Outcome {
        if let sqlite = store as? TrialStore { return try enrol(prepared, sqlite: sqlite, command: command) }
        let (receipt, drawn) = try await store.appendRun(command: command) { records in try draw(prepared, records) }
        return Outcome(unit: prepared.unit, run: drawn.run, receipt: receipt, storePath: store.location,
                       earlierThanLast: drawn.earlierThanLast)
    }

    /// Draws on a SQLite store with the key checked and kept in the write-locked transaction.
    static func enrol(_ prepared: Prepared, sqlite store: TrialStore, command: String) throws -> Outcome {
        var drawn: Drawn?
        let receipt = try store.appendRun(command: command, linkKey: prepared.key?.keyFingerprint) { records in
            let made = try draw(prepared, records)
            drawn = made.result
            return (made.screenings, made.assignments)
        }
        return Outcome(unit: prepared.unit, run: drawn!.run, receipt: receipt, storePath: store.path,
                       earlierThanLast: drawn!.earlierThanLast)
    }

    /// The family as a SQLite store links it: its key must be the key in force (`StoreError.wrongKey`, or
    /// `.rotatedKey` for a key rotated out), and after a key rotation a family the store already holds is
    /// named by its canonical link key (`TrialStore.linkKeyAliases(of:)`: this family's pseudonyms only, a
    /// lookup by primary key each, so it costs the same at every enrolment).
    public static func linked(_ file: DesignFile, _ prepared: Prepared, store: TrialStore) throws -> Prepared {
        guard let key = prepared.key else { return prepared }
        try store.checkLinkKey(key.keyFingerprint)
        let insz = file.design.trial.idType == .insz
        let aliases = try store.linkKeyAliases(of: [prepared.unit.linkKey].compactMap { $0 } + (insz ? [prepared.unit.id] : []))
        guard !aliases.isEmpty else { return prepared }
        var p = prepared
        if insz { p.unit.id = aliases[p.unit.id] ?? p.unit.id }
        p.unit.linkKey = p.unit.linkKey.map { aliases[$0] ?? $0 }
        return p
    }

    /// The design's plan; `WorkflowError.notRolling` unless it assigns one family at a time.
    public static func rollingPlan(_ file: DesignFile) throws -> AssignmentPlan {
        let plan = AssignmentPlan(design: file.design)
        guard plan.isRolling else { throw WorkflowError.notRolling(design: file.path, method: plan.method.rawValue) }
        return plan
    }

    /// Takes one family in: its fields (or one-row cohort file) checked against what the design's
    /// identifier, eligibility rules, strata and factors need, its national numbers pseudonymised.
    public static func prepare(_ file: DesignFile, plan: AssignmentPlan, family: Family, date: CalendarDate?) throws -> Prepared {
        let d = file.design
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
        return Prepared(plan: plan, unit: try intake.unit(row), source: source, key: intake.pseudonymizer)
    }

    /// What a draw gave, and whether the family's date lies before the latest record's.
    struct Drawn: Sendable {
        var run: AssignmentRun
        var earlierThanLast: (date: String, record: Int)?
    }

    /// Inside the store's write lock: refuses a family already assigned, replays the records and draws (or
    /// screens out) the family.
    static func draw(_ p: Prepared, _ records: [AssignmentRecord]) throws
        -> (screenings: [ScreeningEntry], assignments: [AssignmentEntry], result: Drawn) {
        try TrialStoreAccess.refuseAfterImport(records)
        try TrialStoreAccess.refuseAssigned([p.unit], records)
        // Enrolments are ordered by the store (the order they arrive), not by their dates: a family dated
        // before the last record (two sites enrolling at once, a form typed in a day late) is drawn next in
        // the sequence and keeps its own date; the outcome says so.
        var earlier: (date: String, record: Int)?
        if let enrolled = try p.plan.enrolmentDate(of: p.unit, source: p.source),
           let latest = records.max(by: { $0.entry.assignedOn < $1.entry.assignedOn }), enrolled < latest.entry.assignedOn {
            earlier = (latest.entry.assignedOn.description, latest.seq)
        }
        let run = try TrialAssigner(plan: p.plan, source: p.source).run([p.unit], prior: TrialStoreAccess.prior(records))
        return (TrialStoreAccess.screeningEntries(run.screened), try TrialStoreAccess.assignmentEntries(run),
                Drawn(run: run, earlierThanLast: run.assignments.isEmpty ? nil : earlier))
    }
}
