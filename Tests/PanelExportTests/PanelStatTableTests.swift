import Foundation
import Panel
import PanelExport
import StatFiles
import Testing
import TestSupport
import TrialData
import TrialDesign

/// The panel's table for Stata and SPSS, on the hand-computed panel of fixtures/panel: typed from the
/// data dictionary, coded and labelled from the design, and holding exactly panel_wide.csv's values.
@Suite struct PanelStatTableTests {
    static func load() throws -> (Design, PanelData) {
        let design = try Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
        let dir = "fixtures/panel/"
        let panel = try Panel.derive(
            design: design,
            units: try JSONLines.units(path: Fixtures.path(dir + "units.jsonl")),
            records: try JSONLines.records(path: Fixtures.path(dir + "records.jsonl")),
            responses: try JSONLines.responses(path: Fixtures.path(dir + "responses.jsonl")),
            exits: try JSONLines.exits(path: Fixtures.path(dir + "exits.jsonl")),
            options: PanelOptions(screening: try JSONLines.screening(path: Fixtures.path(dir + "screening.json"))))
        return (design, panel)
    }

    /// panel_wide.csv as text rows.
    static func wide(_ panel: PanelData) -> [[String]] {
        PanelCSV.wide(panel).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func columnsAreTypedAndLabelledFromTheDesign() throws {
        let (design, panel) = try Self.load()
        let t = try PanelStatTable.table(panel, design: design, format: .stata)
        let csv = Self.wide(panel)
        let rows = try t.allRows()
        #expect(t.columns.count == csv[0].count && rows.count == csv.count - 1 && t.rowCount == rows.count)
        func column(_ name: String) -> StatColumn { t.columns.first { $0.name == name }! }
        #expect(column("family_id").kind == .text && column("stratum").kind == .text && column("leefloon_status").kind == .text)
        #expect(column("assigned_on").kind == .date && column("interview_date").kind == .date)
        #expect(column("arm").valueLabels.map(\.label) == ["control", "intervention"] && column("arm").valueLabels.map(\.value) == [0, 1])
        #expect(column("wave").valueLabels.map(\.value) == [0, 6, 12] && column("wave").label == "Wave (months after assignment)")
        #expect(column("leefloon").valueLabels.map(\.label) == ["no", "yes"] && column("leefloon").label == "Receives the leefloon (minimum income)")
        #expect(column("supplementary_amount").valueLabels.isEmpty && column("supplementary_amount").kind == .number)
        #expect(column("deprivation_band").valueLabels.map(\.label) == ["3", "4-6"])
        // A subgroup column of text (here yes/no) is coded 1, 2, … with its values as labels.
        #expect(column("cohort_single_parent").valueLabels.map(\.label) == ["no", "yes"])
        #expect(column("cohort_single_parent").label == "Single-parent families")
        #expect(column("supplementary_price_reduction_st").label == "Status of supplementary_price_reduction")
        // Every cell as the CSV writes it.
        for (i, row) in rows.enumerated() {
            for (j, cell) in row.enumerated() {
                let text = csv[i + 1][j], c = t.columns[j]
                switch cell {
                case let .number(x) where ["arm", "wave", "deprivation_band", "cohort_single_parent"].contains(c.name):
                    #expect(c.valueLabels.first { $0.value == x }?.label == text)
                case let .number(x): #expect(Double(text) == x, "\(c.name) row \(i): \(text)")
                case let .date(d): #expect(d.description == text)
                case let .text(s): #expect(s == text)
                case .missing: #expect(text.isEmpty)
                }
            }
        }
    }

    /// Codes follow the design whatever its order: the control arm is 0; waves that share an offset are
    /// numbered 1, 2, … in the design's order.
    @Test func codesFollowTheDesign() throws {
        var (design, panel) = try Self.load()
        design.arms.reverse()
        design.waves[1].offsetMonths = 0
        let t = try PanelStatTable.table(panel, design: design, format: .spss)
        let arm = t.columns.first { $0.name == "arm" }!, wave = t.columns.first { $0.name == "wave" }!
        #expect(arm.valueLabels.map(\.label) == ["control", "intervention"])
        #expect(wave.valueLabels.map(\.value) == [1, 2, 3] && wave.valueLabels.map(\.label) == ["baseline", "m6", "m12"])
        #expect(wave.label == "Wave")
        // SPSS keeps the long name.
        #expect(t.columns.contains { $0.name == "supplementary_price_reduction_status" })
        panel.rows.removeAll()
        #expect(try PanelStatTable.table(panel, design: design, format: .stata).allRows().isEmpty)
    }

    @Test func theDictionarySectionNamesTheFiles() throws {
        let (design, panel) = try Self.load()
        let all = PanelFiles.dictionarySection(panel, design: design, formats: PanelFileFormat.allCases)
        #expect(all.contains("| `panel.dta` |") && all.contains("| `panel.sav` |") && all.contains("| `panel_wide.csv` |"))
        #expect(all.contains("`supplementary_price_reduction_status` is `supplementary_price_reduction_st`"))
        let dtaOnly = PanelFiles.dictionarySection(panel, design: design, formats: [.dta])
        #expect(!dtaOnly.contains("panel_wide.csv") && !dtaOnly.contains("panel.sav"))
    }
}
