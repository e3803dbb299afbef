import Assignment
import Basics
import Foundation
import Ingest
import TrialData
import TrialDesign
import TrialStore

/// Entering an assignment made elsewhere into the trial's record (`rct import-assignment`, and the
/// assignment step of `rct run` for a design with an `assignment` source): the list is read in its
/// dialect, the cohort is the store's or is read and screened as by `rct assign`, every row is checked
/// against the design and the cohort (`ExternalAssignmentReview`: arms, dates in the enrolment window,
/// eligibility, strata, families twice or already assigned, probabilities given or derived, the arm
/// shares per stratum against the declared ratio), and the whole list is appended to the hash chain in
/// one transaction, each record marked `imported` with the file's SHA-256 — or nothing is written.
public enum AssignmentListImport {
    /// Where the list and the cohort come from when not the design's own sources.
    public struct Options: Sendable {
        /// The list (default: the file of the design's assignment source).
        public var file: String?
        /// The cohort, when the store holds none yet (default: the design's cohort source).
        public var cohort: String?
        /// The enrolment window, when the design's date_window rule is not it.
        public var window: (from: CalendarDate, to: CalendarDate)?

        public init(file: String? = nil, cohort: String? = nil, window: (from: CalendarDate, to: CalendarDate)? = nil) {
            self.file = file
            self.cohort = cohort
            self.window = window
        }
    }

    /// A list that cannot be imported: every problem, each `FILE:LINE: …`. Nothing was written.
    public struct Refusal: Error, Sendable {
        public var listPath: String
        public var problems: [ExternalAssignmentProblem]
        /// The list holds no family at all.
        public var empty: Bool

        /// The lines for standard error.
        public var lines: [String] {
            var lines = problems.map { "error: \($0.message)" }
            if empty && problems.isEmpty { lines.append("error: \(listPath): the list holds no families") }
            let n = max(1, problems.count)
            lines.append("\(listPath): \(n) problem\(n == 1 ? "" : "s") found; nothing was imported (the store is unchanged). "
                + "Correct the list (or the design's source mapping) and run the import again")
            return lines
        }
    }

    /// What an import did.
    public struct Outcome: Sendable {
        /// Warnings for standard error (implausible splits, strata that disagree with the cohort's).
        public var warnings: [String]
        /// The report for standard output.
        public var lines: [String]
        public var receipt: RunReceipt
    }

