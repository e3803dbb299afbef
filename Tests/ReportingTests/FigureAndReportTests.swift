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
