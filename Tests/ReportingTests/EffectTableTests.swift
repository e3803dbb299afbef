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
        #expect(lines[0].hasSuffix(",relative_effect,suppressed,difference_of_means,better"))
        #expect(lines[1].hasPrefix("financial,supplementary_aid,Receives supplementary aid,m6,itt,intervention,0.25,0.089,"))
        #expect(lines[2].contains(",m6,treatment_received,intervention,0.3125,0.11,"))
        // Full precision in CSV, the relative effect (0.25 / 0.25 = 1), the difference of means and the direction.
        #expect(lines[1].hasSuffix(",56,0.25,0.437,56,0.5,0.505,1.0,false,0.25,higher"))
        // The relative effect of an amount too: 176.25 / 212.5.
        let amount = try #require(lines.first { $0.hasPrefix("financial,aid_amount,Supplementary aid (euro),m6,itt,") })
        #expect(amount.contains(",\(176.25 / 212.5),false,176.25,"))
    }

    /// broom / estimatr's names (`rct report --names broom`): the same columns and values under R's names.
    @Test func csvWithBroomNames() throws {
        let rct = EffectTableWriter.csv(Sample.table, policy: policy).split(separator: "\n")
        let broom = EffectTableWriter.csv(Sample.table, policy: policy, names: .broom).split(separator: "\n")
        #expect(broom[0] == "family,outcome,label,wave,estimand,term,estimate,std.error,statistic,df,p.value,conf.low,conf.high,"
            + "nobs,nclusters,adj.p.value,ri.p.value,control.n,control.mean,control.sd,intervention.n,intervention.mean,"
            + "intervention.sd,relative.effect,suppressed,difference.of.means,better")
        #expect(Array(rct.dropFirst()) == Array(broom.dropFirst()))
        #expect(CSVNames.rct.name("std_error") == "std_error")
    }

    /// The relative effect is shown for every outcome whose control mean is not 0 (an amount in euro
    /// too); the difference of means stands beside the adjusted effect.
    @Test func relativeEffectForEveryNonZeroControlMeanAndTheDifferenceOfMeans() throws {
        let md = EffectTableWriter.markdown(Sample.table, policy: policy)
        #expect(md.contains("+100.0%"))
        #expect(md.contains("| Supplementary aid (euro) | 6 months |  | 212.5 (340.2) | 388.8 (410.9) | 176.2 | 176.2 (71.3) | [35.1, 317.4] | 0.015 | 0.031 | +82.9% | 112 |"), "\(md)")
        // knows_rights: control mean 0, no relative effect.
        #expect(md.contains("| Knowledge of rights (index) † | 6 months | 0.000 (1.000) | 0.410 (0.930) | 0.410 | 0.410 (0.200) | [0.014, 0.806] | <0.001 | <0.001 | 0.001 |  | 92 |"), "\(md)")
    }

    /// The notes under each table say what every number is: the covariates of the adjusted effect by
    /// name, the difference of means, and why a sharpened q can be smaller than p.
    @Test func notesSayWhatEachNumberIs() throws {
        let md = EffectTableWriter.markdown(Sample.table, policy: policy)
        #expect(md.contains("adjusted for Single-parent family; Weak domains (3–6), with the strata as fixed effects"))
        #expect(md.contains("it is why the effect differs from the difference of means"))
        #expect(md.contains("controls the false discovery rate within the family: it can be smaller than p."))
        #expect(md.contains("| q (sharpened) |"))
        #expect(md.contains("| Holm p |"))  // the survey family's own correction
        #expect(md.contains("- Better: which values are good for the families"))
        #expect(md.contains("| Receives supplementary aid † | 6 months | ↑ higher |"))
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
        #expect(art60.hasSuffix(",,,,,,,,true,,"))
        #expect(EffectTableWriter.markdown(Sample.table, policy: .none).contains("0.054 (0.227)"))
    }

    @Test func latexEscapesSpecialCharacters() throws {
        let tex = EffectTableWriter.latex(Sample.table, policy: policy)
        // Outcome and wave, then ten columns in the financial family (better, control, intervention,
        // difference, effect, CI, p, q, relative, N: no RI p, which only the survey family has).
        #expect(tex.contains("\\begin{tabular}{ll" + String(repeating: "r", count: 10) + "}"))
        #expect(tex.contains("Art. 60 | employment"))
        #expect(tex.contains("\\textless{}0.001"))
        #expect(tex.contains("& $\\uparrow$ higher &") && !tex.contains("↑"))
    }

    /// Dutch tables: the catalogue's words and a decimal comma; the CSV keeps its point.
    @Test func dutchTablesUseTheCatalogueAndADecimalComma() throws {
        let md = EffectTableWriter.markdown(Sample.table, policy: policy, catalogue: .dutch)
        #expect(md.contains("| Uitkomst | Meetmoment | Beter | Controlegroep: gemiddelde (SD) | Interventiegroep: gemiddelde (SD) | Verschil van de gemiddelden | Effect, aangepast (SE) | 95%-betrouwbaarheidsinterval |"))
        #expect(md.contains("| 0,250 (0,437) | 0,500 (0,505) | 0,250 |"))
        #expect(md.contains("[0,074; 0,426]"))
        #expect(md.contains("afgeschermd"))
        #expect(md.contains("aangepast voor Single-parent family; Weak domains (3–6)"))
        for english in ["Control group", "Adjusted effect", "suppressed", "0.250"] { #expect(!md.contains(english), "\(english)") }
        #expect(EffectTableWriter.csv(Sample.table, policy: policy).contains(",0.25,0.437,"))
    }
}
