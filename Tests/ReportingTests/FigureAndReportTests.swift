import Foundation
import Testing
import TestSupport
@testable import Reporting

@Suite struct FigureAndReportTests {
    let policy = SmallCellPolicy(threshold: 5)

    static let flow = ConsortFlow(
        screened: 140,
        excluded: [CountedReason(reason: "birth outside the enrolment window", count: 9),
                   CountedReason(reason: "weak on fewer than 3 domains", count: 16),
                   CountedReason(reason: "no informed consent", count: 3)],
        randomised: 112,
        arms: [
            ArmFlow(id: "control", label: "control", comparedAs: "control", allocated: 56, received: nil, waves: [
                WaveFlow(id: "m6", label: "6 months", survey: FollowUp(followedUp: 47, lost: [CountedReason(reason: "no response", count: 9)]),
                         registries: FollowUp(followedUp: 56, lost: []),
                         analysed: [FamilyAnalysed(label: "Rights", outcomes: [.init(id: "knows", n: 47), .init(id: "fit", n: 44)]),
                                    FamilyAnalysed(label: "Support", outcomes: [.init(id: "aid", n: 56)])])]),
            ArmFlow(id: "intervention", label: "intervention", comparedAs: "intervention", allocated: 56, received: 51, waves: [
                WaveFlow(id: "m6", label: "6 months",
                         survey: FollowUp(followedUp: 45, lost: [CountedReason(reason: "no response", count: 7),
                                                                 CountedReason(reason: "outside the window", count: 4)]),
                         registries: FollowUp(followedUp: 56, lost: []),
                         analysed: [FamilyAnalysed(label: "Rights", outcomes: [.init(id: "knows", n: 45), .init(id: "fit", n: 45)]),
                                    FamilyAnalysed(label: "Support", outcomes: [.init(id: "aid", n: 56)])])]),
        ])

