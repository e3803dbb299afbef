import Foundation
import Testing
import TestSupport

/// `rct run` end to end on a temporary copy of the MISSION design and its simulated data (the design's
/// relative paths kept: designs/ and fixtures/mission/ side by side).
@Suite(.serialized) struct RunCommandTests {
    /// Copies the design and the data into a fresh folder; `edit` may change the design's text.
    static func trialCopy(_ label: String, edit: (String) -> String = { $0 }) throws -> URL {
        try Fixtures.missionTrialCopy(label, edit: edit)
    }

    /// A CSV file as rows of named cells (RFC 4180 quotes handled; no embedded line breaks in these files).
    static func csv(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        func fields(_ line: String) -> [String] {
            var out: [String] = [], cell = "", quoted = false, chars = Array(line), i = 0
            while i < chars.count {
                let c = chars[i]
                if quoted {
                    if c == "\"" { if i + 1 < chars.count && chars[i + 1] == "\"" { cell.append("\""); i += 1 } else { quoted = false } }
                    else { cell.append(c) }
                } else if c == "\"" { quoted = true } else if c == "," { out.append(cell); cell = "" } else { cell.append(c) }
                i += 1
            }
            out.append(cell)
            return out
        }
        let header = fields(lines[0])
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, fields($0))) }
    }

    /// One run shared by the tests that only read its outputs.
    static let shared: (root: URL, first: RunResult, second: RunResult) = {
        let root = try! trialCopy("rct-run")
        let first = try! RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        let second = try! RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        return (root, first, second)
    }()

    /// The files of OUT/publish.
    static let publishedFiles = ["effects.csv", "effects.md", "effects.tex", "report.html", "consort.svg", "forest.svg", "counts.json"]
        + ["financial_support", "employment", "rights_and_services", "living_conditions"].map { "means-\($0).svg" }

    @Test func runWritesEveryOutputAndASecondRunIsUpToDate() throws {
        let (root, first, second) = Self.shared
        #expect(first.status == 0, "\(first.stderr)")
        for step in ["init: creating the trial store", "assign: randomising the cohort", "import leefloon:", "take-up mandates: 112 families",
                     "panel: 336 rows", "randomization inference, m6:", "report written into out/publish:"] {
            #expect(first.stderr.contains(step), "missing progress line \(step)")
        }
        #expect(first.stdout.contains("assigned 112 families (57 control, 55 intervention)"))
        #expect(first.stdout.hasSuffix("report: out/publish/report.html\n"))
        for file in ["publish/effects.csv", "publish/effects.md", "publish/effects.tex", "publish/report.html", "publish/consort.svg",
                     "publish/forest.svg", "publish/counts.json", "manifest.json", "internal/NOTICE.md", "internal/panel/panel_wide.csv",
                     "internal/panel/panel_long.csv", "internal/panel/data_dictionary.md", "internal/panel/consort.json"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("out/\(file)").path)[.size] as? Int) ?? 0
            #expect(size > 100, "out/\(file) missing or empty")
        }
        #expect(second.status == 0)
        #expect(second.stdout == "up to date: out/publish/report.html\n")
        #expect(second.stderr.contains("up to date: design, assignments and inputs unchanged"))
        #expect(!second.stderr.contains("panel:"))
    }

    @Test func aChangedInputIsNoticedAndRerun() throws {
        let root = try Self.trialCopy("rct-run-change")
        let r1 = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        #expect(r1.status == 0, "\(r1.stderr)")
        let register = root.appendingPathComponent("fixtures/mission/case_management.csv")
        let text = try String(contentsOf: register, encoding: .utf8)
        try text.replacingOccurrences(of: "F0002,0", with: "F0002,1").write(to: register, atomically: true, encoding: .utf8)
        let r2 = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        #expect(r2.status == 0)
        #expect(r2.stderr.contains("changed since the last run: source mandates"), "\(r2.stderr)")
        #expect(r2.stdout == "report: out/publish/report.html\n")
        let r3 = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        #expect(r3.stdout == "up to date: out/publish/report.html\n")
    }

    /// The effects of the run equal `rct estimate` on the panel's wide file restricted to a wave, with
    /// the options the design implies (Lin, HC2, strata fixed effects, the three covariates; 2SLS of
    /// take_up instrumented by assignment).
    @Test(arguments: ["m6", "m12"])
    func effectsEqualRCTEstimateOnThePanel(wave: String) throws {
        let (root, first, _) = Self.shared
        #expect(first.status == 0)
        try Self.expectEffectsEqualEstimate(root: root, out: "out", wave: wave)
    }

    /// Compares `OUT/effects.csv` of a run with `rct estimate` on `OUT/panel/panel_wide.csv` at one wave.
    static func expectEffectsEqualEstimate(root: URL, out: String, wave: String) throws {
        let effects = try Self.csv(root.appendingPathComponent("\(out)/publish/effects.csv")).filter { $0["wave"] == wave }
        let wide = try Self.csv(root.appendingPathComponent("\(out)/internal/panel/panel_wide.csv")).filter { $0["wave"] == wave }
        let outcomes = Array(Set(effects.map { $0["outcome"]! })).sorted()
        #expect(outcomes.count >= 11)
        // The wave's rows, with `treated` (1 for the intervention arm) added for the 2SLS instrument.
        let columns = ["arm", "stratum", "take_up", "domains_weak", "single_parent", "leefloon_before"] + outcomes
        var text = (columns + ["treated"]).joined(separator: ",") + "\n"
        for row in wide { text += (columns.map { row[$0] ?? "" } + [row["arm"] == "intervention" ? "1" : "0"]).joined(separator: ",") + "\n" }
        let data = root.appendingPathComponent("wave-\(wave).csv")
        try text.write(to: data, atomically: true, encoding: .utf8)
        let common = ["--data", data.path, "--outcome", outcomes.joined(separator: ","), "--covariates", "domains_weak,single_parent,leefloon_before",
                      "--fixed-effects", "stratum", "--se", "hc2", "--format", "csv"]
        let itt = try RCTBinary.run(["estimate", "--estimator", "lin", "--treatment", "arm", "--control", "control"] + common)
        #expect(itt.status == 0, "\(itt.stderr)")
        let iv = try RCTBinary.run(["estimate", "--estimator", "iv", "--endogenous", "take_up", "--instrument", "treated"] + common)
        #expect(iv.status == 0, "\(iv.stderr)")
        try itt.stdout.write(to: root.appendingPathComponent("itt-\(wave).csv"), atomically: true, encoding: .utf8)
        try iv.stdout.write(to: root.appendingPathComponent("iv-\(wave).csv"), atomically: true, encoding: .utf8)
        let ittRows = try Self.csv(root.appendingPathComponent("itt-\(wave).csv")).filter { $0["term"] == "arm=intervention" }
        let ivRows = try Self.csv(root.appendingPathComponent("iv-\(wave).csv")).filter { $0["term"] == "take_up" }
        #expect(ittRows.count == outcomes.count && ivRows.count == outcomes.count)
        var compared = 0
        for (estimand, reference) in [("itt", ittRows), ("treatment_received", ivRows)] {
            for ref in reference {
                let row = try #require(effects.first { $0["outcome"] == ref["outcome"] && $0["estimand"] == estimand })
                for (a, b) in [("estimate", "estimate"), ("std_error", "std_error"), ("p_value", "p_value"), ("conf_low", "conf_low"), ("conf_high", "conf_high")] {
                    let x = try #require(Double(row[a]!)), y = try #require(Double(ref[b]!))
                    #expect(abs(x - y) <= 1e-9 * max(1, abs(y)), "\(ref["outcome"]!) \(wave) \(estimand) \(a): run \(x), estimate \(y)")
                }
                #expect(row["n_obs"] == ref["n_obs"])
                compared += 1
            }
        }
        #expect(compared == 2 * outcomes.count)
    }

    /// On the committed simulated trial the derived effects reproduce what the simulator planted
    /// (fixtures/mission/truth.json). N = 112, so a planted difference of 0.30 in a share has an SE of
    /// about 0.09: the estimate must be positive and within 3 SE of the planted difference; a planted
    /// null within 3 SE of 0. (The derived supplementary-aid outcome counts decisions overlapping the
    /// window, the planted share decisions starting in it; overlap adds the same in both arms.)
    @Test func plantedEffectsAreRecovered() throws {
        let (root, first, _) = Self.shared
        #expect(first.status == 0)
        let effects = try Self.csv(root.appendingPathComponent("out/publish/effects.csv")).filter { $0["estimand"] == "itt" }
        struct Planted: Decodable { var outcome: String; var window: String; var control: Double; var intervention: Double }
        struct Truth: Decodable { var effects: [Planted] }
        let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/mission/truth.json"))))
        struct NoRow: Error { var outcome: String, wave: String }
        func effect(_ outcome: String, _ wave: String) throws -> (estimate: Double, se: Double) {
            guard let row = effects.first(where: { $0["outcome"] == outcome && $0["wave"] == wave }) else {
                throw NoRow(outcome: outcome, wave: wave)
            }
            return (Double(row["estimate"]!)!, Double(row["std_error"]!)!)
        }
        let aid = try #require(truth.effects.first { $0.outcome == "supplementary_aid" && $0.window == "months 1-6" })
        let planted = aid.intervention - aid.control
        let m6 = try effect("supplementary_aid", "m6")
        #expect(m6.estimate > 0 && abs(m6.estimate - planted) <= 3 * m6.se, "supplementary aid at 6 months: \(m6) vs planted \(planted)")
        #expect(m6.se > 0.05 && m6.se < 0.15)
        let null = try #require(truth.effects.first { $0.outcome == "leefloon" })
        #expect(null.intervention - null.control == 0)
        for wave in ["m6", "m12"] {
            let e = try effect("leefloon", wave)
            #expect(abs(e.estimate) <= 3 * e.se, "leefloon at \(wave): \(e)")
        }
        let programme = try #require(truth.effects.first { $0.outcome == "employment_programme" && $0.window == "months 7-12" })
        let p12 = try effect("employment_programme", "m12")
        #expect(abs(p12.estimate - 0.9 * (programme.intervention - programme.control)) <= 3 * p12.se, "programme at 12 months: \(p12)")
    }

    /// With the small-cell threshold raised to 30, counts below 30 (exclusions by reason, arm summaries
    /// of rare outcomes) appear in no published file; the panel folder is the unpublished unit-level data.
    @Test func noSmallCellReachesAPublishedFile() throws {
        let root = try Self.trialCopy("rct-run-small") {
            $0.replacingOccurrences(of: "small_cell_threshold: 5", with: "small_cell_threshold: 30")
        }
        let r = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        #expect(r.status == 0, "\(r.stderr)")
        let out = root.appendingPathComponent("out/publish")
        // Nothing internal beside the publishable files: the panel and the raw CONSORT counts are in out/internal.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("out").path).sorted()
            == ["internal", "manifest.json", "publish"])
        let published = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(published.sorted() == Self.publishedFiles.sorted())
        let texts = try published.map { ($0, try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8)) }
        // Exclusions by reason in this trial: 26, 10 and 12 (all below 30); arms 57 and 55 (above).
        for (name, text) in texts {
            for small in [26, 10, 12] {
                #expect(!text.contains("n\u{00A0}=\u{00A0}\(small))") && !text.contains("n = \(small))") && !text.contains("n = \(small) "), "\(name) shows the small count \(small)")
            }
        }
        let report = try #require(texts.first { $0.0 == "report.html" }).1
        #expect(report.contains("(n\u{00A0}&lt;\u{00A0}30)") && report.contains("n\u{00A0}=\u{00A0}57"))
        // Every outcome × wave whose arm summaries must be suppressed: computed here from the panel.
        let wide = try Self.csv(root.appendingPathComponent("out/internal/panel/panel_wide.csv"))
        let effects = try Self.csv(out.appendingPathComponent("effects.csv")).filter { $0["estimand"] == "itt" }
        var suppressed = 0
        for row in effects {
            let (outcome, wave) = (row["outcome"]!, row["wave"]!)
            var values: [String: [Double]] = [:]
            for w in wide where w["wave"] == wave { if let v = Double(w[outcome] ?? "") { values[w["arm"]!, default: []].append(v) } }
            let binary = values.values.joined().allSatisfy { $0 == 0 || $0 == 1 }
            let small = values.values.contains { vs in
                let positives = vs.filter { $0 == 1 }.count
                return vs.count < 30 || (binary && ((1..<30).contains(positives) || (1..<30).contains(vs.count - positives)))
            }
            guard small else { continue }
            suppressed += 1
            #expect(row["suppressed"] == "true" && row["control_mean"] == "" && row["intervention_n"] == "", "\(outcome) \(wave)")
            for (arm, vs) in values {
                let mean = vs.reduce(0, +) / Double(vs.count)
                let sd = (vs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(vs.count - 1)).squareRoot()
                // As the tables print a summary: "mean (SD)" with 3 decimals (amounts ≥ 100 with 1).
                for digits in [1, 3] {
                    let shown = String(format: "%.\(digits)f (%.\(digits)f)", mean, sd)
                    for (name, text) in texts where name != "effects.csv" {
                        #expect(!text.contains(shown), "\(name) shows the \(arm) summary \(shown) of \(outcome) at \(wave)")
                    }
                }
                #expect(!effects.contains { $0.values.contains("\(mean)") }, "effects.csv shows the \(arm) mean of \(outcome) at \(wave)")
            }
        }
        #expect(suppressed >= 5)
    }

    @Test func reportWithoutAStoreSaysHowToMakeOne() throws {
        let root = try Self.trialCopy("rct-report-nostore")
        let r = try RCTBinary.run(["report", "designs/mission-kortrijk.yaml"], currentDirectory: root)
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == "error: designs/mission-kortrijk.sqlite: no trial store; create it with rct init designs/mission-kortrijk.yaml (or run rct run designs/mission-kortrijk.yaml)\n")
    }

    /// A take-up register as a city might send it: keyed by national numbers (pseudonymised on reading),
    /// Windows-1252, semicolons, "ja"/"nee" mapped with `codes:`, and one person who is not in the trial
    /// (counted, not silently dropped). The panel's take-up must equal the study-code register's.
    @Test func takeUpRegisterByNationalNumberInItsOwnDialect() throws {
        let root = try Self.trialCopy("rct-take-up") { text in
            text.replacingOccurrences(of: """
                    file: ../fixtures/mission/case_management.csv
                    identifier: { column: family_id, type: code }
                    dialect: { format: delimited, separator: ",", encoding: utf-8, date_format: YYYY-MM-DD }
                """, with: """
                    file: ../fixtures/mission/case_management_insz.csv
                    identifier: { column: rijksregisternummer, type: insz }
                    dialect: { format: delimited, separator: ";", encoding: windows-1252 }
                    codes:
                      mandate: { ja: "1", nee: "0" }
                """)
        }
        // The simulated files end their lines with CRLF and quote nothing.
        func rows(_ file: String) throws -> [[String: String]] {
            let lines = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                .split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
        }
        let insz = Dictionary(uniqueKeysWithValues: try rows("fixtures/mission/cohort.csv").map { ($0["family_id"]!, $0["insz"]!) })
        let register = try rows("fixtures/mission/case_management.csv")
        #expect(register.count == 112)
        var lines = ["rijksregisternummer;mandate;opmerking"]
        for r in register {
            lines.append("\(insz[r["family_id"]!]!);\(r["mandate"] == "1" ? "ja" : "nee");dossier geopend – café")
        }
        lines.append("93051822361;ja;niet in de studie")
        let bytes = try #require(lines.joined(separator: "\n").appending("\n").data(using: .windowsCP1252))
        try bytes.write(to: root.appendingPathComponent("fixtures/mission/case_management_insz.csv"))

        #expect(try RCTBinary.run(["init", "designs/mission-kortrijk.yaml"], currentDirectory: root).status == 0)
        #expect(try RCTBinary.run(["assign", "designs/mission-kortrijk.yaml", "--cohort", "fixtures/mission/cohort.csv"],
                                  currentDirectory: root).status == 0)
        let panel = try RCTBinary.run(["panel", "designs/mission-kortrijk.yaml", "--out", "p"], currentDirectory: root)
        #expect(panel.status == 0, "\(panel.stderr)")
        #expect(panel.stderr.contains("take-up mandates: 1 of the register's 113 identifiers match no assigned family"), "\(panel.stderr)")
        let expected = Dictionary(uniqueKeysWithValues: register.map { ($0["family_id"]!, $0["mandate"]!) })
        let wide = try Self.csv(root.appendingPathComponent("p/internal/panel/panel_wide.csv"))
        #expect(wide.count == 336)
        for row in wide { #expect(row["take_up"] == expected[row["family_id"] ?? ""], "\(row)") }
        // No national number reaches the outputs.
        for file in ["p/internal/panel/panel_wide.csv", "p/internal/panel/panel_long.csv"] {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            #expect(!insz.values.contains { text.contains($0) } && !text.contains("93051822361"))
        }
    }

    @Test func panelAndReportRunTheStepsOnTheirOwn() throws {
        let root = try Self.trialCopy("rct-panel-report")
        #expect(try RCTBinary.run(["init", "designs/mission-kortrijk.yaml"], currentDirectory: root).status == 0)
        #expect(try RCTBinary.run(["assign", "designs/mission-kortrijk.yaml", "--cohort", "fixtures/mission/cohort.csv"],
                                  currentDirectory: root).status == 0)
        let panel = try RCTBinary.run(["panel", "designs/mission-kortrijk.yaml", "--out", "p"], currentDirectory: root)
        #expect(panel.status == 0, "\(panel.stderr)")
        #expect(panel.stdout == "panel written to p/internal/panel (panel_wide.csv, panel_long.csv, data_dictionary.md, data_dictionary.csv, consort.json, "
            + "panel.dta, panel.sav)\n")
        let wide = try Self.csv(root.appendingPathComponent("p/internal/panel/panel_wide.csv"))
        #expect(wide.count == 336)
        #expect(wide.filter { $0["arm"] == "intervention" && $0["wave"] == "m6" }.allSatisfy { $0["take_up"] == "0" || $0["take_up"] == "1" })
        let report = try RCTBinary.run(["report", "designs/mission-kortrijk.yaml", "--out", "r"], currentDirectory: root)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout == "report written to r/publish/report.html\n")
        for file in Self.publishedFiles {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("r/publish/\(file)").path), "r/publish/\(file)")
        }
    }

    /// `rct explain` on one family of the shared run: the window worked out by hand (assigned 2017-11-28,
    /// months 1–6 = 2017-11-28 … 2018-05-27), each record with its fate, the row superseded at import, and
    /// the value of the panel's cell.
    @Test func explainShowsHowOneCellWasMade() throws {
        let (root, first, _) = Self.shared
        #expect(first.status == 0)
        let result = try RCTBinary.run(["explain", "designs/mission-kortrijk.yaml", "F0013", "supplementary_aid", "--wave", "m6"],
                                       currentDirectory: root)
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("family F0013: control, assigned 2017-11-28"))
        #expect(out.contains("window: months 1–6 after assignment = 2017-11-28 to 2018-05-27"))
        #expect(out.contains("kind=medical_card  → dropped by the filter"))
        #expect(out.contains("kind=supplementary_one_off  → does not count: outside the window"))
        #expect(out.contains("line 60  set aside at import (superseded): replaced by line 62"))
        #expect(out.contains("value: 0 (observed)"))
        // The same value as the panel's cell.
        let long = try Self.csv(root.appendingPathComponent("out/internal/panel/panel_long.csv"))
        let cell = long.first { $0["family_id"] == "F0013" && $0["wave"] == "m6" && $0["outcome"] == "supplementary_aid" }
        #expect(cell?["value"] == "0" && cell?["status"] == "observed")
        // No national number in any form: no run of nine or more digits.
        #expect(out.range(of: "[0-9]{9,}", options: .regularExpression) == nil)

        let survey = try RCTBinary.run(["explain", "designs/mission-kortrijk.yaml", "F0013", "services_fit", "--wave", "m6"],
                                       currentDirectory: root)
        #expect(survey.status == 0 && survey.stdout.contains("interview: interviewed on 2018-06-17"))
        #expect(survey.stdout.contains("answer services_fit = 2") && survey.stdout.contains("value: 2 (observed)"))

        let unknown = try RCTBinary.run(["explain", "designs/mission-kortrijk.yaml", "F9999", "supplementary_aid", "--wave", "m6"],
                                        currentDirectory: root)
        #expect(unknown.status == 1 && unknown.stderr.contains("no assigned family \"F9999\""))
    }
}
