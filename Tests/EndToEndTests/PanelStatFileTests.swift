import Foundation
import Testing
import TestSupport

/// `rct run` writes the panel as panel.dta and panel.sav beside panel_wide.csv. An independent reader,
/// pyreadstat (a Python test driver; never for statistics), reads them back: every row, value, variable
/// label and value label is compared with panel_wide.csv, the data dictionary and the design.
@Suite(.serialized) struct PanelStatFileTests {
    /// Prints a file as JSON: its columns, variable labels, formats, value labels (keys as floats) and
    /// rows (numbers as {"n": repr}, so that no JSON parser rounds them; dates as YYYY-MM-DD; missing as
    /// null).
    static let driver = """
        import json, math, sys
        import pandas as pd, pyreadstat
        path = sys.argv[1]
        read = pyreadstat.read_dta if path.endswith(".dta") else pyreadstat.read_sav
        df, m = read(path)
        def cell(v):
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                return None
            if hasattr(v, "isoformat"):
                return v.isoformat()[:10]
            if isinstance(v, (int, float)):
                return {"n": repr(float(v))}
            return v
        print(json.dumps({
            "file_label": m.file_label,
            "columns": m.column_names,
            "labels": m.column_labels,
            "formats": m.original_variable_types,
            "value_labels": {k: {str(float(a)): b for a, b in v.items()} for k, v in m.variable_value_labels.items()},
            "rows": [[cell(v) for v in row] for row in df.itertuples(index=False)],
            "pyreadstat": pyreadstat.__version__,
        }))
        """

    struct Read {
        var columns: [String]
        var labels: [String]
        var formats: [String: String]
        var valueLabels: [String: [Double: String]]
        var rows: [[Any?]]
        var fileLabel: String
    }

    static func read(_ path: String) throws -> Read {
        let json = try PythonDriver.json(driver, arguments: [path]) as! [String: Any]
        let vl = (json["value_labels"] as! [String: [String: String]]).mapValues { m in
            Dictionary(uniqueKeysWithValues: m.map { (Double($0.key)!, $0.value) })
        }
        return Read(columns: json["columns"] as! [String], labels: (json["labels"] as! [Any]).map { $0 as? String ?? "" },
                    formats: json["formats"] as! [String: String], valueLabels: vl,
                    rows: (json["rows"] as! [[Any]]).map { $0.map { v -> Any? in
                        if v is NSNull { return nil }
                        if let n = v as? [String: String], let text = n["n"] { return Double(text)! }
                        return v
                    } }, fileLabel: json["file_label"] as? String ?? "")
    }

    static var panel: URL { RunCommandTests.shared.root.appendingPathComponent("out/internal/panel") }

    /// panel_wide.csv's header in order and its rows by column.
    static func wide() throws -> (header: [String], rows: [[String: String]]) {
        let url = panel.appendingPathComponent("panel_wide.csv")
        let first = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")[0]
        return (first.split(separator: ",", omittingEmptySubsequences: false).map(String.init), try RunCommandTests.csv(url))
    }

