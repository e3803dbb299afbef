import Foundation
import Testing
import TestSupport

/// The bundled cluster-randomised example (designs/caseworkers-cluster.yaml: caseworkers randomised
/// within three sites, `blocked_clustered`) through the built `rct run`: CR2 standard errors clustered by
/// caseworker with Bell–McCaffrey degrees of freedom (estimatr's default with clusters), the CR1 (Stata)
/// sensitivity analysis, randomization inference that re-draws whole caseworkers within sites (all
/// C(6,3)^3 = 8000 assignments), and the number of clusters in every table. The expected numbers are
/// R's, frozen in fixtures/reporting/clustered/ with their scripts (estimatr 1.0.0 for the fits, base-R
/// enumeration for the randomization p-values); the test never calls R.
@Suite(.serialized) struct ClusteredRunTests {
    static let shared: (root: URL, run: RunResult) = {
        let root = try! Fixtures.caseworkersTrialCopy("rct-clustered")
        let run = try! RCTBinary.run(["run", "designs/caseworkers-cluster.yaml", "--out", "out"], currentDirectory: root)
        return (root, run)
    }()

    static func frozen(_ name: String) throws -> [[String: String]] {
        try RunCommandTests.csv(URL(fileURLWithPath: Fixtures.path("fixtures/reporting/clustered/\(name)")))
    }