    public static func run(_ file: DesignFile, store: TrialStore, options: Options = Options()) throws -> Outcome {
        let d = file.design
        guard let source = file.source(ofKind: .assignment) else { throw WorkflowError.noAssignmentSource(design: file.path) }
        let listPath = options.file ?? file.path(of: source)
        guard source.dialect.format == .delimited else {
            throw AssignmentListError.notDelimited(design: file.path, source: source.id)
        }
        guard FileManager.default.isReadableFile(atPath: listPath) else { throw WorkflowError.unreadableList(path: listPath) }
        let fingerprint = try Fingerprint.sha256(file: listPath)
        // The list carries each family's date of assignment: the cohort needs no enrolment date column
        // (unless an eligibility rule reads it, which checks its own columns).
        // A list of clusters carries no dates: each family's is its own enrolment date, from the cohort.
        let clusterLevel = source.level == .cluster
        var plan = AssignmentPlan(design: d)
        if !clusterLevel { plan.dateColumn = nil }

        var list = try AssignmentListReader.read(path: listPath, source: source, arms: d.arms.map(\.id), designName: file.path,
                                                 pseudonymizer: { try TrialStoreAccess.linkingKey(try file.pseudonymizer(), store)! })

        // The cohort: the store's, or loaded and screened as `rct assign` does.
        let screened = try store.screenedUnits()
        var newScreenings: [ScreeningEntry] = []
        var cohortUnits: [String: ScreeningEntry] = [:]
        var cohortName = "the store's cohort"
        var cohortLine: String
        var unusableLines: [String] = []
        if !screened.isEmpty {
            if let cohort = options.cohort {
                throw WorkflowError.cohortAlreadyStored(store: store.path, screened: screened.count, cohort: cohort)
            }
            for (_, e) in screened { cohortUnits[e.unitID] = e }
            cohortLine = "cohort: the store's, \(screened.count) families screened"
        } else {
            guard let cohortPath = options.cohort ?? file.source(ofKind: .cohort).map({ file.path(of: $0) }) else {
                throw WorkflowError.noCohort(store: store.path)
            }
            var intake = CohortIntake(design: d, pseudonymizer: nil, source: cohortPath)
            let cohort = try CohortReader.read(path: cohortPath, dialect: file.source(ofKind: .cohort)?.dialect ?? .standard,
                                            dateColumns: d.cohortDateColumns, declaredBy: file.source(ofKind: .cohort),
                                            leavingOutUnusableDates: true)
            try intake.checkHeader(cohort.header)
            try plan.checkHeader(cohort.header, source: cohortPath)
            if intake.needsKey { intake.pseudonymizer = try file.pseudonymizer() }
            // Rows whose identifier or date cannot be used are left out, reported and counted (CONSORT).
            let intaken = try intake.usableUnits(cohort.rows)
            let (units, unusable) = TrialStoreAccess.withEnrolmentDates(intaken.units, plan: plan, unusable: cohort.unusable + intaken.unusable)
            unusableLines = UnusableIntakeRow.report(unusable, source: cohortPath)
            newScreenings = TrialStoreAccess.screeningEntries(try TrialAssigner(plan: plan, source: cohortPath).screen(units))
                + TrialStoreAccess.screeningEntries(unusable)
            for e in newScreenings { cohortUnits[e.unitID] = e }
            cohortName = cohortPath
            let eligible = newScreenings.filter(\.eligible).count
            cohortLine = "cohort: \(cohortPath), \(newScreenings.count) families screened: \(eligible) eligible, "
                + "\(newScreenings.count - eligible) excluded (stored with the import)"
        }
        // A list that names families by a national number, in a trial whose families are study codes: the
        // number is the reference parent's (trial.link_column), matched through its pseudonym.
        if source.identifierType == .insz && d.trial.idType != .insz {
            guard d.trial.linkColumn != nil else { throw WorkflowError.noLinkColumnForList(design: file.path, source: source.id) }
            var byLink: [String: String] = [:]
            for e in cohortUnits.values { if let k = e.linkKey { byLink[k] = e.unitID } }
            for i in list.rows.indices {
                if let unit = byLink[list.rows[i].unitID] {
                    list.rows[i].unitID = unit
                    list.rows[i].shown = "\(unit) (line \(list.rows[i].line), by the parent's national number)"
                }
            }
        }
        var designStratum: [String: String] = [:]
        for e in cohortUnits.values where e.eligible {
            let unit = CohortUnit(id: e.unitID, linkKey: e.linkKey, line: e.line, attributes: e.attributes)
            if let s = try? plan.stratum(of: unit, source: cohortName) { designStratum[e.unitID] = s }
        }
        // A list without strata is stored with the design's strata, from the cohort.
        if list.strataFromCohort {
            for i in list.rows.indices { list.rows[i].stratum = designStratum[list.rows[i].unitID] }
        }

        // A list of clusters checks the families' enrolment dates: against --window, or a date_window rule on
        // the enrolment date column itself (not another date_window rule, such as a birth date's).
        let windowUsed = clusterLevel
            ? enrolmentWindow(d, given: options.window).flatMap { w in
                options.window != nil || w.origin.hasSuffix("on \(d.trial.enrolmentDateColumn)") ? w : nil }
            : enrolmentWindow(d, given: options.window)
        let records = try store.assignmentRecords()
        var already: [String: (record: Int, arm: String, assignedOn: CalendarDate)] = [:]
        for r in records { already[r.entry.unitID] = (r.seq, r.entry.arm, r.entry.assignedOn) }
        let context = ExternalAssignmentContext(
            file: listPath, cohortName: cohortName, allocation: plan.allocation, method: plan.method,
            idColumn: list.idColumn, armColumn: list.armColumn, dateColumn: list.dateColumn,
            probabilityColumn: list.probabilityColumn, armProbabilityColumns: list.armProbabilityColumns,
            screening: cohortUnits.mapValues { $0.eligible ? String?.none : .some($0.reason ?? "excluded") },
            alreadyAssigned: already, window: windowUsed, designStratum: designStratum)
        let review: ExternalAssignmentReview
        if clusterLevel, let clusterColumn = d.randomisation.clusterColumn {
            let members = cohortUnits.values.map { e -> ClusterMember in
                let text = (e.attributes[d.trial.enrolmentDateColumn] ?? "").trimmingCharacters(in: .whitespaces)
                let date = CalendarDate(iso: text)
                let cluster = (e.attributes[clusterColumn] ?? "").trimmingCharacters(in: .whitespaces)
                return ClusterMember(unitID: e.unitID, line: e.line, cluster: cluster.isEmpty ? nil : cluster, enrolledOn: date,
                                     dateProblem: date != nil ? nil : (text.isEmpty ? "the enrolment date (\(d.trial.enrolmentDateColumn)) is empty"
                                                                        : "\(d.trial.enrolmentDateColumn) \"\(text)\" is not a date (YYYY-MM-DD)"),
                                     stratum: designStratum[e.unitID], eligible: e.eligible)
            }
            review = ClusterAssignmentReview.review(list.clusterRows, members: members, context: .init(
                list: context, clusterColumn: clusterColumn, enrolmentColumn: d.trial.enrolmentDateColumn))
        } else {
            review = ExternalAssignmentReview.review(list.rows, context: context)
        }
        let listed = clusterLevel ? list.clusterRows.count : list.rows.count

        let problems = clusterLevel ? list.problems + review.problems : (list.problems + review.problems).sorted { $0.line < $1.line }
        if !problems.isEmpty || listed == 0 {
            throw Refusal(listPath: listPath, problems: problems, empty: listed == 0)
        }

        let entries = review.assignments.map { a -> AssignmentEntry in
            let unit = cohortUnits[a.unitID]
            var e = AssignmentEntry(unitID: a.unitID, linkKey: unit?.linkKey, line: unit?.line ?? 0, arm: a.arm,
                                    assignedOn: a.assignedOn, stratum: a.stratum, block: a.block, blockSize: nil,
                                    cluster: a.cluster, probability: a.probability,
                                    procedure: AssignmentEntry.importedProcedure, seed: 0, generator: "none",
                                    caseManager: nil, capacityStatus: CapacityStatus.notLimited.rawValue)
            e.sourceSHA256 = fingerprint
            return e
        }
        let shownName = (listPath as NSString).lastPathComponent
        let receipt = try store.importRun(file: shownName, fingerprint: fingerprint,
                                          probabilitiesDerived: review.probabilitiesDerived) { _ in (newScreenings, entries) }

        let arms = plan.allocation.arms
        var lines: [String] = []
        lines.append("read \(listPath) (SHA-256 \(fingerprint)): \(listed) \(clusterLevel ? "clusters" : "families"), \(source.dialect.encoding.rawValue), "
            + "separator \(source.dialect.separator), dates \(source.dialect.dateFormat.rawValue)")
        lines.append(cohortLine)
        lines += unusableLines
        lines.append("imported \(entries.count) families (\(TrialStoreAccess.countsByArm(arms, entries.map(\.arm)))) as procedure "
            + "imported: records \(receipt.headSeq - receipt.assigned + 1)–\(receipt.headSeq)"
            + (clusterLevel ? ", each with its cluster's arm and its own enrolment date (\(d.trial.enrolmentDateColumn))" : ""))
        if let w = windowUsed {
            lines.append("enrolment window \(w.from) to \(w.to) (\(w.origin)): every assignment date lies inside")
        } else {
            lines.append(clusterLevel
                ? "enrolment window: not checked (no date_window rule on \(d.trial.enrolmentDateColumn); give one with --window FROM,TO)"
                : "enrolment window: not checked (the design has no date_window rule; give one with --window FROM,TO)")
        }
        let ratio = plan.allocation.weights.map(String.init).joined(separator: ":")
        lines.append("arm shares\(clusterLevel ? " of clusters" : "") per stratum, exact binomial test against the declared ratio \(ratio):")
        for s in review.strata {
            lines.append("  \(s.stratum): " + arms.indices.map { "\(s.counts[$0]) \(arms[$0])" }.joined(separator: ", ")
                + ", p = \(String(format: "%.4f", s.pValue))" + (s.implausible ? " (implausible, see the warning)" : ""))
        }
        if let derivation = review.derivation {
            lines.append("probabilities: not in the file; \(derivation)")
        } else {
            let columns = ([list.probabilityColumn].compactMap { $0 } + arms.compactMap { list.armProbabilityColumns[$0] })
            lines.append("probabilities: given in the file (\(columns.joined(separator: ", ")))")
        }
        lines.append("store \(store.path): chain head \(receipt.headHash)")
        return Outcome(warnings: review.warnings, lines: lines, receipt: receipt)
    }

    /// The enrolment window the dates are checked against: the one given, else the design's date_window
    /// rule on the enrolment date column (or its first date_window rule); nil when there is none.
    static func enrolmentWindow(_ d: Design, given: (from: CalendarDate, to: CalendarDate)?) -> (from: CalendarDate, to: CalendarDate, origin: String)? {
        if let given { return (given.from, given.to, "--window") }
        let rules = d.eligibility.compactMap { rule -> (from: CalendarDate, to: CalendarDate, origin: String, column: String)? in
            if case let .dateWindow(column, from, to) = rule.test {
                return (from, to, "the design's eligibility rule \(rule.id), on \(column)", column)
            }
            return nil
        }
        guard let r = rules.first(where: { $0.column == d.trial.enrolmentDateColumn }) ?? rules.first else { return nil }
        return (r.from, r.to, r.origin)
    }
}