    /// The diagram's text, a wrapped line joined to the one before it (the SVG's entities read back).
    static func lines(_ svg: String) -> String {
        svg.split(separator: "\n").filter { $0.hasPrefix("<text") }.map { line -> String in
            let text = line.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }
            return String(text).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&amp;", with: "&")
        }.joined(separator: "\n").replacingOccurrences(of: "\n  ", with: " ")
    }

    /// The spaces inside a count do not break: "(n = 57)" is written with non-breaking spaces.
    static func count(_ s: String) -> String { s.replacingOccurrences(of: " ", with: "\u{00A0}") }

    @Test func consortShowsEveryCountAndHidesSmallOnesAndThoseThatGiveThemAway() {
        let svg = ConsortDiagram.svg(Self.flow, policy: policy)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        for (text, n) in [("Assessed for eligibility", "n = 140"), ("Excluded", "n = 28"), ("Randomised", "n = 112"),
                          ("Allocated to control", "n = 56"), ("Received the intervention", "n = 51"),
                          ("• no response", "n = 9"), ("Not interviewed", "n = 11"), ("Registries: followed up", "n = 56"),
                          ("• Rights", "n = 44–47"), ("• Rights", "n = 45"), ("• Support", "n = 56"),
                          // Primary: 3 and 4; secondary: 9 (28 − 16 − 3) and 7 (11 − 4), the smallest other parts.
                          ("no informed consent", "n < 5"), ("outside the window", "n < 5"),
                          ("birth outside the enrolment window", "n not shown"), ("• no response", "n not shown")] {
            #expect(Self.lines(svg).contains("\(text) (\(Self.count(n)))"), "missing \(text) (\(n))")
        }
        #expect(!svg.contains("(n = ") && !svg.contains("n = &lt;"), "a count with a breakable space or the old n = <5")
        #expect(!svg.contains("(3)") && !svg.contains("=\u{00A0}3)") && !svg.contains("=\u{00A0}4)") && !svg.contains("=\u{00A0}7)"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 7)
        // Every line of text closes the brackets it opens: no count is split over two lines.
        for line in svg.split(separator: "\n") where line.hasPrefix("<text") {
            #expect(line.filter { $0 == "(" }.count == line.filter { $0 == ")" }.count, "\(line)")
        }
    }

    @Test func forestPlotStandardizesByTheControlSD() {
        let svg = ForestPlot.svg(Sample.table, policy: policy)
        // supplementary_aid m6: 0.25 / 0.437 = 0.572, interval (0.25 ∓ 1.98 · 0.089) / 0.437.
        #expect(svg.contains("<title>Receives supplementary aid (6 months): 0.57 [0.17, 0.98]</title>"))
        #expect(svg.contains("Art. 60 | employment (6 months)"))
        #expect(svg.contains("not standardizable"))  // the suppressed small cell
        // Five comparisons, one of them suppressed: four markers.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 4)
    }

    /// "Favours intervention" follows each outcome's direction: ▶ where higher is better, ◀ where lower
    /// is, "not stated" where the design says nothing; the axis itself says only higher or lower.
    @Test func forestPlotSaysPerOutcomeWhichSideFavoursTheIntervention() {
        var table = Sample.table
        table.outcomes[1].better = .lower
        let svg = ForestPlot.svg(table, policy: policy)
        #expect(svg.contains(">Favours intervention</text>"))
        #expect(svg.components(separatedBy: ">▶</text>").count - 1 == 2)  // supplementary_aid at 6 and 12 months
        #expect(svg.components(separatedBy: ">◀</text>").count - 1 == 1)  // aid_amount
        #expect(svg.components(separatedBy: ">not stated</text>").count - 1 == 2)
        #expect(svg.contains("higher with the intervention ▶") && svg.contains("◀ lower with the intervention"))
        #expect(!svg.contains("favours intervention (higher)"))
    }

    /// A long label is wrapped over lines, never cut, and the full text is the line's tooltip.
    @Test func forestPlotWrapsLongLabelsAndKeepsTheFullTextInATitle() throws {
        var table = Sample.table
        let long = "One-off direct costs paid by the OCMW (medical costs, rental deposit, school costs, energy arrears)"
        table.outcomes[1].label = long
        let svg = ForestPlot.svg(table, policy: policy)
        #expect(!svg.contains("…"))
        #expect(svg.contains("<title>\(long) (6 months): "))
        let lines = SVGText.wrap(long + " (6 months)", width: ForestPlot.labelCharacters)
        #expect(lines.count == 3)
        #expect(lines.joined(separator: " ") == long + " (6 months)")
        for line in lines {
            #expect(line.count <= ForestPlot.labelCharacters)
            #expect(svg.contains(">\(line)</tspan>"), "\(line)")
        }
        // A word longer than a line is kept whole on a line of its own.
        #expect(SVGText.wrap("a \(String(repeating: "x", count: 60)) b", width: 20) == ["a", String(repeating: "x", count: 60), "b"])
    }

    /// The picture beside a family's table: the two groups' means with their 95% intervals before
    /// assignment and at each wave; suppressed cells are not drawn.
    @Test func meansPlotDrawsBaselineAndWavesWithTheirIntervals() throws {
        let svg = try #require(MeansPlot.svg(Sample.table, family: "financial", policy: policy))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        // supplementary_aid m6, control: 25% ± 1.959964 · 0.437 / √56 = ± 11.45 points.
        #expect(svg.contains("<title>25.0 [13.6, 36.4]</title>"), "\(svg)")
        #expect(svg.contains(">Before</tspan>"))
        // supplementary_aid: baseline, m6 and m12 per arm; aid_amount: m6 per arm; art60 suppressed.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 1 + 4)  // the legend's and the control points
        #expect(svg.components(separatedBy: "<rect").count - 1 == 1 + 4)
        #expect(!svg.contains("<title>5.4") && !svg.contains("<title>12.5"))
        #expect(MeansPlot.svg(Sample.table, family: "none", policy: policy) == nil)
    }

    @Test func normalQuantileMatchesReferenceValues() {
        // qnorm(1 - c(0.025, 0.005, 0.05, 0.0005)) in R.
        for (tail, z) in [(0.025, 1.959963984540054), (0.005, 2.575829303548901), (0.05, 1.644853626951472), (0.0005, 3.290526731491926)] {
            #expect(abs(NormalQuantile.upper(tail) - z) < 1e-8, "\(tail)")
        }
    }

    /// The summary for readers: means, the adjusted effect and which group it favours, by the design's direction.
    @Test func summaryUsesTheDirectionOfBenefit() {
        var table = Sample.table
        var lines = ReportSummary.sentences(table, policy: policy)
        #expect(lines.count == 3)  // supplementary_aid at two waves, knows_rights at one
        #expect(lines[0] == "Receives supplementary aid (6 months): 50.0% in the intervention group, 25.0% in the control group. "
            + "Adjusted effect +0.250 (95% CI 0.074 to 0.426; p = 0.006). The point estimate favours the intervention. "
            + "The interval excludes 0 (no effect).")
        #expect(lines[2].contains("The design does not say which direction is better."))
        table.outcomes[0].better = .lower
        lines = ReportSummary.sentences(table, policy: policy)
        #expect(lines[0].contains("The point estimate favours the control group."))
        #expect(lines[1].hasSuffix("The interval includes 0 (no effect)."))
        let dutch = ReportSummary.sentences(Sample.table, policy: policy, catalogue: .dutch)
        #expect(dutch[0].hasPrefix("Receives supplementary aid (6 months): 50,0% in de interventiegroep, 25,0% in de controlegroep. "
            + "Effect, aangepast: +0,250 (95%-betrouwbaarheidsinterval 0,074 tot 0,426; p = 0,006)."))
    }

    /// Subgroups with the design's labels, N per arm and level, and a level with a small cell suppressed.
    @Test func subgroupTableShowsLabelsCountsAndSuppresses() {
        let rows = [SubgroupRow(outcome: "Supplementary aid", wave: "6 months", subgroup: "Single-parent families", levels: [
            SubgroupLevelEffect(label: "Two-parent families", controlN: 40, interventionN: 38, estimate: Sample.term("z", 0.2, 0.1, 0.05, n: 78)),
            SubgroupLevelEffect(label: "Single-parent families", controlN: 16, interventionN: 3, estimate: Sample.term("z", 0.4567, 0.2, 0.02, n: 19)),
        ], interactionP: 0.52)]
        let html = SubgroupTable.html(rows, policy: policy)
        #expect(html.contains("<td>Two-parent families</td><td>40</td><td>38</td><td>0.200 (0.100)</td><td>0.520</td>"))
        #expect(html.contains("<td>Single-parent families</td><td>16</td><td>&lt;5</td><td class=\"suppressed\">suppressed</td><td></td>"))
        #expect(!html.contains("0.457") && !html.contains(">3<"))
        #expect(!html.contains("single_parent = "))
    }

    static func content(policy: SmallCellPolicy, language: ReportLanguage = .en) -> ReportContent {
        ReportContent(
            title: "MISSION <test>", registration: "AEA RCT Registry, trial 2786",
            prespecified: ["Estimator: Lin (2013) with HC2 standard errors."], deviations: [],
            consort: Self.flow,
            balance: BalanceTable(rows: [BalanceRow(label: "Single parent", control: ArmSummary(n: 56, mean: 0.3, sd: 0.46),
                                                    intervention: ArmSummary(n: 56, mean: 0.34, sd: 0.48), standardizedDifference: 0.085)],
                                  omnibus: TestResult(name: "F test of joint balance", statistic: 0.52, df: "3, 108", pValue: 0.67)),
            attrition: [AttritionRow(wave: "6 months", controlResponded: 47, controlAllocated: 56, interventionResponded: 45,
                                     interventionAllocated: 56, differential: [TestResult(name: "t", statistic: -0.4, df: "110", pValue: 0.69)],
                                     leeBounds: [LeeBoundsRow(outcome: "Knowledge of rights", lower: 0.31, upper: 0.52)])],
            effects: Sample.table,
            subgroups: [SubgroupRow(outcome: "Supplementary aid", wave: "6 months", subgroup: "deprivation band",
                                    levels: [SubgroupLevelEffect(label: "Weak on 3 domains", controlN: 30, interventionN: 30,
                                                                 estimate: Sample.term("z", 0.2, 0.1, 0.05, n: 60)),
                                             SubgroupLevelEffect(label: "Weak on 4 to 6 domains", controlN: 26, interventionN: 26,
                                                                 estimate: Sample.term("z", 0.3, 0.12, 0.02, n: 52))],
                                    interactionP: 0.52)],
            provenance: Provenance(software: "rct 0.1.0", designFile: "designs/x.yaml", designFingerprint: "abc123",
                                   dataFingerprints: [Labelled(id: "vdab", label: "def456")], seeds: ["randomisation: mt19937 seed 1"],
                                   generatedOn: "2026-11-28"),
            policy: policy, language: language)
    }

    @Test func htmlReportIsSelfContained() {
        let html = HTMLReport.render(Self.content(policy: policy))
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>MISSION &lt;test&gt;</title>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("@import"))
        #expect(html.contains("F test of joint balance: 0.52 (df 3, 108), p = 0.670"))
        #expect(html.contains("No deviations from the pre-specified analysis."))
        #expect(html.contains("Cells with fewer than 5 families are suppressed"))
        #expect(!html.contains("0.054"))
        #expect(html.components(separatedBy: "<section").count == html.components(separatedBy: "</section>").count)
    }

    /// `publication.language: nl`: every heading, column and note from the Dutch catalogue, numbers with a
    /// decimal comma, `<html lang="nl">`; the design's own labels stay as written.
    @Test func dutchReport() {
        let html = HTMLReport.render(Self.content(policy: policy, language: .nl))
        #expect(html.contains("<html lang=\"nl\">"))
        for text in ["<h2>Samenvatting</h2>", "<h2>1. Vooraf vastgelegde analyse</h2>", "<h2>5. Effecten</h2>",
                     "<h2>7. Vooraf vastgelegde subgroepen</h2>", "<h2>Reproduceerbaarheid</h2>",
                     "Geen afwijkingen van de vooraf vastgelegde analyse.", "F test of joint balance: 0,52 (df 3, 108), p = 0,670",
                     "47 van 56", "Knowledge of rights: [0,310; 0,520]", "Cellen met minder dan 5 gezinnen zijn in dit rapport afgeschermd",
                     "<th>Controlegroep: gemiddelde (SD)</th>", "Gemiddelden per groep met 95%-betrouwbaarheidsintervallen",
                     "Gunstig voor interventie", "<td>Weak on 3 domains</td>"] {
            #expect(html.contains(text), "missing \(text)")
        }
        for english in ["Pre-specified", "Effects after", "Reproducibility", "Control group", "0.670", ">suppressed<", "favours"] {
            #expect(!html.contains(english), "English left: \(english)")
        }
    }
}

