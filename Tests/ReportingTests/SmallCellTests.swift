import Testing
import TestSupport
@testable import Reporting

@Suite struct SmallCellTests {
    @Test(arguments: [0, 1, 3, 5, 10])
    func countsBelowTheThresholdAreHidden(threshold: Int) {
        let policy = SmallCellPolicy(threshold: threshold)
        for count in 0...12 {
            let shown = policy.show(count: count)
            if count == 0 || count >= threshold { #expect(shown == String(count)) }
            else { #expect(shown == "<\(threshold)") }
        }
    }

    @Test func summariesAreSuppressedWhenEitherArmOrEitherBinaryCountIsSmall() {
        let policy = SmallCellPolicy(threshold: 5)
        let t = Sample.term("z", 0.1, 0.1, 0.3, n: 40)
        // Grid over positives of the control arm (n = 20): 1…4 and 16…19 are small (ones or zeros).
        for positives in 0...20 {
            let e = WaveEffect(wave: "m6", control: ArmSummary(n: 20, mean: Double(positives) / 20, sd: 0.5, positives: positives),
                               intervention: ArmSummary(n: 20, mean: 0.5, sd: 0.5, positives: 10), itt: t)
            let small = (1...4).contains(positives) || (16...19).contains(positives)
            #expect(policy.suppressesSummaries(of: e, kind: .binary) == small, "positives = \(positives)")
            #expect(policy.suppressesSummaries(of: e, kind: .continuous) == false)
        }
        let tiny = WaveEffect(wave: "m6", control: ArmSummary(n: 4, mean: 1, sd: 1), intervention: ArmSummary(n: 30, mean: 1, sd: 1), itt: t)
        #expect(policy.suppressesSummaries(of: tiny, kind: .continuous))
        #expect(!SmallCellPolicy.none.suppressesSummaries(of: tiny, kind: .continuous))
    }

    /// Baseline balance rows follow the same rule as the effect table's arm summaries: either arm's count,
    /// or a binary covariate's units with or without it, below the threshold.
    @Test func balanceRowsFollowTheSameRule() {
        let policy = SmallCellPolicy(threshold: 5)
        for positives in 0...20 {
            let row = BalanceRow(label: "x", control: ArmSummary(n: 20, mean: 0.5, sd: 0.5, positives: positives),
                                 intervention: ArmSummary(n: 20, mean: 0.5, sd: 0.5, positives: 10), standardizedDifference: 0)
            let small = (1...4).contains(positives) || (16...19).contains(positives)
            #expect(policy.suppressesSummaries(of: row) == small, "positives = \(positives)")
        }
        let continuous = BalanceRow(label: "age", control: ArmSummary(n: 3, mean: 30, sd: 5),
                                    intervention: ArmSummary(n: 30, mean: 31, sd: 5), standardizedDifference: 0.1)
        #expect(policy.suppressesSummaries(of: continuous))
        #expect(!SmallCellPolicy.none.suppressesSummaries(of: continuous))
    }

    /// The N of a comparison: in full when its summaries are published, under the count rule when not.
    @Test(arguments: [0, 1, 5])
    func theNOfASuppressedComparisonFollowsTheCountRule(threshold: Int) {
        let policy = SmallCellPolicy(threshold: threshold)
        for n in 0...12 {
            #expect(policy.show(count: n, summariesSuppressed: false) == String(n))
            #expect(policy.show(count: n, summariesSuppressed: true) == policy.show(count: n))
        }
        #expect(policy.isActive == (threshold > 0))
    }
}