    @Test(arguments: ["panel.dta", "panel.sav"])
    func everyValueAndLabelReadsBackWithPyreadstat(file: String) throws {
        #expect(RunCommandTests.shared.first.status == 0, "\(RunCommandTests.shared.first.stderr)")
        let stata = file.hasSuffix(".dta")
        let r = try Self.read(Self.panel.appendingPathComponent(file).path)
        let (header, rows) = try Self.wide()
        // The design's title; an SPSS file label holds 64 bytes.
        let title = "MISSION: outreaching case managers for vulnerable families with a newborn"
        #expect(r.fileLabel == (stata ? title : String(title.prefix(61)) + "…"))
        // The same columns (Stata's 32-character limit renames one), the same rows in the same order.
        let expectedNames = header.map { stata && $0 == "supplementary_price_reduction_status" ? "supplementary_price_reduction_st" : $0 }
        #expect(r.columns == expectedNames)
        #expect(r.rows.count == rows.count && rows.count == 336)

        // Variable labels: the data dictionary's, subgroup columns the subgroup's label, Stata's cut to 80 characters.
        let dictionary = Dictionary(uniqueKeysWithValues: try RunCommandTests.csv(Self.panel.appendingPathComponent("data_dictionary.csv"))
            .map { ($0["column"]!, $0["label"]!) })
        let subgroupLabels = ["deprivation_band": "Weak on 3 domains versus 4 to 6", "cohort_single_parent": "Single-parent families"]
        for (j, column) in header.enumerated() {
            var label = subgroupLabels[column] ?? dictionary[column]!
            if column == "wave" { label += " (months after assignment)" }
            if stata && label.count > 80 { label = String(label.prefix(79)) + "…" }
            #expect(r.labels[j] == label, "label of \(column)")
        }
        #expect(r.labels[header.firstIndex(of: "leefloon")!] == "Receives the leefloon (minimum income)")

        // Value labels: arms (control 0), waves (months after assignment), subgroups, 0/1 columns.
        let name = { (c: String) in r.columns[header.firstIndex(of: c)!] }
        #expect(r.valueLabels[name("arm")] == [0: "control", 1: "intervention"])
        #expect(r.valueLabels[name("wave")] == [0: "baseline", 6: "m6", 12: "m12"])
        #expect(r.valueLabels[name("deprivation_band")] == [1: "3", 2: "4-6"])
        #expect(r.valueLabels[name("cohort_single_parent")] == [0: "no", 1: "yes"])
        let binary = ["take_up", "leefloon", "supplementary_aid", "supplementary_one_off", "supplementary_structural",
                      "supplementary_price_reduction", "medical_card", "budget_guidance", "employment_programme", "art60_employment",
                      "material_aid", "social_housing", "regular_employment"]
        for c in binary { #expect(r.valueLabels[name(c)] == [0: "no", 1: "yes"], "value labels of \(c)") }
        #expect(Set(r.valueLabels.keys) == Set((binary + ["arm", "wave", "deprivation_band", "cohort_single_parent"]).map(name)))
        // Dates are dates in both.
        for c in ["assigned_on", "wave_target", "interview_date"] {
            #expect(r.formats[c] == (stata ? "%tdCCYY-NN-DD" : "SDATE10"), "format of \(c)")
        }

        // Every value: as panel_wide.csv writes it, through the value labels where the file codes it.
        var compared = 0
        for (i, row) in rows.enumerated() {
            for (j, column) in header.enumerated() {
                let csv = row[column]!
                let value = r.rows[i][j]
                if let labels = r.valueLabels[r.columns[j]], ["arm", "wave", "deprivation_band"].contains(column) {
                    #expect((value as? Double).flatMap { labels[$0] } == csv, "row \(i + 2) \(column)")
                } else if let x = value as? Double {
                    #expect(Double(csv) == x, "row \(i + 2) \(column): \(csv) in the CSV, \(x) in \(file)")
                } else if let s = value as? String {
                    #expect(s == csv, "row \(i + 2) \(column): \(csv) in the CSV, \(s) in \(file)")
                } else {
                    #expect(csv.isEmpty, "row \(i + 2) \(column): \(csv) in the CSV, missing in \(file)")
                }
                compared += 1
            }
        }
        #expect(compared == 336 * 55)
    }

    /// Pseudonyms only: no run of nine digits (a national number) anywhere in the files' text.
    @Test(arguments: ["panel.dta", "panel.sav"])
    func noNationalNumberInTheFiles(file: String) throws {
        let r = try Self.read(Self.panel.appendingPathComponent(file).path)
        for row in r.rows {
            for case let s as String in row { #expect(s.range(of: "[0-9]{9}", options: .regularExpression) == nil) }
        }
        let bytes = try Data(contentsOf: Self.panel.appendingPathComponent(file))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.range(of: "[0-9]{11}", options: .regularExpression) == nil)
    }

    /// The data dictionary names each file written, with the names a format changed.
    @Test func theDictionaryNamesEachFile() throws {
        let md = try String(contentsOf: Self.panel.appendingPathComponent("data_dictionary.md"), encoding: .utf8)
        for f in ["`panel_wide.csv`", "`panel_long.csv`", "`panel.dta`", "`panel.sav`", "`consort.json`"] { #expect(md.contains("| \(f)")) }
        #expect(md.contains("renamed: `supplementary_price_reduction_status` is `supplementary_price_reduction_st`"))
    }

    /// `--formats` chooses the files; a file of a format not chosen is removed, and the run is not up to
    /// date until the chosen files are there.
    @Test func formatsChooseTheFiles() throws {
        let root = try Fixtures.missionTrialCopy("rct-run-formats")
        let first = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out", "--formats", "csv"], currentDirectory: root)
        #expect(first.status == 0, "\(first.stderr)")
        let panel = root.appendingPathComponent("out/internal/panel")
        func exists(_ f: String) -> Bool { FileManager.default.fileExists(atPath: panel.appendingPathComponent(f).path) }
        #expect(exists("panel_wide.csv") && !exists("panel.dta") && !exists("panel.sav"))
        let second = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out", "--formats", "dta"], currentDirectory: root)
        #expect(second.status == 0 && second.stdout == "report: out/publish/report.html\n", "\(second.stderr)")
        #expect(exists("panel.dta") && !exists("panel_wide.csv") && !exists("panel.sav") && exists("data_dictionary.md"))
        let third = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out", "--formats", "dta"], currentDirectory: root)
        #expect(third.stdout == "up to date: out/publish/report.html\n")
        let bad = try RCTBinary.run(["panel", "designs/mission-kortrijk.yaml", "--formats", "csv,xlsx"], currentDirectory: root)
        #expect(bad.status != 0 && bad.stderr.contains("Please give --formats as a comma-separated list of csv, dta and sav (found \"xlsx\")"))
        let panelOnly = try RCTBinary.run(["panel", "designs/mission-kortrijk.yaml", "--out", "p", "--formats", "sav,csv"], currentDirectory: root)
        #expect(panelOnly.status == 0, "\(panelOnly.stderr)")
        #expect(panelOnly.stdout.contains("(panel_wide.csv, panel_long.csv, data_dictionary.md, data_dictionary.csv, consort.json, panel.sav)"),
                "\(panelOnly.stdout)")
        // The CSV files are the same bytes with and without the statistical files beside them.
        let csvOnly = try RCTBinary.run(["panel", "designs/mission-kortrijk.yaml", "--out", "c", "--formats", "csv"], currentDirectory: root)
        #expect(csvOnly.status == 0, "\(csvOnly.stderr)")
        for f in ["panel_wide.csv", "panel_long.csv", "data_dictionary.csv", "consort.json"] {
            let a = try Data(contentsOf: root.appendingPathComponent("c/internal/panel/\(f)"))
            let b = try Data(contentsOf: root.appendingPathComponent("p/internal/panel/\(f)"))
            #expect(a == b && !a.isEmpty, "\(f)")
        }
    }
}
