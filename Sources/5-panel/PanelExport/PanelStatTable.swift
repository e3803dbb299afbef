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
/// `supplementary_price_reduction_st` in `panel.dta`); `names(_:design:format:)` lists them for the
/// dictionary.
public enum PanelStatTable {
    /// A wide column's name in the file, where it differs.
    public struct Renamed: Sendable, Equatable {
        public var column: String
        public var name: String
    }

    /// The table of `panel` for `format`.
    /// - Throws: `PanelExportError` when the wide file and its dictionary disagree (a column without its
    ///   entry), or (while the rows are read) a cell of a numeric column is not a number.
    public static func table(_ panel: PanelData, design: Design, format: StatFileFormat) throws -> StatTable {
        try table(wide: Array(PanelCSV.wide(panel).utf8), panel: panel, design: design, format: format)
    }

    /// The table for `format` from `panel_wide.csv`'s bytes (`PanelCSV.wide(panel)`). The rows are not
    /// held: the table reads them from the bytes each time it is walked.
    public static func table(wide: [UInt8], panel: PanelData, design: Design, format: StatFileFormat) throws -> StatTable {
        try table(Scan(wide: wide, panel: panel, design: design), design: design, format: format)
    }

    /// What one pass over the wide file's text tells: its header checked against the dictionary, the
    /// number of rows, the values of the subgroup columns (their codes depend on them) and the widths of
    /// the text columns. Made once for both formats.
    struct Scan: Sendable {
        let wide: [UInt8]
        let entries: [DictionaryEntry]
        var rowCount = 0
        var present: [Int: Set<String>] = [:]
        var widths: [Int]

        init(wide: [UInt8], panel: PanelData, design: Design) throws {
            self.wide = wide
            let reader = DelimitedRecordReader(bytes: wide, separator: ",")
            let header = try reader.next()?.fields ?? []
            let entries = DataDictionary.entries(design: design, panel: panel)
            guard entries.map(\.column) == header else {
                throw PanelExportError.dictionaryMismatch(columns: header, entries: entries.map(\.column))
            }
            self.entries = entries
            let subgroupColumns = entries.indices.filter { PanelStatTable.subgroup(of: entries[$0], design) != nil }
            widths = Array(repeating: 1, count: header.count)
            while let r = try reader.next() {
                rowCount += 1
                for j in subgroupColumns where !r.fields[j].isEmpty { present[j, default: []].insert(r.fields[j]) }
                for (j, f) in r.fields.enumerated() where f.utf8.count > widths[j] { widths[j] = f.utf8.count }
            }
        }
    }

    static func table(_ scan: Scan, design: Design, format: StatFileFormat) throws -> StatTable {
        let names = StatNames.valid(scan.entries.map(\.column), for: format)
        var columns: [StatColumn] = []
        var converters: [Converter] = []
        for (j, entry) in scan.entries.enumerated() {
            var (column, converter) = plan(entry, present: scan.present[j] ?? [], design: design)
            column.name = names[j]
            if column.kind == .text { column.width = scan.widths[j] }
            columns.append(column)
            converters.append(converter)
        }
        let notes = [
            "Panel of trial \(design.trial.id): one row per unit x wave, as panel_wide.csv.",
            "Written by rct through \(ReadStatLibrary.name); see data_dictionary.md.",
            "Pseudonymised: study codes and keyed pseudonyms only.",
        ]
        let width = scan.entries.count
        let convert = converters
        let wide = scan.wide
        return StatTable(columns: columns, rowCount: scan.rowCount, label: design.trial.title, notes: notes) { body in
            let rows = DelimitedRecordReader(bytes: wide, separator: ",")
            _ = try rows.next()
            var cells: [StatCell] = []
            cells.reserveCapacity(width)
            while let r = try rows.next() {
                cells.removeAll(keepingCapacity: true)
                for (j, text) in r.fields.enumerated() { cells.append(try convert[j].cell(text)) }
                try body(cells)
            }
        }
    }

