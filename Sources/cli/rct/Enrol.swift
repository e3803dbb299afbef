import ArgumentParser
import Assignment
import Basics
import Foundation
import TrialDesign
import TrialStore

/// `rct enrol`: screens and assigns one family at the moment it is enrolled (rolling designs).
struct Enrol: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enrol one family: screen it and, if eligible, assign it at once (permuted_blocks or minimisation designs).",
        discussion: """
            Give the family's cohort fields as repeated --field column=value, or as a one-row CSV with --row. \
            --date sets the enrolment date (the design's enrolment date column). The arm comes from the design's \
            seed after replaying every earlier assignment of the store, so enrolling families one by one gives the \
            same arms as `rct assign` on the same families in the same order.
            """)

    @Option(help: "The design file.") var design: String
    @Option(help: "The trial store (default: beside the design, NAME.sqlite).") var store: String?
    @Option(name: .customLong("field"), help: "A cohort field of the family, column=value (repeat).") var fields: [String] = []
    @Option(help: "A CSV file with a header and exactly one family.") var row: String?
    @Option(help: "The enrolment date, YYYY-MM-DD (default: the enrolment date column of the fields).") var date: String?

    func validate() throws {
        if fields.isEmpty && row == nil { throw ValidationError("Give the family's fields: --field column=value … or --row FILE.csv.") }
        if !fields.isEmpty && row != nil { throw ValidationError("Give either --field or --row, not both.") }
        if let date, CalendarDate(iso: date) == nil { throw ValidationError("--date \(date): write the date as YYYY-MM-DD.") }
        for f in fields where !f.contains("=") {
            throw ValidationError("--field \(f): write column=value, e.g. --field family_id=F113.")
        }
    }

    func run() throws {
        try StoreSupport.reporting {
            let (d, data) = try StoreSupport.loadDesign(design)
            let plan = AssignmentPlan(design: d)
            guard plan.isRolling else {
                throw CommandFailure("\(design): method \(plan.method.rawValue) randomises a whole cohort at once; enrol is for "
                    + "rolling designs (permuted_blocks, minimisation). Use `rct assign --design \(design) --cohort FILE`")
            }
            let storePath = store ?? StoreSupport.defaultStorePath(design: design)
            let trialStore = try TrialStore.open(path: storePath)
            try trialStore.checkDesign(data)
            let source = row ?? "--field"
            var family: CohortRow
            var header: [String]
            if let row {
                let (h, rows) = try StoreSupport.readCohort(row)
                guard rows.count == 1 else { throw CommandFailure("\(row): holds \(rows.count) families; --row takes exactly one") }
                family = rows[0]
                header = h
            } else {
                var values: [String: String] = [:]
                for f in fields {
                    let parts = f.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    values[String(parts[0]).trimmingCharacters(in: .whitespaces)] = String(parts[1])
                }
                family = CohortRow(line: 0, fields: values)
                header = Array(values.keys)
            }
            if let date {
                family.fields[d.trial.enrolmentDateColumn] = date
                if !header.contains(d.trial.enrolmentDateColumn) { header.append(d.trial.enrolmentDateColumn) }
            }
            var intake = CohortIntake(design: d, pseudonymizer: nil, source: source)
            try intake.checkHeader(header)
            try plan.checkHeader(header, source: source)
            if intake.needsKey { intake.pseudonymizer = try StoreSupport.pseudonymizer(design: d, designPath: design) }
            let unit = try intake.unit(family)
            // Read the records, replay, draw and append in one write-locked transaction.
            var result: AssignmentRun?
            let receipt = try trialStore.appendRun(command: "enrol") { records in
                try StoreSupport.refuseAfterImport(records)
            try StoreSupport.refuseAssigned([unit], records)
                if let enrolled = try plan.enrolmentDate(of: unit, source: source), let last = records.last,
                   enrolled < last.entry.assignedOn {
                    throw CommandFailure("family \(unit.id): enrolment date \(enrolled) is before the last assignment "
                        + "(\(last.entry.assignedOn), record \(last.seq)); families are enrolled in time order")
                }
                let run = try TrialAssigner(plan: plan, source: source).run([unit], prior: StoreSupport.prior(records))
                result = run
                return (StoreSupport.screeningEntries(run), try StoreSupport.assignmentEntries(run))
            }
            let run = result!
            if let a = run.assignments.first {
                var details = ["probability \(a.probability)"]
                if let s = a.stratum { details.append("stratum \(s)") }
                if let b = a.block { details.append("block \(b)" + (a.blockSize.map { " of \($0)" } ?? "")) }
                if let cm = a.caseManager { details.append("case manager \(cm)") }
                if a.capacityStatus == .waiting { details.append("waiting for a place (the \(a.arm) arm is full)") }
                print("family \(a.unitID): \(a.arm) (\(details.joined(separator: "; "))), assigned \(a.assignedOn!)")
                print("record \(receipt.headSeq) in \(storePath); method \(a.procedure), seed \(a.seed), generator \(a.generator); chain head \(receipt.headHash)")
            } else if case let .excluded(rule, reason)? = run.screened.first?.outcome {
                print("family \(unit.id): not eligible: \(reason) (rule \(rule)); the exclusion is recorded in \(storePath)")
            }
        }
    }
}
