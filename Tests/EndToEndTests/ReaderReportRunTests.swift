import Foundation
import Testing
import TestSupport

/// `rct run` end to end on the MISSION design in Dutch (`publication.language: nl`) with broom's column
/// names (`--names broom`): the report, tables and figures for readers (issue 22, items 3–6).
@Suite(.serialized) struct ReaderReportRunTests {
    static let shared: (root: URL, run: RunResult) = {
        let root = try! Fixtures.missionTrialCopy("rct-reader") { $0.replacingOccurrences(of: "  language: en", with: "  language: nl") }
        let run = try! RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out", "--names", "broom"], currentDirectory: root)
        return (root, run)
    }()

    static func text(_ name: String) throws -> String {
        try String(contentsOf: shared.root.appendingPathComponent("out/publish/\(name)"), encoding: .utf8)
    }

    @Test func dutchReportWithDecimalCommas() throws {
        #expect(Self.shared.run.status == 0, "\(Self.shared.run.stderr)")
        let html = try Self.text("report.html")
        #expect(html.contains("<html lang=\"nl\">"))
        for text in ["<h2>Samenvatting</h2>", "<h2>5. Effecten</h2>", "<th>Controlegroep: gemiddelde (SD)</th>", "<th>q (aangescherpt)</th>",
                     "kan daardoor kleiner zijn dan p", "aangepast voor Number of weak deprivation-index domains (3–6); Single-parent family",
                     "<td>Two-parent families</td>", "Gemiddelden per groep met 95%-betrouwbaarheidsintervallen"] {
            #expect(html.contains(text), "missing \(text)")
        }
        // The leefloon at six months: control mean 0.544 (SD 0.503) in the tables as 0,544 (0,503).
        let csv = try RunCommandTests.csv(Self.shared.root.appendingPathComponent("out/publish/effects.csv"))
        let leefloon = try #require(csv.first { $0["outcome"] == "leefloon" && $0["wave"] == "m6" && $0["estimand"] == "itt" })
        let mean = try #require(Double(leefloon["control.mean"] ?? "")), sd = try #require(Double(leefloon["control.sd"] ?? ""))
        let cell = String(format: "%.3f (%.3f)", mean, sd).replacingOccurrences(of: ".", with: ",")
        #expect(html.contains("<td>\(cell)</td>"), "\(cell)")
        #expect(try Self.text("effects.md").contains("| \(cell) |"))
    }

    /// Issue 22: the Dutch report had English sentences from the analysis (the pre-specified choices, the
    /// test names, the provenance of the draws, the CONSORT reasons) and "not shown". Each phrase below was
    /// in the Dutch demo report before; the design's own labels (outcomes, covariates, levels) stay as
    /// written and are not checked.
    @Test func dutchReportHasNoEnglishProse() throws {
        #expect(Self.shared.run.status == 0, "\(Self.shared.run.stderr)")
        let html = try Self.text("report.html"), md = try Self.text("effects.md"), consort = try Self.text("consort.svg")
        let english = ["Effect of assignment", "intention to treat) by", "standard errors", "confidence intervals",
                       "absorbed as fixed effects", "Baseline covariates", "Effect of treatment received", "two-stage least squares",
                       "Randomization-inference p-values", "re-drawn", "every possible assignment", "studentized", "within the family at each wave",
                       "sharpened q-values", "Holm-adjusted", "Subgroups (primary outcomes)", "the effect within each level",
                       "Primary outcomes:", "Omnibus F-test", "on the covariates", "response rate", "intervention − control", "t-test",
                       "arm × covariates", "randomisation: ", "randomization inference", "families in",
                       "possible assignments", "draws of", "not shown", "no interview", "interview outside the window", "left the registries",
                       "Amendment", "Deviation", "Reason:"]
        for phrase in english {
            #expect(!html.contains(phrase), "report.html: \(phrase)")
            #expect(!md.contains(phrase), "effects.md: \(phrase)")
            #expect(!consort.contains(phrase), "consort.svg: \(phrase)")
        }
        for dutch in ["Effect van de toewijzing (intention-to-treat), geschat met de regressie van Lin (2013)", "HC2-standaardfouten",
                      "Globale F-toets van de groep op de kenmerken", "bereik, interventie − controle: ", "loting: ",
                      "randomisatie-inferentie: ", "aangescherpte q-waarden (Anderson 2008)", "Primaire uitkomsten: "] {
            #expect(html.contains(dutch), "missing \(dutch)")
        }
        #expect(consort.contains("geen bevraging") && consort.contains("bevraagd buiten de periode"), "\(consort)")
    }

