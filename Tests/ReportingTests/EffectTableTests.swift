import Foundation
import Testing
import TestSupport
@testable import Reporting

/// Golden-file tests of the published effect tables, and the small-cell rule in every output.
/// Regenerate the golden files after an intended change with `RCT_UPDATE_GOLDEN=1 make test`, and read
/// the diff before committing it.
@Suite struct EffectTableTests {
    let policy = SmallCellPolicy(threshold: 5)

    func assertGolden(_ text: String, _ relative: String) throws {
        let path = Fixtures.path(relative)
        if ProcessInfo.processInfo.environment["RCT_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try Fixtures.contents(relative)
        #expect(text == expected, "output differs from \(relative); if intended, regenerate with RCT_UPDATE_GOLDEN=1")
    }

    @Test func markdownMatchesGoldenFile() throws {
        try assertGolden(EffectTableWriter.markdown(Sample.table, policy: policy), "fixtures/reporting/effects.md")
    }

    @Test func csvMatchesGoldenFile() throws {
        try assertGolden(EffectTableWriter.csv(Sample.table, policy: policy), "fixtures/reporting/effects.csv")
    }

    @Test func csvHasOneRowPerOutcomeWaveAndTerm() throws {
        let lines = EffectTableWriter.csv(Sample.table, policy: .none).split(separator: "\n")
        // supplementary_aid: m6 ITT + received, m12 ITT; aid_amount m6; art60 m6; knows_rights m6.
        #expect(lines.count == 1 + 6)
        #expect(lines[0].hasPrefix("family,outcome,label,wave,estimand,term,estimate,std_error,"))
        #expect(lines[1].hasPrefix("financial,supplementary_aid,Receives supplementary aid,m6,itt,intervention,0.25,0.089,"))
        #expect(lines[2].contains(",m6,treatment_received,intervention,0.3125,0.11,"))
        // Full precision in CSV, and the relative effect of a binary outcome (0.25 / 0.25 = 1).
        #expect(lines[1].hasSuffix(",56,0.25,0.437,56,0.5,0.505,1.0,false"))
    }

    @Test func relativeEffectIsShownForBinaryOutcomesOnly() throws {
        let md = EffectTableWriter.markdown(Sample.table, policy: policy)
        #expect(md.contains("+100.0%"))
        #expect(md.contains("| Supplementary aid (euro) | 212.5 (340.2) | 388.8 (410.9) | 176.2 (71.3) |"))
    }

    /// The control arm of `art60` has 3 families with the outcome: its mean (0.054) and that count must
    /// appear in no published output; the unsuppressed table shows them.
    @Test func smallCellNeverAppearsInAnyPublishedOutput() throws {
        let outputs = [
            EffectTableWriter.markdown(Sample.table, policy: policy),
            EffectTableWriter.latex(Sample.table, policy: policy),
            EffectTableWriter.html(Sample.table, policy: policy),
            ForestPlot.svg(Sample.table, policy: policy),
        ]
        for text in outputs {
            #expect(!text.contains("0.054"), "small-cell mean leaked")
            #expect(!text.contains("0.125"), "complementary cell leaked")
        }
        let csv = EffectTableWriter.csv(Sample.table, policy: policy)
        let art60 = try #require(csv.split(separator: "\n").first { $0.contains(",art60,") })
        #expect(!art60.contains("0.0535714"))
        #expect(art60.hasSuffix(",,,,,,,,true"))
        #expect(EffectTableWriter.markdown(Sample.table, policy: .none).contains("0.054 (0.227)"))
    }

    @Test func latexEscapesSpecialCharacters() throws {
        let tex = EffectTableWriter.latex(Sample.table, policy: policy)
        // Nine columns per wave: the sample table has a randomization-inference p-value, so "RI p" is shown.
        #expect(tex.contains("\\begin{tabular}{l" + String(repeating: "r", count: 18) + "}"))
        #expect(tex.contains("\\multicolumn{9}{c}{6 months}"))
        #expect(tex.contains("Art. 60 | employment"))
        #expect(tex.contains("\\textless{}0.001"))
    }
}
