import Foundation
import Testing
import TestSupport

/// Several analyses in one design (`analysis.sensitivity`): `rct run` writes the sensitivity table beside
/// the primary tables, and `rct estimate DESIGN --analysis NAME` prints one specification's rows. The
/// expected numbers are R estimatr 1.0.0's on the demo's six-month panel, frozen in
/// fixtures/reporting/sensitivity/ with their script.
@Suite(.serialized) struct SensitivityRunTests {
    static let sensitivity = """
      sensitivity:
        - id: unadjusted
          label: Difference in means
          estimator: dim
        - id: ols_hc1
          label: OLS, HC1
          estimator: ols
          variance: hc1

    """

    static let shared: (root: URL, run: RunResult) = {
        let root = try! Fixtures.missionTrialCopy("rct-sensitivity") { yaml in
            yaml.replacingOccurrences(of: "  permutations: 10000\n  seed: 2786\n", with: "  permutations: 200\n  seed: 2786\n" + sensitivity)
        }
        let run = try! RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        return (root, run)
    }()

    static func reference() throws -> [String: [String: String]] {
        let rows = try RunCommandTests.csv(URL(fileURLWithPath: Fixtures.path("fixtures/reporting/sensitivity/estimatr_sensitivity.csv")))
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["case"]!, $0) })
    }

    static func close(_ a: String?, _ b: String?, tolerance: Double = 1e-6) -> Bool {
        guard let a = a.flatMap(Double.init), let b = b.flatMap(Double.init) else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test func theReportCarriesTheSensitivityTableWithEstimatrsNumbers() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        // The panel the reference was computed on is the panel of this run.
        let panel = try RunCommandTests.csv(root.appendingPathComponent("out/internal/panel/panel_wide.csv")).filter { $0["wave"] == "m6" }
        let frozen = try RunCommandTests.csv(URL(fileURLWithPath: Fixtures.path("fixtures/reporting/sensitivity/mission_m6.csv")))
        #expect(panel.map { $0["family_id"]! } == frozen.map { $0["family_id"]! })
        #expect(panel.map { $0["supplementary_amount"]! } == frozen.map { $0["supplementary_amount"]! })

        let rows = try RunCommandTests.csv(root.appendingPathComponent("out/publish/sensitivity.csv"))
        func row(_ outcome: String, _ spec: String) -> [String: String]? {
            rows.first { $0["outcome"] == outcome && $0["wave"] == "m6" && $0["specification"] == spec }
        }
        let reference = try Self.reference()
        for (spec, outcome) in [("unadjusted", "supplementary_aid"), ("unadjusted", "supplementary_amount"),
                                ("ols_hc1", "supplementary_aid"), ("ols_hc1", "supplementary_amount")] {
            let r = try #require(row(outcome, spec), "no \(spec) row for \(outcome)")
            let e = try #require(reference["\(spec) \(outcome)"])
            for (ours, theirs) in [("estimate", "estimate"), ("std_error", "std.error"), ("statistic", "statistic"), ("df", "df"),
                                   ("p_value", "p.value"), ("conf_low", "conf.low"), ("conf_high", "conf.high")] {
                #expect(Self.close(r[ours], e[theirs]), "\(spec) \(outcome) \(ours): \(r[ours] ?? "-") against estimatr \(e[theirs] ?? "-")")
            }
        }
        // The primary column is the effect table's ITT, row for row.
        let effects = try RunCommandTests.csv(root.appendingPathComponent("out/publish/effects.csv")).filter { $0["estimand"] == "itt" }
        let primary = rows.filter { $0["specification"] == "primary" }
        #expect(primary.count == effects.count && primary.count > 20)
        for e in effects {
            let p = primary.first { $0["outcome"] == e["outcome"] && $0["wave"] == e["wave"] }
            #expect(p?["estimate"] == e["estimate"] && p?["std_error"] == e["std_error"], "\(e["outcome"]!) \(e["wave"]!)")
        }
        // The report and the Markdown tables show it; the pre-specified analysis names each specification.
        let html = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        #expect(html.contains("Sensitivity analyses</h2>"))
        #expect(html.contains("Sensitivity analysis “OLS, HC1”: OLS regression of the outcome on the arm and covariates, HC1 standard errors, strata absorbed, adjusted for Number of weak"))
        let markdown = try String(contentsOf: root.appendingPathComponent("out/publish/effects.md"), encoding: .utf8)
        #expect(markdown.contains("| Outcome | Wave | Primary analysis | Difference in means | OLS, HC1 |"))
    }

    @Test func estimateNamesOneAnalysisOfTheDesign() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0)
        let result = try RCTBinary.run(["estimate", "designs/mission-kortrijk.yaml", "--analysis", "unadjusted", "--format", "csv"],
                                       currentDirectory: root)
        #expect(result.status == 0, "\(result.stderr)")
        let file = root.appendingPathComponent("estimate.csv")
        try result.stdout.write(to: file, atomically: true, encoding: .utf8)
        let rows = try RunCommandTests.csv(file)
        let aid = try #require(rows.first { $0["outcome"] == "supplementary_aid" && $0["wave"] == "m6" })
        let e = try #require(try Self.reference()["unadjusted supplementary_aid"])
        #expect(Self.close(aid["estimate"], e["estimate"]) && Self.close(aid["std_error"], e["std.error"]))
        #expect(aid["term"] == "arm=intervention" && aid["n_obs"] == "110")

        let unknown = try RCTBinary.run(["estimate", "designs/mission-kortrijk.yaml", "--analysis", "robust"], currentDirectory: root)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no analysis \"robust\"; the design's analyses are primary, unadjusted, ols_hc1"))
        let both = try RCTBinary.run(["estimate", "designs/mission-kortrijk.yaml", "--data", "x.csv", "--outcome", "y"], currentDirectory: root)
        #expect(both.status != 0 && both.stderr.contains("not both"))
    }
}
