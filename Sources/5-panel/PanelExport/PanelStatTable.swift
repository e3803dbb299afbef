import Basics
import Foundation
import Panel
import StatFiles
import Tabular
import TrialDesign

/// The panel's wide file as a labelled table for Stata (`panel.dta`) and SPSS (`panel.sav`).
///
/// The rows and values are those of `panel_wide.csv` by construction: the table is built from the text
/// `PanelCSV.wide` writes, read back with the project's one CSV reader, and each column is typed by the
/// data dictionary's entry for it (`DataDictionary.entries`, which follows the wide file's columns one
/// for one). Building from that text rather than from `PanelData` keeps one definition of the wide
/// file's columns and values (in `Panel`), so the three files cannot drift apart; numbers survive the
/// trip exactly (`PanelCSV.formatNumber` writes the shortest form that reads back to the same double).
///
/// Typing and labels, from the design:
///
/// | column | stored as | value labels |
/// |---|---|---|
/// | `arm` | number: the control arm 0, the others 1, 2, … in the design's order | the arm ids |
/// | `wave` | number: the wave's `offset_months` (0, 6, 12; 1, 2, … in the design's order if two waves share an offset) | the wave ids |
/// | dates (`assigned_on`, `wave_target`, `interview_date`) | Stata `%td`, SPSS `SDATE10` | – |
/// | `probability`, covariates, outcomes, `take_up` | number | binary outcomes and `take_up`: 0 `no`, 1 `yes` |
/// | a subgroup's cohort column | number: its values when they are whole numbers, else codes 1, 2, … (the stratum's levels in order, or the values sorted) | 0/1: `no`/`yes`; codes: the values |
/// | the id, `stratum`, `block`, `cluster`, statuses, other cohort columns | text, as written | – |
///
/// Variable labels are the dictionary's (the outcome and covariate labels of the design; "Status of …";
/// a subgroup column takes the subgroup's label). Names that a format does not accept are changed by
/// `StatNames` (Stata's 32 characters: `supplementary_price_reduction_status` is
/// `supplementary_price_reduction_st` in `panel.dta`); `names(_:format:)` lists them for the dictionary.
public enum PanelStatTable {
    /// A wide column's name in the file, where it differs.
    public struct Renamed: Sendable, Equatable {
        public var column: String
        public var name: String
    }

    /// The table of `panel` for `format`.
    /// - Throws: `PanelExportError` when the wide file and its dictionary disagree (a column without its
    ///   entry), or a cell of a numeric column is not a number.
    public static func table(_ panel: PanelData, design: Design, format: StatFileFormat) throws -> StatTable {
        let (header, rows) = try wideText(panel)
        let entries = DataDictionary.entries(design: design, panel: panel)
        guard entries.map(\.column) == header else {
            throw PanelExportError.dictionaryMismatch(columns: header, entries: entries.map(\.column))
        }
        let names = StatNames.valid(header, for: format)
        var columns: [StatColumn] = []
        var cells: [[StatCell]] = Array(repeating: [], count: rows.count)
        for (j, entry) in entries.enumerated() {
            let texts = rows.map { $0[j] }
            let (column, values) = try typed(entry, texts, design: design)
            var c = column
            c.name = names[j]
            columns.append(c)
            for i in rows.indices { cells[i].append(values[i]) }
        }
        let notes = [
            "Panel of trial \(design.trial.id): one row per unit x wave, as panel_wide.csv.",
            "Written by rct through \(ReadStatLibrary.name); see data_dictionary.md.",
            "Pseudonymised: study codes and keyed pseudonyms only.",
        ]
        return StatTable(columns: columns, rows: cells, label: design.trial.title, notes: notes)
    }

    /// The wide columns whose names `format` does not accept, with the names used instead.
    public static func names(_ panel: PanelData, format: StatFileFormat) throws -> [Renamed] {
        let header = try wideText(panel).header
        return zip(header, StatNames.valid(header, for: format)).filter { $0 != $1 }.map { Renamed(column: $0, name: $1) }
    }

    /// `panel_wide.csv`'s header and rows as text.
    static func wideText(_ panel: PanelData) throws -> (header: [String], rows: [[String]]) {
        let reader = DelimitedRecordReader(bytes: Array(PanelCSV.wide(panel).utf8), separator: ",")
        guard let header = try reader.next()?.fields else { return ([], []) }
        var rows: [[String]] = []
        rows.reserveCapacity(panel.rows.count)
        while let r = try reader.next() { rows.append(r.fields) }
        return (header, rows)
    }

