import Foundation
import Testing
import TestSupport

/// Reproducibility across versions: a stored trial is replayed from its seed on every `enrol` and
/// `verify --design`, so the draws for a given design, cohort and seed must never change. These
/// sequences were produced by this implementation (mt19937 via GSL, the algorithms of
/// docs/assignment.md) on the 112-family fixture cohort; C = control, I = intervention. If this test
/// fails, an algorithm or the order of draws changed: every existing store would stop replaying.
@Suite struct PinnedSequenceTests {
    static let cases: [(design: String, arms: String)] = [
        ("assign-rolling", "IICCICCCICIIICCIIICCCIIIICICCCCICICCIICIICCCIIICCCCIICIIIICCCIIICCICCICIICCIICIIICCCCCIIIICCCIICCICICICIICCCCICI"),
        ("assign-complete", "ICCCIIIIICCICCICICIIIICCICCCCICICIIICICICICCCCCCCICICICIICCICIIICIIICCICIICCIICICIIIICCIIICIIICICCICCIIICCCCCCCI"),
        ("assign-minimisation", "ICICCICICICIICCICICCCIIIICICIICCIICCICICCICCIIICCIIICCICCCICIICCIICIICICCIICICICIICCICCIICICIICCIIICCCCCCCIICCCI"),
    ]

    @Test(arguments: cases.map(\.design))
    func designRunsGiveThePinnedArms(design: String) throws {
        let expected = Self.cases.first { $0.design == design }!.arms
        let dir = try Fixtures.temporaryDirectory("pinned")
        let store = dir.appendingPathComponent("t.sqlite").path, out = dir.appendingPathComponent("a.csv").path
        #expect(try RCTBinary.run(["init", "fixtures/designs/\(design).yaml", "--store", store]).status == 0)
        let r = try RCTBinary.run(["assign", "fixtures/designs/\(design).yaml", "--store", store,
                                   "--cohort", "fixtures/assignment/cohort-112.csv", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let arms = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] == "control" ? "C" : "I" }.joined()
        #expect(arms == expected)
    }

    @Test func quickDrawGivesThePinnedArms() throws {
        let r = try RCTBinary.run(["assign", "--cohort", "fixtures/assignment/cohort-112.csv", "--id-column", "family_id",
                                   "--strata", "deprivation_band", "--arms", "control,a,b", "--ratio", "2:1:1", "--seed", "99"])
        #expect(r.status == 0, "\(r.stderr)")
        let arms = r.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[2].prefix(1)) }.joined()
        #expect(arms == "ccbacaccabccacbaacabcaacccabcabbccccabcccaabcccbcbbaccccbacaccaccbbbccbccbababcccbbaccbcbbccccacacccabbacbcccaaa")
        // 2:1:1 blocked within two strata of 51 and 61: each stratum gives ⌊n/2⌋ or ⌈n/2⌉ to control.
        #expect((55...57).contains(arms.filter { $0 == "c" }.count))
    }
}
