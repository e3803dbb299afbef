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
            ArmFlow(label: "control", allocated: 56, received: nil, waves: [
                WaveFlow(label: "6 months", followedUp: 47, notFollowedUp: [CountedReason(reason: "no response", count: 9)], analysed: 47)]),
            ArmFlow(label: "intervention", allocated: 56, received: 51, waves: [
                WaveFlow(label: "6 months", followedUp: 45, notFollowedUp: [CountedReason(reason: "no response", count: 7),
                                                                             CountedReason(reason: "outside the window", count: 4)], analysed: 45)]),
        ])

    @Test func consortShowsEveryCountAndHidesSmallOnes() {
        let svg = ConsortDiagram.svg(Self.flow, policy: policy)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        for text in ["Assessed for eligibility (n = 140)", "Excluded (n = 28)", "Randomised (n = 112)",
                     "Allocated to control (n = 56)", "Received the intervention (n = 51)",
                     "no response (n = 9)", "Analysed (n = 45)"] {
            #expect(svg.contains(text), "missing \(text)")
        }
        #expect(svg.contains("no informed consent (n = &lt;5)"))
        #expect(svg.contains("outside the window (n = &lt;5)"))
        #expect(!svg.contains("(n = 3)") && !svg.contains("(n = 4)"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 7)
    }

    @Test func forestPlotStandardizesByTheControlSD() {
        let svg = ForestPlot.svg(Sample.table, policy: policy)
        // supplementary_aid m6: 0.25 / 0.437 = 0.572; bound = max |CI| · 1.1.
        #expect(svg.contains("Receives supplementary aid (6 months)"))
        #expect(svg.contains("Art. 60 | employment (6 months)"))
        #expect(svg.contains("not standardizable"))  // the suppressed small cell
        // Five comparisons, one of them suppressed: four markers.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 4)
    }

    @Test func htmlReportIsSelfContained() {
        let content = ReportContent(
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
                                    levels: [("3", Sample.term("z", 0.2, 0.1, 0.05, n: 60)), ("4-6", Sample.term("z", 0.3, 0.12, 0.02, n: 52))],
                                    interactionP: 0.52)],
            provenance: Provenance(software: "rct 0.1.0", designFile: "designs/x.yaml", designFingerprint: "abc123",
                                   dataFingerprints: [Labelled(id: "vdab", label: "def456")], seeds: ["randomisation: mt19937 seed 1"],
                                   generatedOn: "2026-11-28"),
            policy: policy)
        let html = HTMLReport.render(content)
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
}
