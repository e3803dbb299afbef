import ArgumentParser
import Assignment
import Foundation
import TrialDesign
import TrialStore

/// `rct assign`: randomises a cohort at once, with a design and its store, or as a quick draw.
struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Randomly assign a cohort to arms (batch), recording every assignment in the trial store.",
        discussion: """
            With --design: screens every family with the design's eligibility rules, assigns the eligible ones \
            with the design's method and seed (rolling methods take families in enrolment-date order, as if \
            enrolled one at a time), and appends hash-chained records to the store in one transaction.

            Without a design (a quick draw, nothing stored): --cohort FILE --id-column C --seed S \
            [--strata A,B] [--arms control,treatment] [--ratio 1:1] [--method complete|simple|blocked]. \
            See docs/assignment.md for every algorithm.
            """)

    @Option(help: "The design file.") var design: String?
    @Option(help: "The cohort, comma-separated with a header line.") var cohort: String
    @Option(help: "The trial store (default: beside the design, NAME.sqlite).") var store: String?
    @Option(help: "Write the assignments to this CSV file (quick draw: default standard output).") var out: String?

    @Option(name: .customLong("id-column"), help: "Quick draw: the column identifying each unit.") var idColumn: String?
    @Option(help: "Quick draw: strata columns, comma-separated (blocked assignment inside each combination).") var strata: String?
    @Option(help: "Quick draw: arm names, comma-separated, the first is the control.") var arms: String = "control,treatment"
    @Option(help: "Quick draw: allocation ratio, e.g. 1:1, 2:1, 1:1:1.") var ratio: String?
    @Option(help: "Quick draw: complete, simple or blocked (default: blocked with --strata, else complete).") var method: QuickMethod?
    @Option(help: "Quick draw: the seed of the mt19937 generator (0–4294967295).") var seed: UInt32?

    enum QuickMethod: String, ExpressibleByArgument, CaseIterable {
        case complete, simple, blocked
    }

    func validate() throws {
        if design != nil {
            let quick = [idColumn != nil ? "--id-column" : nil, strata != nil ? "--strata" : nil, ratio != nil ? "--ratio" : nil,
                         method != nil ? "--method" : nil, seed != nil ? "--seed" : nil].compactMap { $0 }
            if !quick.isEmpty {
                throw ValidationError("With --design the design fixes identifier, strata, ratio, method and seed; "
                    + "remove \(quick.joined(separator: ", ")).")
            }
        } else {
            if idColumn == nil { throw ValidationError("Without --design, say which column identifies a unit: --id-column C.") }
            if seed == nil { throw ValidationError("Without --design, give the seed of the draw: --seed S (a whole number).") }
            if store != nil { throw ValidationError("A quick draw without --design records nothing; remove --store.") }
        }
    }

    func run() throws {
        try StoreSupport.reporting {
            if let design { try runDesign(design) } else { try runQuick() }
        }
    }

    private func runDesign(_ designPath: String) throws {
        let (d, data) = try StoreSupport.loadDesign(designPath)
        let storePath = store ?? StoreSupport.defaultStorePath(design: designPath)
        let trialStore = try TrialStore.open(path: storePath)
        try trialStore.checkDesign(data)
        var intake = CohortIntake(design: d, pseudonymizer: nil, source: cohort)
        let (header, rows) = try StoreSupport.readCohort(cohort)
        try intake.checkHeader(header)
        let plan = AssignmentPlan(design: d)
        try plan.checkHeader(header, source: cohort)
        if intake.needsKey { intake.pseudonymizer = try StoreSupport.pseudonymizer(design: d, designPath: designPath) }
        let units = try intake.units(rows)
        // Read the records, draw and append in one write-locked transaction.
        var result: AssignmentRun?
        let receipt = try trialStore.appendRun(command: "assign") { records in
            try StoreSupport.refuseAfterImport(records)
            try StoreSupport.refuseAssigned(units, records)
            if plan.isRolling, let last = records.last {
                for unit in units {
                    if let date = try? plan.enrolmentDate(of: unit, source: cohort), date < last.entry.assignedOn {
                        throw CommandFailure("\(cohort):\(unit.line): family \(unit.id) was enrolled on \(date), before the last "
                            + "assignment in the store (\(last.entry.assignedOn), record \(last.seq)); families are enrolled in time order")
                    }
                }
            }
            let run = try TrialAssigner(plan: plan, source: cohort).run(units, prior: StoreSupport.prior(records))
            result = run
            return (StoreSupport.screeningEntries(run), try StoreSupport.assignmentEntries(run))
        }
        let run = result!
        if let out { try StoreSupport.write(StoreSupport.assignmentCSV(run.assignments), to: out) }
        let excluded = run.screened.filter { !$0.outcome.isEligible }
        print("screened \(run.screened.count) families: \(run.screened.count - excluded.count) eligible, \(excluded.count) excluded")
        var reasons: [(String, Int)] = []
        for s in excluded { if case let .excluded(_, reason) = s.outcome {
            if let i = reasons.firstIndex(where: { $0.0 == reason }) { reasons[i].1 += 1 } else { reasons.append((reason, 1)) }
        } }
        for (reason, n) in reasons { print("  excluded, \(reason): \(n)") }
        print("assigned \(run.assignments.count) families (\(StoreSupport.countsByArm(plan.allocation.arms, run.assignments.map(\.arm)))) "
            + "by \(plan.method.rawValue), seed \(plan.seed), generator mt19937")
        if let capacity = plan.capacity {
            print("capacity of \(capacity.arm): \(run.ledger.placed) of \(capacity.places) places taken, \(run.ledger.waiting) waiting")
        }
        print("store \(storePath): records \(receipt.headSeq - receipt.assigned + 1)–\(receipt.headSeq), chain head \(receipt.headHash)")
        if let out { print("assignments written to \(out)") }
    }

    private func runQuick() throws {
        let armNames = arms.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let weights: [Int]
        if let ratio {
            let parts = ratio.split(separator: ":").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.allSatisfy({ $0 != nil }) else {
                throw CommandFailure("--ratio \(ratio): write whole numbers separated by colons, e.g. 1:1 or 2:1")
            }
            weights = parts.map { $0! }
        } else { weights = Array(repeating: 1, count: armNames.count) }
        let allocation = try Allocation(arms: armNames, weights: weights)
        let strataColumns = strata.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
        let chosen: RandomisationMethod
        switch method ?? (strataColumns.isEmpty ? .complete : .blocked) {
        case .complete: chosen = .complete
        case .simple: chosen = .simple
        case .blocked: chosen = .blocked
        }
        if chosen == .blocked && strataColumns.isEmpty { throw CommandFailure("--method blocked needs --strata") }
        let plan = AssignmentPlan(method: chosen, allocation: allocation, seed: UInt64(seed!),
                                  strata: strataColumns.map { StratumColumn(column: $0) })
        var intake = CohortIntake(idColumn: idColumn!, source: cohort)
        // Nothing but identifiers and arms is written by a quick draw, so other columns are not checked.
        intake.refusesNationalNumbersInAttributes = false
        let (header, rows) = try StoreSupport.readCohort(cohort)
        try intake.checkHeader(header)
        try plan.checkHeader(header, source: cohort)
        let run = try TrialAssigner(plan: plan, source: cohort).run(try intake.units(rows))
        let csv = StoreSupport.assignmentCSV(run.assignments)
        let summary = "assigned \(run.assignments.count) units (\(StoreSupport.countsByArm(armNames, run.assignments.map(\.arm)))) "
            + "by \(chosen.rawValue), seed \(seed!), generator mt19937; nothing stored (no --design)"
        if let out {
            try StoreSupport.write(csv, to: out)
            print(summary)
            print("assignments written to \(out)")
        } else {
            print(csv, terminator: "")
            printError(summary)
        }
    }
}