    /// One column typed and labelled by its dictionary entry.
    static func typed(_ e: DictionaryEntry, _ texts: [String], design: Design) throws -> (StatColumn, [StatCell]) {
        func numbers() throws -> [StatCell] {
            try texts.map { t in
                if t.isEmpty { return .missing }
                guard let v = Double(t) else { throw PanelExportError.notANumber(column: e.column, value: t) }
                return .number(v)
            }
        }
        let yesNo: [(value: Double, label: String)] = [(0, "no"), (1, "yes")]
        if e.column == "arm" && e.kind == "assignment" {
            let ordered = design.arms.filter(\.isControl) + design.arms.filter { !$0.isControl }
            let code = Dictionary(ordered.enumerated().map { ($0.element.id, Double($0.offset)) }, uniquingKeysWith: { a, _ in a })
            return (StatColumn(name: e.column, label: e.label, kind: .number,
                               valueLabels: ordered.enumerated().map { (Double($0.offset), $0.element.id) }, nominal: true),
                    try texts.map { t in try code[t].map(StatCell.number) ?? { throw PanelExportError.notANumber(column: e.column, value: t) }() })
        }
        if e.column == "wave" && e.kind == "wave" {
            let offsets = design.waves.map(\.offsetMonths)
            let distinct = Set(offsets).count == offsets.count
            let codes = design.waves.enumerated().map { (w: $0.element, code: Double(distinct ? $0.element.offsetMonths : $0.offset + 1)) }
            let code = Dictionary(codes.map { ($0.w.id, $0.code) }, uniquingKeysWith: { a, _ in a })
            return (StatColumn(name: e.column, label: e.label + (distinct ? " (months after assignment)" : ""), kind: .number,
                               valueLabels: codes.map { ($0.code, $0.w.id) }, nominal: true),
                    try texts.map { t in try code[t].map(StatCell.number) ?? { throw PanelExportError.notANumber(column: e.column, value: t) }() })
        }
        switch e.type {
        case "date":
            return (StatColumn(name: e.column, label: e.label, kind: .date), try texts.map { t in
                if t.isEmpty { return .missing }
                guard let d = CalendarDate(iso: t) else { throw PanelExportError.notANumber(column: e.column, value: t) }
                return .date(d)
            })
        case "number", "count", "continuous":
            return (StatColumn(name: e.column, label: e.label, kind: .number), try numbers())
        case "binary":
            return (StatColumn(name: e.column, label: e.label, kind: .number, valueLabels: yesNo, nominal: true), try numbers())
        default:
            break
        }
        if e.kind == "cohort", let subgroup = design.subgroups.first(where: { $0.column == e.label }) {
            let present = texts.filter { !$0.isEmpty }
            if !present.isEmpty, present.allSatisfy({ Int($0) != nil }) {
                let zeroOne = Set(present).isSubset(of: ["0", "1"])
                return (StatColumn(name: e.column, label: subgroup.label, kind: .number, valueLabels: zeroOne ? yesNo : [], nominal: true),
                        try numbers())
            }
            let levels = design.strata.first { $0.column == subgroup.column }?.levels ?? []
            let ordered = levels + Set(present).subtracting(levels).sorted()
            let code = Dictionary(ordered.enumerated().map { ($0.element, Double($0.offset + 1)) }, uniquingKeysWith: { a, _ in a })
            return (StatColumn(name: e.column, label: subgroup.label, kind: .number,
                               valueLabels: ordered.enumerated().map { (Double($0.offset + 1), $0.element) }, nominal: true),
                    texts.map { $0.isEmpty ? .missing : .number(code[$0]!) })
        }
        return (StatColumn(name: e.column, label: e.label, kind: .text), texts.map { .text($0) })
    }
}

/// Why the panel cannot be written as a Stata or SPSS file.
public enum PanelExportError: Error, Equatable, CustomStringConvertible {
    case dictionaryMismatch(columns: [String], entries: [String])
    case notANumber(column: String, value: String)

    public var description: String {
        switch self {
        case let .dictionaryMismatch(columns, entries):
            return "the panel's wide file and its data dictionary disagree (\(columns.count) columns, \(entries.count) entries; "
                + "first difference: \(zip(columns, entries).first { $0 != $1 }.map { "\($0) / \($1)" } ?? "the count")); this is a bug in rct"
        case let .notANumber(column, value):
            return "the panel's column \(column) holds \"\(value)\", which is not a number; this is a bug in rct"
        }
    }
}