    /// Relative tolerance 1e-6 (absolute below 1), as the issue asks of every effect row.
    static func close(_ a: String?, _ b: String?, tolerance: Double = 1e-6) -> Bool {
        guard let a = a.flatMap(Double.init), let b = b.flatMap(Double.init) else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    static let columns = [("estimate", "estimate"), ("std_error", "std.error"), ("statistic", "statistic"), ("df", "df"),
                          ("p_value", "p.value"), ("conf_low", "conf.low"), ("conf_high", "conf.high")]

    @Test func theRunIsOnTheFrozenPanel() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("assigned 199 families (97 control, 102 intervention) by blocked_clustered"))
        let panel = try RunCommandTests.csv(root.appendingPathComponent("out/internal/panel/panel_wide.csv"))
        let frozen = try Self.frozen("caseworkers_panel.csv")
        #expect(panel.count == 398)
        #expect(frozen.count == 398)
        for (ours, theirs) in zip(panel, frozen) {
            for (column, value) in theirs where ours[column] != value {
                Issue.record("panel row \(theirs["family_id"]!) \(theirs["wave"]!): \(column) is \(ours[column] ?? "-"), frozen \(value)")
            }
        }
    }

    @Test func everyEffectRowAgreesWithEstimatrCR2() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        let effects = try RunCommandTests.csv(root.appendingPathComponent("out/publish/effects.csv")).filter { $0["estimand"] == "itt" }
        let reference = try Self.frozen("estimatr_clustered.csv").filter { $0["specification"] == "primary" }
        #expect(reference.count == 7 && effects.count == 7)
        for e in reference {
            let r = try #require(effects.first { $0["outcome"] == e["outcome"] && $0["wave"] == e["wave"] }, "no row for \(e["outcome"]!) \(e["wave"]!)")
            for (ours, theirs) in Self.columns {
                #expect(Self.close(r[ours], e[theirs]), "\(e["outcome"]!) \(e["wave"]!) \(ours): \(r[ours] ?? "-") against estimatr \(e[theirs] ?? "-")")
            }
            #expect(r["n_obs"] == e["nobs"] && r["n_clusters"] == e["nclusters"], "\(e["outcome"]!) \(e["wave"]!): N and clusters")
        }
    }

    @Test func theCR1SensitivityAnalysisAgreesWithEstimatrStata() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try RunCommandTests.csv(root.appendingPathComponent("out/publish/sensitivity.csv")).filter { $0["specification"] == "cr1" }
        let reference = try Self.frozen("estimatr_clustered.csv").filter { $0["specification"] == "cr1" }
        #expect(reference.count == 7 && rows.count == 7)
        for e in reference {
            let r = try #require(rows.first { $0["outcome"] == e["outcome"] && $0["wave"] == e["wave"] })
            for (ours, theirs) in Self.columns {
                #expect(Self.close(r[ours], e[theirs]), "cr1 \(e["outcome"]!) \(e["wave"]!) \(ours): \(r[ours] ?? "-") against estimatr \(e[theirs] ?? "-")")
            }
        }
    }

    /// Exact enumeration on both sides: the p-values are multiples of 1/8000 and must be equal (tolerance
    /// 1e-12 for the decimal text).
    @Test func randomizationPValuesRedrawWholeCaseworkersExactly() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        let effects = try RunCommandTests.csv(root.appendingPathComponent("out/publish/effects.csv")).filter { $0["estimand"] == "itt" }
        let reference = try Self.frozen("ri_exact.csv")
        #expect(reference.count == 7)
        for e in reference {
            #expect(e["assignments"] == "8000")
            let r = try #require(effects.first { $0["outcome"] == e["outcome"] && $0["wave"] == e["wave"] })
            let ours = try #require(r["ri_p_value"].flatMap(Double.init)), theirs = try #require(e["p_two_tailed"].flatMap(Double.init))
            #expect(abs(ours - theirs) <= 1e-12, "\(e["outcome"]!) \(e["wave"]!): RI p \(ours) against enumeration \(theirs)")
        }
        let html = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        #expect(html.contains("assignments of whole clusters (caseworker) re-drawn within strata, the number of intervention clusters per stratum fixed"))
        #expect(html.contains("m6, 199 families in 18 clusters: all 8000 possible assignments (exact)"))
    }

    @Test func tablesAndTheConsortDiagramCountClusters() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        #expect(html.contains("CR2 standard errors clustered by caseworker (Bell–McCaffrey degrees of freedom)"))
        #expect(html.contains("in 9 clusters (n\u{00A0}=\u{00A0}97 units)") && html.contains("in 9 clusters (n\u{00A0}=\u{00A0}102 units)"))
        let markdown = try String(contentsOf: root.appendingPathComponent("out/publish/effects.md"), encoding: .utf8)
        #expect(markdown.contains("| Relative effect | N | Clusters |"))
        #expect(markdown.contains("- Clusters: the number of clusters the estimate rests on; standard errors are clustered by them."))
        // Lee bounds and the attrition tests have no clustered version: said, not silent.
        #expect(html.contains("Lee (2009) bounds are computed over families, not clusters"))
    }

    /// The report's differential-attrition tests are clustered as the effects are (CR2, the F on G − 1
    /// df): the numbers of estimatr's fits frozen in fixtures/robustness/clustered/clustered_reference.csv
    /// (clustered_reference.R: the same response regressions on the m6 rows), as the report prints them.
    @Test func theAttritionTestsAreClustered() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        let lines = try Fixtures.contents("fixtures/robustness/clustered/clustered_reference.csv").split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
        let d = try #require(rows.first { $0["part"] == "difference" }), f = try #require(rows.first { $0["part"] == "interactions" })
        func x(_ s: String?, _ digits: Int) -> String { String(format: "%.\(digits)f", Double(s ?? "") ?? .nan) }
        let estimate = Double(d["estimate"]!)!
        let difference = "response rate, intervention − control: \(estimate < 0 ? "−" : "+")\(x(String(abs(estimate)), 3)) (t-test, CR2 clustered): "
            + "\(x(String(estimate / Double(d["std.error"]!)!), 2)) (df \(x(d["df"], 1))), p = \(x(d["p.value"], 3))"
        #expect(html.contains(difference), "\(difference)")
        let interactions = "arm × covariates (F-test, CR2 clustered): \(x(f["F"], 2)) (df 3, 17), p = \(x(f["p.value"], 3))"
        #expect(html.contains(interactions), "\(interactions)")
    }

    /// The report's baseline balance at the cluster level, beside the family-level table: the rows as the
    /// report prints them (3 decimals) from base R's values frozen by
    /// fixtures/reporting/clustered/cluster_balance.R (the full-precision comparison is
    /// AssignmentTests/ClusterBalanceTests).
    @Test func theBalanceTableIsAlsoGivenAtTheClusterLevel() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        let balance = try #require(html.range(of: "<h2>3. Baseline balance</h2>").map { String(html[$0.lowerBound...].prefix(4000)) })
        let clusterPart = try #require(balance.range(of: "<h3>Clusters (caseworker)</h3>").map { String(balance[$0.upperBound...]) })
        #expect(balance.contains("<h3>Families</h3>"))
        #expect(clusterPart.contains("the arms compared across the clusters (9 control, 9 intervention)"))
        var r: [String: Double] = [:]
        for row in try Self.frozen("cluster_balance.csv") { r["\(row["covariate"]!).\(row["quantity"]!)"] = Double(row["value"]!) }
        func f(_ key: String, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", r[key] ?? .nan) }
        for (covariate, label) in [("domains_weak", "Number of weak deprivation-index domains (3–6)"), ("single_parent", "Single-parent family"),
                                   ("leefloon_before", "Received the leefloon in the 12 months before assignment")] {
            let row = "<tr><th scope=\"row\">\(label)</th><td>\(f("\(covariate).mean_control")) (\(f("\(covariate).sd_control")))</td>"
                + "<td>\(f("\(covariate).mean_intervention")) (\(f("\(covariate).sd_intervention")))</td><td>\(f("\(covariate).std_difference"))</td></tr>"
            #expect(clusterPart.contains(row), "cluster-level row of \(covariate): \(row)")
        }
        #expect(clusterPart.contains("Omnibus F-test of the arm on the cluster means (18 clusters): \(f("omnibus.F", 2)) (df 3, 14), p = \(f("omnibus.p"))"))
    }

    /// `rct balance` on the run's store: the family-level table, then the cluster-level one (the design's
    /// cohort-column covariates, domains_weak and single_parent), with the numbers of base R's
    /// cluster_balance.R at 6 decimals in the CSV (its rounding; tolerance 5e-7).
    @Test func rctBalanceAddsTheClusterLevel() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        let b = try RCTBinary.run(["balance", "designs/caseworkers-cluster.yaml", "--out", "balance.csv"], currentDirectory: root)
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("At the cluster level, 18 clusters of caseworker (9 control, 9 intervention)"))
        #expect(b.stdout.contains("n = 18 clusters"))
        var r: [String: Double] = [:]
        for row in try Self.frozen("cluster_balance.csv") { r["\(row["covariate"]!).\(row["quantity"]!)"] = Double(row["value"]!) }
        let rows = try RunCommandTests.csv(root.appendingPathComponent("balance.csv")).filter { $0["level"] == "cluster" }
        #expect(rows.count == 4)
        for row in rows {
            let c = row["covariate"]!, arm = row["arm"]!
            #expect(Double(row["n"]!) == r["\(c).n_\(arm)"])
            for (ours, theirs) in [("mean", "mean_\(arm)"), ("sd", "sd_\(arm)")] {
                let expected = try #require(r["\(c).\(theirs)"])
                #expect(abs(Double(row[ours]!)! - expected) <= 5e-7, "\(c) \(arm) \(ours): \(row[ours]!) against R \(expected)")
            }
            if arm == "intervention" {
                #expect(abs(Double(row["std_diff"]!)! - r["\(c).std_difference"]!) <= 5e-7)
            }
        }
    }

    /// A pre-specified subgroup with three levels (the site) in the clustered design: every fit is
    /// clustered by caseworker with CR2, and the joint test that the effect is the same in every site is
    /// the Wald test on the CR2 variance referred to F(2, G − 1), as estimatr's fit with the statistic
    /// computed on its vcov() in fixtures/reporting/clustered/subgroups_clustered.R (the report prints 3
    /// decimals; the full-precision comparison of the same computations is in
    /// RobustnessTests/ClusteredRobustnessCommandTests).
    @Test func aThreeLevelSubgroupGetsTheClusteredJointTest() throws {
        let root = try Fixtures.caseworkersTrialCopy("rct-clustered-subgroup") { design in
            design + "\nsubgroups:\n  - id: site\n    label: Site\n    column: site\n"
        }
        let run = try RCTBinary.run(["run", "designs/caseworkers-cluster.yaml", "--out", "out"], currentDirectory: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("not available yet") && !run.stderr.contains("not available yet"))
        let html = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        let reference = try Self.frozen("subgroups_clustered.csv")
        func f(_ x: String?) -> String { String(format: "%.3f", Double(x ?? "") ?? .nan) }
        for (outcome, wave) in [("supplementary_aid", "m6"), ("supplementary_aid", "m12"), ("knows_rights", "m6")] {
            let rows = reference.filter { $0["outcome"] == outcome && $0["wave"] == wave }
            // One row per level (the codes: the design labels none), the joint test's p on the first.
            let joint = rows.first { $0["part"] == "joint" }
            #expect(html.contains("<td>Site</td><td>centrum</td>"), "\(outcome) \(wave)")
            for (i, site) in ["centrum", "noord", "zuid"].enumerated() {
                let e = rows.first { $0["part"] == "site=\(site)" }
                let cells = "<td>\(f(e?["estimate"])) (\(f(e?["std.error"])))</td><td>\(i == 0 ? f(joint?["p.value"]) : "")</td></tr>"
                #expect(html.contains("<td>\(site)</td>") && html.contains(cells), "\(outcome) \(wave): \(cells)")
            }
        }
    }
}
