import Assignment
import Ingest
import TrialDesign

/// A quick draw without a design (`rct assign --cohort FILE --id-column C --seed S …`): a cohort file in
/// the standard dialect, assigned with a chosen method, arms and ratio; nothing is stored.
public enum QuickDraw {
    public static func run(cohortPath: String, idColumn: String, arms: [String], weights: [Int], method: RandomisationMethod,
                           strata: [String], seed: UInt64) throws -> AssignmentRun {
        let allocation = try Allocation(arms: arms, weights: weights)
        let plan = AssignmentPlan(method: method, allocation: allocation, seed: seed, strata: strata.map { StratumColumn(column: $0) })
        var intake = CohortIntake(idColumn: idColumn, source: cohortPath)
        // Nothing but identifiers and arms is written by a quick draw, so other columns are not checked.
        intake.refusesNationalNumbersInAttributes = false
        let cohort = try CohortReader.read(path: cohortPath, dialect: .standard)
        try intake.checkHeader(cohort.header)
        try plan.checkHeader(cohort.header, source: cohortPath)
        return try TrialAssigner(plan: plan, source: cohortPath).run(try intake.units(cohort.rows))
    }
}
