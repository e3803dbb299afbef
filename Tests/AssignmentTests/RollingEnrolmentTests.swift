import Assignment
import Basics
import NumericCore
import TestSupport
import Testing
import TrialData
@testable import TrialDesign

/// Permuted blocks, minimisation, capacity and the replay that makes rolling enrolment reproducible.
@Suite struct RollingEnrolmentTests {
    func allocation(_ w: [Int]) throws -> Allocation { try Allocation(arms: w.indices.map { "a\($0)" }, weights: w) }

    @Test func everyCompletedPermutedBlockHoldsTheExactRatio() throws {
        for (w, sizes) in Grid.product([[1, 1], [2, 1], [1, 1, 1]], [[1], [1, 2], [2, 3], [1, 2, 4]]) {
            let a = try allocation(w)
            let blockSizes = sizes.map { $0 * a.total }
            var engine = try PermutedBlocks(allocation: a, sizes: blockSizes)
            let g = RandomGenerator(seed: 11)
            var blocks: [String: [Int]] = [:]
            var sizeOf: [String: Int] = [:]
            for i in 0..<200 {
                let stratum = i % 3 == 0 ? "s1" : "s2"
                let d = engine.next(stratum: stratum, generator: g)
                #expect(blockSizes.contains(d.blockSize))
                blocks["\(stratum)#\(d.block)", default: []].append(d.arm)
                sizeOf["\(stratum)#\(d.block)"] = d.blockSize
            }
            for (label, arms) in blocks {
                let size = sizeOf[label]!
                #expect(arms.count <= size)
                for k in w.indices {
                    let count = arms.filter { $0 == k }.count
                    if arms.count == size { #expect(count == size * w[k] / a.total, "w \(w) \(label)") }
                    else { #expect(count <= size * w[k] / a.total, "w \(w) \(label)") }
                }
            }
        }
    }

    @Test func blockSizesAreDrawnFromTheList() throws {
        var engine = try PermutedBlocks(allocation: try allocation([1, 1]), sizes: [2, 4])
        let g = RandomGenerator(seed: 5)
        var seen: Set<Int> = []
        for _ in 0..<100 { seen.insert(engine.next(stratum: "s", generator: g).blockSize) }
        #expect(seen == [2, 4])
        #expect(throws: AssignmentError.invalidBlockSize(3, ratioSum: 2)) { try PermutedBlocks(allocation: try allocation([1, 1]), sizes: [3]) }
    }

    @Test func minimisationFollowsWithTheStatedProbabilityAndKeepsMarginsClose() throws {
        let a = try allocation([1, 1])
        var m = try Minimisation(allocation: a, factors: ["sex", "site"], followProbability: 0.8)
        let g = RandomGenerator(seed: 21)
        var arms: [Int] = []
        var levels: [[String: String]] = []
        for i in 0..<200 {
            let l = ["sex": i % 3 == 0 ? "f" : "m", "site": "s\(i % 4)"]
            let before = m.imbalance(levels: l)
            let d = m.next(levels: l, generator: g)
            if before[0] == before[1] { #expect(d.probability == 0.5) }
            else {
                let preferred = before[0] < before[1] ? 0 : 1
                #expect(isClose(d.probability, d.arm == preferred ? 0.8 : 0.2, relative: 1e-12))
            }
            arms.append(d.arm)
            levels.append(l)
        }
        // Marginal imbalance on every level stays small (Pocock–Simon's purpose): at most 4 here.
        for (factor, values) in [("sex", ["f", "m"]), ("site", ["s0", "s1", "s2", "s3"])] {
            for v in values {
                let members = levels.indices.filter { levels[$0][factor] == v }
                let treated = members.filter { arms[$0] == 1 }.count
                #expect(abs(2 * treated - members.count) <= 4, "\(factor)=\(v)")
            }
        }
        // With follow probability 1 and one factor, the arms alternate perfectly within the level.
        var strict = try Minimisation(allocation: a, factors: ["f"], followProbability: 1)
        let h = RandomGenerator(seed: 1)
        let seq = (0..<10).map { _ in strict.next(levels: ["f": "x"], generator: h).arm }
        for pair in stride(from: 0, to: 10, by: 2) { #expect(seq[pair] != seq[pair + 1]) }
    }

    @Test func capacityLedgerPlacesWithTheLeastLoadedCaseManagerAndWaitlists() throws {
        let capacity = Capacity(arm: "intervention", caseManagers: 2, caseload: 2, whenFull: .keepRandomising)
        var ledger = CapacityLedger(capacity: capacity)
        #expect(ledger.admit(arm: "control") == (.notLimited, nil))
        let placed = (0..<4).map { _ in ledger.admit(arm: "intervention") }
        #expect(placed.map(\.caseManager) == ["cm1", "cm2", "cm1", "cm2"])
        #expect(ledger.isFull)
        #expect(ledger.admit(arm: "intervention") == (.waiting, nil))
        #expect(ledger.waiting == 1)
        // Restoring from stored records gives the same loads.
        var restored = CapacityLedger(capacity: capacity)
        restored.restore(status: .placed, caseManager: "cm1")
        #expect(restored.admit(arm: "intervention").caseManager == "cm2")
    }

    func units(_ file: String) throws -> [CohortUnit] {
        let design = try Design.load(path: Fixtures.path("fixtures/designs/assign-rolling.yaml"))
        let text = try Fixtures.contents(file)
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let rows = lines.dropFirst().enumerated().map { i, l in
            CohortRow(line: i + 2, fields: Dictionary(uniqueKeysWithValues: zip(header, l.split(separator: ",", omittingEmptySubsequences: false).map(String.init))))
        }
        let key = try Pseudonymizer(keyFile: Fixtures.path("fixtures/assignment/pseudonym.key"))
        return try CohortIntake(design: design, pseudonymizer: key, source: file).units(rows)
    }

    @Test func batchOfARollingDesignEqualsEnrollingOneAtATime() throws {
        let design = try Design.load(path: Fixtures.path("fixtures/designs/assign-rolling.yaml"))
        let plan = AssignmentPlan(design: design)
        let cohort = try units("fixtures/assignment/cohort-112.csv")
        let batch = try TrialAssigner(plan: plan, source: "cohort").run(cohort)
        #expect(batch.assignments.count == 112)
        var prior: [PriorAssignment] = []
        for unit in cohort {
            let one = try TrialAssigner(plan: plan, source: "enrol").run([unit], prior: prior)
            let a = try #require(one.assignments.first)
            prior.append(PriorAssignment(unitID: a.unitID, arm: a.arm, attributes: unit.attributes,
                                         capacityStatus: a.capacityStatus, caseManager: a.caseManager))
        }
        #expect(prior.map(\.arm) == batch.assignments.map(\.arm))
        #expect(prior.map(\.caseManager) == batch.assignments.map(\.caseManager))
        // A tampered history does not replay.
        var tampered = prior
        tampered[3].arm = tampered[3].arm == "control" ? "intervention" : "control"
        #expect(throws: AssignmentError.self) { try TrialAssigner(plan: plan, source: "enrol").run([], prior: tampered) }
    }

    @Test func pauseRefusesWhenFullAndKeepRandomisingWaitlists() throws {
        let cohort = try units("fixtures/assignment/cohort-112.csv")
        let full = AssignmentPlan(design: try Design.load(path: Fixtures.path("fixtures/designs/assign-full.yaml")))
        #expect(throws: AssignmentError.self) { try TrialAssigner(plan: full, source: "c").run(cohort) }
        do { _ = try TrialAssigner(plan: full, source: "c").run(cohort) } catch let error as AssignmentError {
            #expect(error.description.contains("the intervention arm is full (3 of 3 places taken)"))
            #expect(error.description.contains("when_full: pause"))
        }
        let waitlist = AssignmentPlan(design: try Design.load(path: Fixtures.path("fixtures/designs/assign-waitlist.yaml")))
        let run = try TrialAssigner(plan: waitlist, source: "c").run(cohort)
        let intervention = run.assignments.filter { $0.arm == "intervention" }
        #expect(intervention.prefix(4).allSatisfy { $0.capacityStatus == .placed })
        #expect(intervention.dropFirst(4).allSatisfy { $0.capacityStatus == .waiting && $0.caseManager == nil })
        #expect(run.ledger.waiting == intervention.count - 4)
        #expect(run.assignments.filter { $0.arm == "control" }.allSatisfy { $0.capacityStatus == .notLimited })
    }

    @Test func minimisationDesignRunsAndRecordsConditionalProbabilities() throws {
        let plan = AssignmentPlan(design: try Design.load(path: Fixtures.path("fixtures/designs/assign-minimisation.yaml")))
        let run = try TrialAssigner(plan: plan, source: "c").run(try units("fixtures/assignment/cohort-112.csv"))
        #expect(run.assignments.count == 112)
        for p in run.assignments.map(\.probability) {
            #expect([0.5, 0.8, 0.2].contains { isClose(p, $0, relative: 1e-12) }, "probability \(p)")
        }
        let treated = run.assignments.filter { $0.arm == "intervention" }.count
        #expect(abs(2 * treated - 112) <= 4)
    }
}
