import Assignment
import Basics
import Foundation
import Testing
import TrialData
import TrialDesign

/// A list of clusters (`level: cluster`) turned into one assignment per family, on plain values: every
/// family inherits its cluster's arm and keeps its own enrolment date; the probability is counted in
/// clusters, never in families; every check applies at the cluster level.
@Suite struct ClusterListTests {
    static func context(window: (from: CalendarDate, to: CalendarDate, origin: String)? = nil,
                        already: [String: (record: Int, arm: String, assignedOn: CalendarDate)] = [:],
                        probabilityColumn: String? = nil) throws -> ClusterAssignmentReview.Context {
        let list = ExternalAssignmentContext(
            file: "workers.csv", cohortName: "cohort.csv", allocation: try Allocation(arms: ["control", "intervention"], weights: [1, 1]),
            method: .blockedClustered, idColumn: "worker", armColumn: "groep", dateColumn: "", probabilityColumn: probabilityColumn,
            screening: [:], alreadyAssigned: already, window: window)
        return .init(list: list, clusterColumn: "caseworker", enrolmentColumn: "enrolled_on")
    }

    static func d(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

    /// Site A: worker a1 (intervention) with five families, a2 and a3 (control) with one each; site B:
    /// b1 (intervention), b2 (control), one family each, and one family of b2 screened out.
    static let members: [ClusterMember] = [
        .init(unitID: "F1", line: 2, cluster: "a1", enrolledOn: d("2018-02-01"), stratum: "A", eligible: true),
        .init(unitID: "F2", line: 3, cluster: "a1", enrolledOn: d("2018-02-03"), stratum: "A", eligible: true),
        .init(unitID: "F3", line: 4, cluster: "a1", enrolledOn: d("2018-03-01"), stratum: "A", eligible: true),
        .init(unitID: "F4", line: 5, cluster: "a1", enrolledOn: d("2018-04-01"), stratum: "A", eligible: true),
        .init(unitID: "F5", line: 6, cluster: "a1", enrolledOn: d("2018-05-01"), stratum: "A", eligible: true),
        .init(unitID: "F6", line: 7, cluster: "a2", enrolledOn: d("2018-02-10"), stratum: "A", eligible: true),
        .init(unitID: "F7", line: 8, cluster: "a3", enrolledOn: d("2018-06-10"), stratum: "A", eligible: true),
        .init(unitID: "F8", line: 9, cluster: "b1", enrolledOn: d("2018-01-15"), stratum: "B", eligible: true),
        .init(unitID: "F9", line: 10, cluster: "b2", enrolledOn: d("2018-07-01"), stratum: "B", eligible: true),
        .init(unitID: "F10", line: 11, cluster: "b2", enrolledOn: nil, dateProblem: "the enrolment date is empty", stratum: "B", eligible: false),
    ]
    static let rows: [ClusterAssignmentRow] = [
        .init(line: 2, cluster: "a1", arm: "intervention"), .init(line: 3, cluster: "a2", arm: "control"),
        .init(line: 4, cluster: "a3", arm: "control"), .init(line: 5, cluster: "b1", arm: "intervention"),
        .init(line: 6, cluster: "b2", arm: "control"),
    ]

    @Test func familiesInheritTheirClustersArmWithTheirOwnDateAndAProbabilityCountedInClusters() throws {
        let r = ClusterAssignmentReview.review(Self.rows, members: Self.members, context: try Self.context())
        #expect(r.problems.isEmpty, "\(r.problems)")
        // Every eligible family once, in the cohort's order; the screened-out F10 is not assigned.
        #expect(r.assignments.map(\.unitID) == ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"])
        #expect(r.assignments.map(\.arm) == ["intervention", "intervention", "intervention", "intervention", "intervention",
                                             "control", "control", "intervention", "control"])
        #expect(r.assignments.map(\.assignedOn) == Self.members.prefix(9).map { $0.enrolledOn! })
        #expect(r.assignments.map(\.cluster) == ["a1", "a1", "a1", "a1", "a1", "a2", "a3", "b1", "b2"])
        // Site A: 1 of 3 workers in the intervention arm, so p = 1/3 for its families (not 5/7 of the
        // families), 2/3 for control; site B: 1/2.
        let p = r.assignments.map(\.probability)
        #expect(p.prefix(5).allSatisfy { abs($0 - 1.0 / 3) < 1e-15 })
        #expect(abs(p[5] - 2.0 / 3) < 1e-15 && abs(p[6] - 2.0 / 3) < 1e-15)
        #expect(p[7] == 0.5 && p[8] == 0.5)
        #expect(r.probabilitiesDerived)
        #expect(r.derivation?.contains("by counting clusters") == true
                && r.derivation?.contains("A: control 2/3, intervention 1/3; B: control 1/2, intervention 1/2") == true)
        // Shares are of clusters: A 2 control, 1 intervention; B 1 and 1; binom.test(1, 3) = 1.
        #expect(r.strata.map(\.stratum) == ["A", "B"] && r.strata.map(\.counts) == [[2, 1], [1, 1]])
        #expect(r.strata.allSatisfy { $0.pValue == 1 })
        // Given probabilities are the cluster's, inherited as they are.
        var given = Self.rows
        for i in given.indices { given[i].probability = 0.5 }
        let g = ClusterAssignmentReview.review(given, members: Self.members, context: try Self.context(probabilityColumn: "kans"))
        #expect(g.problems.isEmpty && !g.probabilitiesDerived && g.assignments.allSatisfy { $0.probability == 0.5 })
    }

    @Test func everyCheckAppliesAtTheClusterLevel() throws {
        var rows = Self.rows
        rows[4] = .init(line: 6, cluster: "a1", arm: "control")          // a1 in two arms; b2 not on the list
        rows.append(.init(line: 7, cluster: "z9", arm: "intervention"))   // no family in the cohort
        rows.append(.init(line: 8, cluster: "b1", arm: "intervention"))   // listed twice
        rows.append(.init(line: 9, cluster: "c1", arm: "Interventie"))    // not an arm
        var members = Self.members
        members.append(.init(unitID: "F11", line: 12, cluster: nil, enrolledOn: Self.d("2018-03-03"), stratum: "B", eligible: true))
        members.append(.init(unitID: "F12", line: 13, cluster: "c1", enrolledOn: Self.d("2018-03-03"), stratum: "A", eligible: true))
        members.append(.init(unitID: "F13", line: 14, cluster: "c1", enrolledOn: Self.d("2018-03-03"), stratum: "B", eligible: true))
        members[7].enrolledOn = nil
        members[7].dateProblem = "enrolled_on \"31/02/2018\" is not a date (YYYY-MM-DD)"
        let window = (from: Self.d("2018-01-01"), to: Self.d("2018-06-30"), origin: "--window")
        let r = ClusterAssignmentReview.review(rows, members: members, context: try Self.context(
            window: window, already: ["F2": (record: 4, arm: "control", assignedOn: Self.d("2018-02-03"))]))
        let messages = r.problems.map(\.message)
        func has(_ s: String) -> Bool { messages.contains { $0.contains(s) } }
        #expect(has("workers.csv:6: cluster a1 is in two arms (intervention on line 2, control here)"))
        #expect(has("workers.csv:7: cluster z9 has no family in the cohort (cohort.csv, column caseworker)"))
        #expect(has("workers.csv:8: cluster b1 is listed twice (lines 5 and 8)"))
        #expect(has("workers.csv:9: groep \"Interventie\" is not an arm of the design (control, intervention)"))
        #expect(has("workers.csv:9: the families of cluster c1 lie in different strata (A, B)"))
        #expect(has("cohort.csv:10: family F9: its cluster b2 (caseworker) is not on the list workers.csv"))
        #expect(has("cohort.csv:12: family F11: the caseworker cell is empty"))
        #expect(has("cohort.csv:9: family F8: enrolled_on \"31/02/2018\" is not a date (YYYY-MM-DD)"))
        #expect(has("cohort.csv:10: family F9: enrolled_on 2018-07-01 is outside the enrolment window 2018-01-01 to 2018-06-30 (--window)"))
        #expect(has("cohort.csv:3: family F2 already has an arm in the store (control, assigned 2018-02-03, record 4)"))
        // The list's own lines first, then the cohort's, each in line order; nothing to import.
        #expect(messages.first?.hasPrefix("workers.csv:6:") == true && messages.last?.hasPrefix("cohort.csv:14:") != true)
        #expect(r.assignments.isEmpty && !r.isImportable)
    }

    @Test func aClusterWhoseFamiliesWereAllScreenedOutIsCountedAndNamed() throws {
        var members = Self.members
        members[8].eligible = false   // b2's only eligible family
        let r = ClusterAssignmentReview.review(Self.rows, members: members, context: try Self.context())
        #expect(r.problems.isEmpty)
        #expect(r.warnings.contains { $0.contains("workers.csv:6: every family of cluster b2 (2) was screened out") })
        // b2 was randomised: site B still has two clusters, so b1's family has p = 1/2.
        #expect(r.assignments.first { $0.unitID == "F8" }?.probability == 0.5)
        #expect(r.assignments.count == 8)
    }
}