    /// effects.csv under broom's names, with a decimal point and full precision in every language; the
    /// difference of means and the relative effect of an amount are there.
    @Test func effectsCSVHasBroomNamesAndFullPrecision() throws {
        let header = try #require(try Self.text("effects.csv").split(separator: "\n").first)
        #expect(header.hasPrefix("family,outcome,label,wave,estimand,term,estimate,std.error,statistic,df,p.value,conf.low,conf.high,nobs,"))
        let rows = try RunCommandTests.csv(Self.shared.root.appendingPathComponent("out/publish/effects.csv"))
        let amount = try #require(rows.first { $0["outcome"] == "supplementary_amount" && $0["wave"] == "m6" && $0["estimand"] == "itt" })
        let estimate = try #require(Double(amount["estimate"] ?? "")), control = try #require(Double(amount["control.mean"] ?? ""))
        let relative = try #require(Double(amount["relative.effect"] ?? ""))
        #expect(abs(relative - estimate / control) <= 1e-12 * abs(relative))
        let treated = try #require(Double(amount["intervention.mean"] ?? ""))
        #expect(Double(amount["difference.of.means"] ?? "") == treated - control)
        #expect(amount["better"] == "higher")
        #expect(rows.first { $0["outcome"] == "job_seeker_months" }?["better"] == "lower")
        #expect(!rows.contains { ($0["estimate"] ?? "").contains(",") })
    }

    /// The forest plot marks job-seeker months (better: lower) with ◀ and keeps every label whole; the
    /// means pictures are written per family.
    @Test func figuresFollowTheDirectionAndAreWrittenPerFamily() throws {
        let svg = try Self.text("forest.svg")
        let group = try #require(svg.components(separatedBy: "<g>").first { $0.contains("<title>Share of months registered as a job seeker without work (Six months)") })
        #expect(group.contains(">◀</text>") && !group.contains(">▶</text>"))
        #expect(!svg.contains("…"))
        #expect(svg.contains("Gunstig voor interventie"))
        for family in ["financial_support", "employment", "rights_and_services", "living_conditions"] {
            let means = try Self.text("means-\(family).svg")
            #expect(means.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), "\(family)")
        }
        // The leefloon has a baseline (leefloon_before): its panel has the point before assignment.
        #expect(try Self.text("means-financial_support.svg").contains(">Vooraf</tspan>"))
        // The CONSORT diagram speaks the report's language too, in the file and in the report.
        let consort = try Self.text("consort.svg")
        #expect(consort.contains("Beoordeeld op geschiktheid") && consort.contains("Geloot") && consort.contains("Geanalyseerd"), "\(consort)")
        #expect(!consort.contains("Assessed for eligibility"))
        #expect(try Self.text("report.html").contains("Beoordeeld op geschiktheid"))
    }

    /// Another --names is not up to date: the run writes effects.csv again with the names asked for.
    @Test func changingTheNamesRewritesTheCSV() throws {
        #expect(Self.shared.run.status == 0)
        let again = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: Self.shared.root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stdout.hasPrefix("up to date"))
        #expect(try Self.text("effects.csv").hasPrefix("family,outcome,label,wave,estimand,term,estimate,std_error,"))
        let bad = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out", "--names", "stata"], currentDirectory: Self.shared.root)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--names") && bad.stderr.contains("rct") && bad.stderr.contains("broom"), "\(bad.stderr)")
    }
}
