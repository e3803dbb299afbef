import Basics
import Foundation
import StatFiles
import Tabular
import TrialDesign

/// An SPSS or Stata file read as rows of text cells, so that every reader of a source kind, `RowCells`
/// and the streaming importer take it exactly as they take a delimited file.
///
/// Why rows of text: the kind readers, the row hash of duplicate detection, rejection excerpts and the
/// reading thread all work on `TextRow`s; giving them the cells in one canonical text form keeps one
/// import path (and one set of rules) for every format, and the cost — formatting a number that is then
/// parsed again — is small next to ReadStat's own decoding. The canonical form:
///
/// - numbers: whole numbers without decimals (`-9`, `1150`), others in their shortest exact form with a
///   point (`1214.13`) — a stat file's dialect has the decimal point and no thousands separator;
/// - dates (SPSS `DATE`, `ADATE`, `EDATE`, `JDATE`, `SDATE`; Stata `%td`) in the dialect's day form
///   (`date_format`, `YYYY-MM-DD` by default), so the same form also reads dates stored as text;
///   date-times (SPSS `DATETIME`, Stata `%tc`) as their day; months (`MOYR`, `%tm`) in the month form;
///   quarters (`QYR`, `%tq`) as `YYYYQn`;
/// - text as the file holds it (UTF-8);
/// - missing values as empty cells: system-missing, and the values the file itself declares missing
///   (SPSS user-defined missing values and ranges, Stata's `.a`–`.z`), which are also counted by column,
///   value and label (`declaredMissing`) for the import report.
///
/// A row's `line` is its case number (1 for the first case): there are no lines in a binary file.
/// The value labels of each column (`valueLabels`) let `RowCells` map a code by its label and let the
/// survey reader treat a labelled code as one of the design's `missing_codes`.
final class StatRecordReader: RecordSource {
    let reader: StatFileReader
    let dialect: Dialect
    /// The text of a labelled value → its label, per column (by index).
    let valueLabels: [Int: [String: String]]
    /// Declared missing values met so far: (column, value) → count.
    private(set) var missingCounts: [MissingKey: Int] = [:]
    private var caseNumber = 0
    let hadByteOrderMark = false

    struct MissingKey: Hashable {
        var column: Int
        var value: StatValueKey
    }

    /// Opens `path` as `format`, after passing its bytes to `observer` (the file's fingerprint).
    init(path: String, format: StatFileFormat, dialect: Dialect, observer: ((Data) -> Void)?) throws {
        if let observer {
            guard let stream = InputStream(fileAtPath: path) else { throw StatFileError.unreadable(path: path) }
            stream.open()
            defer { stream.close() }
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = stream.read(&chunk, maxLength: chunk.count)
                if n < 0 { throw StatFileError.unreadable(path: path) }
                if n == 0 { break }
                observer(Data(chunk[0..<n]))
            }
        }
        reader = try StatFileReader(path: path, format: format)
        self.dialect = dialect
        var labels: [Int: [String: String]] = [:]
        for v in reader.variables where !v.valueLabels.isEmpty {
            labels[v.index] = Dictionary(v.valueLabels.map { ($0.key.description, $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        valueLabels = labels
    }

    var names: [String] { reader.variables.map(\.name) }

    func next() throws -> RawRecord? {
        var row = TextRow()
        guard try nextRow(&row) else { return nil }
        return row.record
    }

    func nextRow(_ row: inout TextRow) throws -> Bool {
        // A file damaged part-way throws StatFileError (the importer turns it into ImportError.unreadable).
        guard let values = try reader.nextCase() else { return false }
        caseNumber += 1
        var fields: [String] = []
        fields.reserveCapacity(values.count)
        for (i, v) in values.enumerated() { fields.append(text(v, column: i)) }
        row = TextRow(fields: fields, line: caseNumber)
        return true
    }

    private func text(_ v: StatValue, column: Int) -> String {
        switch v {
        case let .number(x): return StatNumber.text(x)
        case let .text(s): return s
        case let .date(d), let .dateTime(d, _): return dialect.dateFormat.format(day: d)
        case let .month(d): return (dialect.monthFormat ?? dialect.dateFormat).format(month: d)
        case let .quarter(d): return "\(d.year)Q\((d.month - 1) / 3 + 1)"
        case .missing(.system): return ""
        case let .missing(m):
            if let key = m.key { missingCounts[MissingKey(column: column, value: key), default: 0] += 1 }
            return ""
        }
    }

    /// The declared missing values met, by column and value, with their labels, in column order.
    var declaredMissing: [DeclaredMissing] {
        missingCounts.map { key, count in
            let v = reader.variables[key.column]
            return DeclaredMissing(column: v.name, value: key.value.description, label: v.valueLabels[key.value], count: count)
        }.sorted { ($0.column, $0.value) < ($1.column, $1.value) }
    }
}

/// Values an SPSS or Stata file declares missing (an SPSS user-defined missing value or range, a Stata
/// extended missing value `.a`–`.z`), counted per column and value: they are read as missing, and the
/// import report says how many there were and what their labels say.
public struct DeclaredMissing: Sendable, Codable, Equatable {
    public var column: String
    /// The value as text (`-9`, `.a`).
    public var value: String
    /// Its value label, when the file gives one (`weet niet`).
    public var label: String?
    public var count: Int

    public init(column: String, value: String, label: String?, count: Int) {
        self.column = column
        self.value = value
        self.label = label
        self.count = count
    }

    /// One line for a report: the total, then each value with its label, count and columns
    /// (`31 values declared missing in the file: -9 "geen antwoord" 12 (rights_leefloon 2, …); .a "weet niet" 19 (…)`).
    public static func summary(_ all: [DeclaredMissing]) -> String? {
        guard !all.isEmpty else { return nil }
        let total = all.reduce(0) { $0 + $1.count }
        var groups: [(value: String, label: String?, items: [DeclaredMissing])] = []
        for m in all {
            if let i = groups.firstIndex(where: { $0.value == m.value && $0.label == m.label }) { groups[i].items.append(m) }
            else { groups.append((m.value, m.label, [m])) }
        }
        let parts = groups.sorted { $0.value < $1.value }.map { g in
            "\(g.value)\(g.label.map { " \"\($0)\"" } ?? "") \(g.items.reduce(0) { $0 + $1.count }) ("
                + g.items.map { "\($0.column) \($0.count)" }.joined(separator: ", ") + ")"
        }
        return "\(total) value\(total == 1 ? "" : "s") declared missing in the file, read as missing: " + parts.joined(separator: "; ")
    }
}