    /// The wide columns whose names `format` does not accept, with the names used instead (the wide
    /// file's columns are the data dictionary's).
    public static func names(_ panel: PanelData, design: Design, format: StatFileFormat) -> [Renamed] {
        let header = DataDictionary.entries(design: design, panel: panel).map(\.column)
        return zip(header, StatNames.valid(header, for: format)).filter { $0 != $1 }.map { Renamed(column: $0, name: $1) }
    }

    /// How a column's text becomes a cell.
    enum Converter: Sendable {
        case text
        case number(column: String)
        case date(column: String)
        case code(column: String, [String: Double])

        func cell(_ t: String) throws -> StatCell {
            switch self {
            case .text:
                return .text(t)
            case let .number(column):
                if t.isEmpty { return .missing }
                guard let v = Double(t) else { throw PanelExportError.notANumber(column: column, value: t) }
                return .number(v)
            case let .date(column):
                if t.isEmpty { return .missing }
                guard let d = CalendarDate(iso: t) else { throw PanelExportError.notANumber(column: column, value: t) }
                return .date(d)
            case let .code(column, codes):
                if t.isEmpty { return .missing }
                guard let v = codes[t] else { throw PanelExportError.notANumber(column: column, value: t) }
                return .number(v)
            }
        }
    }

    /// The subgroup whose column a dictionary entry is (a cohort column is listed under its name).
    static func subgroup(of e: DictionaryEntry, _ design: Design) -> Subgroup? {
        e.kind == "cohort" ? design.subgroups.first { $0.column == e.label } : nil
    }

    /// A column typed and labelled by its dictionary entry; `present` holds a subgroup column's values.
    static func plan(_ e: DictionaryEntry, present: Set<String>, design: Design) -> (StatColumn, Converter) {
        let yesNo: [(value: Double, label: String)] = [(0, "no"), (1, "yes")]
        if e.column == "arm" && e.kind == "assignment" {
            let ordered = design.arms.filter(\.isControl) + design.arms.filter { !$0.isControl }
            let codes = ordered.enumerated().map { (id: $0.element.id, code: Double($0.offset)) }
            return (StatColumn(name: e.column, label: e.label, kind: .number, valueLabels: codes.map { ($0.code, $0.id) }, nominal: true),
                    .code(column: e.column, Dictionary(codes.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })))
        }
        if e.column == "wave" && e.kind == "wave" {
            let offsets = design.waves.map(\.offsetMonths)
            let distinct = Set(offsets).count == offsets.count
            let codes = design.waves.enumerated().map { (id: $0.element.id, code: Double(distinct ? $0.element.offsetMonths : $0.offset + 1)) }
            return (StatColumn(name: e.column, label: e.label + (distinct ? " (months after assignment)" : ""), kind: .number,
                               valueLabels: codes.map { ($0.code, $0.id) }, nominal: true),
                    .code(column: e.column, Dictionary(codes.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })))
        }
        switch e.type {
        case "date":
            return (StatColumn(name: e.column, label: e.label, kind: .date), .date(column: e.column))
        case "number", "count", "continuous":
            return (StatColumn(name: e.column, label: e.label, kind: .number), .number(column: e.column))
        case "binary":
            return (StatColumn(name: e.column, label: e.label, kind: .number, valueLabels: yesNo, nominal: true), .number(column: e.column))
        default:
            break
        }
        if let subgroup = subgroup(of: e, design) {
            if !present.isEmpty, present.allSatisfy({ Int($0) != nil }) {
                let zeroOne = present.isSubset(of: ["0", "1"])
                return (StatColumn(name: e.column, label: subgroup.label, kind: .number, valueLabels: zeroOne ? yesNo : [], nominal: true),
                        .number(column: e.column))
            }
            let levels = design.strata.first { $0.column == subgroup.column }?.levels ?? []
            let ordered = levels + present.subtracting(levels).sorted()
            let codes = ordered.enumerated().map { (value: $0.element, code: Double($0.offset + 1)) }
            return (StatColumn(name: e.column, label: subgroup.label, kind: .number, valueLabels: codes.map { ($0.code, $0.value) }, nominal: true),
                    .code(column: e.column, Dictionary(codes.map { ($0.value, $0.code) }, uniquingKeysWith: { a, _ in a })))
        }
        return (StatColumn(name: e.column, label: e.label, kind: .text), .text)
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