/// `publication.language: fr` (issue 22, item 6): the French catalogue, the CONSORT diagram in French and
/// a decimal comma; the design's labels stay as written.
@Suite struct FrenchReportTests {
    @Test func frenchReport() {
        var content = FigureAndReportTests.content(policy: SmallCellPolicy(threshold: 5), language: .fr)
        content.amendments = [PlanAmendment(date: "2026-12-07", changes: ["outcomes[x].windows.m12[1]: 12 → 13"], reason: "late extract",
                                            author: "analyst", afterOutcomeData: false, afterAssignments: 112)]
        let html = HTMLReport.render(content)
        #expect(html.contains("<html lang=\"fr\">"))
        for text in ["<h2>Résumé</h2>", "<h2>1. Analyse fixée à l’avance</h2>", "<h2>5. Effets</h2>", "<h2>Reproductibilité</h2>",
                     "<th>Groupe témoin : moyenne (SD)</th>", "47 sur 56", "F test of joint balance: 0,52 (df 3, 108), p = 0,670",
                     "Les cellules de moins de 5 familles sont masquées", "Éligibilité évaluée", "Tirés au sort",
                     "Motif : late extract (par analyst ; après 112 assignations, avant tout import de données de résultats)",
                     "<td>Weak on 3 domains</td>"] {
            #expect(html.contains(text), "missing \(text)")
        }
        for english in ["Pre-specified", "Effects after", "Reproducibility", "Control group", "0.670", ">suppressed<", "favours", "Reason:",
                        "Assessed for eligibility", "not shown"] {
            #expect(!html.contains(english), "English left: \(english)")
        }
        let md = EffectTableWriter.markdown(Sample.table, policy: SmallCellPolicy(threshold: 5), catalogue: .french)
        #expect(md.contains("| Résultat | Vague |") && md.contains("0,250"), "\(md)")
    }
}

/// A p-value below 0.001 reads "p < 0.001" in every sentence, never "p = <0.001".
@Suite struct PStatementTests {
    @Test func theSmallestPValuesSayLessThan() {
        #expect(NumberStyle.point.pStatement(0.0004) == "p < 0.001")
        #expect(NumberStyle.point.pStatement(0.0123) == "p = 0.012")
        #expect(NumberStyle.comma.pStatement(0.0004) == "p < 0,001")
        #expect(NumberStyle.comma.pStatement(0.653) == "p = 0,653")
        #expect(NumberStyle.point.pStatement(.nan) == "p = NA")
    }
}
