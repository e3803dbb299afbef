import Assignment
import Basics
import NumericCore
import TestSupport
import Testing
import TrialData
@testable import TrialDesign

/// `TrialAssigner` on batch plans: clusters, blocks, capacity, and the national-number safety net.
@Suite struct BatchPlanTests {
    func units(_ n: Int, _ attributes: (Int) -> [String: String]) -> [CohortUnit] {
        (0..<n).map { CohortUnit(id: "U\($0)", line: $0 + 2, attributes: attributes($0)) }
    }

    @Test func blockedClusteredKeepsClustersTogetherAndBalancesClustersPerBlock() throws {
        let allocation = try Allocation(arms: ["control", "treatment"], weights: [1, 1])
        let plan = AssignmentPlan(method: .blockedClustered, allocation: allocation, seed: 4,
                                  strata: [StratumColumn(column: "site")], clusterColumn: "school")
        // Site A: 4 schools of 3 pupils; site B: 3 schools of 2 pupils.
        let cohort = units(18) { i in i < 12 ? ["site": "A", "school": "a\(i / 3)"] : ["site": "B", "school": "b\((i - 12) / 2)"] }
        let run = try TrialAssigner(plan: plan, source: "c").run(cohort)
        let armOf = Dictionary(uniqueKeysWithValues: run.assignments.map { ($0.unitID, $0) })
        var schoolArm: [String: String] = [:]
        for u in cohort {
            let a = armOf[u.id]!
            #expect(a.cluster == u.attributes["school"] && a.block == u.attributes["site"] && a.probability == 0.5)
            if let earlier = schoolArm[a.cluster!] { #expect(earlier == a.arm) } else { schoolArm[a.cluster!] = a.arm }
        }
        #expect(schoolArm.filter { $0.key.hasPrefix("a") && $0.value == "treatment" }.count == 2)
        #expect([1, 2].contains(schoolArm.filter { $0.key.hasPrefix("b") && $0.value == "treatment" }.count))
        // A cluster in two blocks is refused.
        var crossing = cohort
        crossing[0].attributes["site"] = "B"
        #expect(throws: AssignmentError.self) { try TrialAssigner(plan: plan, source: "c").run(crossing) }
    }

    @Test func completeDesignRefusesABatchBeyondCapacityAndASecondBatch() throws {
        let design = try Design.load(path: Fixtures.path("fixtures/designs/assign-complete.yaml"))
        var plan = AssignmentPlan(design: design)
        plan.capacity = Capacity(arm: "intervention", caseManagers: 1, caseload: 5, whenFull: .pause)
        plan.eligibility = Eligibility(rules: [])
        let cohort = units(20) { i in ["deprivation_band": i % 2 == 0 ? "3" : "4-6", "enrolled_on": "2018-01-0\(i % 9 + 1)"] }
        #expect(throws: AssignmentError.capacityExceeded(arm: "intervention", needed: 10, free: 5)) {
            try TrialAssigner(plan: plan, source: "c").run(cohort)
        }
        plan.capacity = nil
        let run = try TrialAssigner(plan: plan, source: "c").run(cohort)
        #expect(run.assignments.filter { $0.arm == "intervention" }.count == 10)
        #expect(run.assignments.allSatisfy { $0.procedure == "complete" && $0.seed == 20170401 && $0.generator == "mt19937" })
        let prior = run.assignments.map { PriorAssignment(unitID: $0.unitID, arm: $0.arm, attributes: [:], capacityStatus: .notLimited, caseManager: nil) }
        #expect(throws: AssignmentError.self) { try TrialAssigner(plan: plan, source: "c").run(units(1) { _ in [:] }, prior: prior) }
    }

    @Test func aNationalNumberOutsideTheDeclaredColumnsIsRefused() throws {
        let key = try Pseudonymizer(keyFile: Fixtures.path("fixtures/assignment/pseudonym.key"))
        let design = try Design.load(path: Fixtures.path("fixtures/designs/assign-rolling.yaml"))
        let intake = CohortIntake(design: design, pseudonymizer: key, source: "c.csv")
        let row = CohortRow(line: 3, fields: ["family_id": "F1", "insz": "93051822361", "partner": "73.01.11-361.73"])
        do { _ = try intake.unit(row); Issue.record("expected a refusal") } catch let error as AssignmentError {
            #expect(error.description.hasPrefix("c.csv:3: column partner holds a national number"))
            #expect(!error.description.contains("73011136173") && !error.description.contains("73.01.11-361.73"))
        }
        // An 11-digit number whose check digits do not match is not a national number.
        #expect(try intake.unit(CohortRow(line: 3, fields: ["family_id": "F1", "insz": "93051822361", "phone": "72011136173"])).attributes["phone"] == "72011136173")
        // A study-code identifier that is a national number is refused as well.
        let codes = CohortIntake(idColumn: "id", source: "q.csv")
        #expect(throws: AssignmentError.self) { try codes.unit(CohortRow(line: 2, fields: ["id": "88022999990"])) }
    }
}
