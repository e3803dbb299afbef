import ArgumentParser
import TrialDesign
import Workflow

/// `rct assign`: randomises a cohort at once, with a design and its store, or as a quick draw.
struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Randomly assign a cohort to arms (batch), recording every assignment in the trial store.",
        discussion: """
            With a design (rct assign DESIGN --cohort FILE): screens every family with the design's eligibility \
            rules, assigns the eligible ones with the design's method and seed (rolling methods take families in \
            enrolment-date order, as if enrolled one at a time), and appends hash-chained records to the store \
            in one transaction. The cohort is read in the dialect of the design's cohort source.

            Without a design (a quick draw, nothing stored): --cohort FILE --id-column C --seed S \
            [--strata A,B] [--arms control,treatment] [--ratio 1:1] [--method complete|simple|blocked]. \
            See docs/assignment.md for every algorithm.
            """)

    @OptionGroup var trial: TrialOptions
    @Option(help: "The cohort file (with a header line).") var cohort: String
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
        if trial.design != nil || trial.designOption != nil {
            let quick = [idColumn != nil ? "--id-column" : nil, strata != nil ? "--strata" : nil, ratio != nil ? "--ratio" : nil,
                         method != nil ? "--method" : nil, seed != nil ? "--seed" : nil].compactMap { $0 }
            if !quick.isEmpty {
                throw ValidationError("With a design the design fixes identifier, strata, ratio, method and seed; "
                    + "remove \(quick.joined(separator: ", ")).")
            }
        } else {
            if idColumn == nil { throw ValidationError("Without a design, say which column identifies a unit: --id-column C.") }
            if seed == nil { throw ValidationError("Without a design, give the seed of the draw: --seed S (a whole number).") }
            if trial.store != nil { throw ValidationError("A quick draw without a design records nothing; remove --store.") }
        }
        if let ratio, Self.weights(ratio) == nil {
            throw ValidationError("--ratio \(ratio): write whole numbers separated by colons, e.g. 1:1 or 2:1")
        }
        if method == .blocked && strata == nil { throw ValidationError("--method blocked needs --strata") }
    }

    static func weights(_ ratio: String) -> [Int]? {
        let parts = ratio.split(separator: ":").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.map { $0! }
    }

    func run() throws {
        try reportingFailures {
            if let designPath = trial.designPath { try runDesign(designPath) } else { try runQuick() }
        }
    }

    private func runDesign(_ designPath: String) throws {
        let file = try DesignFile.load(designPath)
        let store = try TrialStoreAccess.openExisting(file, store: trial.store)
        let outcome = try CohortAssignment.run(file, cohortPath: cohort, store: store)
        if let out { try CohortAssignment.write(outcome.run.assignments, to: out) }
        outcome.lines.forEach { print($0) }
        if let out { print("assignments written to \(out)") }
    }

    private func runQuick() throws {
        let armNames = commaList(arms)
        let strataColumns = commaList(strata)
        let chosen: RandomisationMethod
        switch method ?? (strataColumns.isEmpty ? .complete : .blocked) {
        case .complete: chosen = .complete
        case .simple: chosen = .simple
        case .blocked: chosen = .blocked
        }
        let run = try QuickDraw.run(cohortPath: cohort, idColumn: idColumn!, arms: armNames,
                                    weights: ratio.flatMap(Self.weights) ?? Array(repeating: 1, count: armNames.count),
                                    method: chosen, strata: strataColumns, seed: UInt64(seed!))
        let summary = "assigned \(run.assignments.count) units (\(TrialStoreAccess.countsByArm(armNames, run.assignments.map(\.arm)))) "
            + "by \(chosen.rawValue), seed \(seed!), generator mt19937; nothing stored (no design)"
        if let out {
            try CohortAssignment.write(run.assignments, to: out)
            print(summary)
            print("assignments written to \(out)")
        } else {
            print(CohortAssignment.csv(run.assignments), terminator: "")
            printError(summary)
        }
    }
}
