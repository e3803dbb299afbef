import Foundation
import Tabular

/// The data file of the analysis commands (`rct estimate --data`, `ri`, `subgroups`, `attrition`,
/// `bounds`, `dose-response`) as evaluators have it: another separator, numbers with a decimal comma,
/// and only the rows of one wave (`--where wave=m6`). A file that holds several waves of the panel (or,
/// in its long form, several outcomes) is refused unless a filter chooses one: pooling them would count
/// every family once per wave and give standard errors that ignore it.
public enum AnalysisTable {
    /// How to read the file and which rows to keep.
    public struct Options: Sendable, Equatable {
        public var separator: Character
        public var decimalComma: Bool
        public var filters: [RowFilter]

        public init(separator: Character = ",", decimalComma: Bool = false, filters: [RowFilter] = []) {
            self.separator = separator
            self.decimalComma = decimalComma
            self.filters = filters
        }
    }

    /// `COLUMN=VALUE`: keep the rows whose cell in COLUMN is VALUE (spaces around the cell ignored).
    public struct RowFilter: Sendable, Equatable {
        public var column: String
        public var value: String

        public init(column: String, value: String) {
            self.column = column
            self.value = value
        }

        /// Parses `COLUMN=VALUE`; nil when there is no `=` or no column name.
        public init?(parsing text: String) {
            guard let eq = text.firstIndex(of: "=") else { return nil }
            let column = text[..<eq].trimmingCharacters(in: .whitespaces)
            guard !column.isEmpty else { return nil }
            self.init(column: column, value: text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// Columns whose several values in one file mean several copies of each unit: the panel's `wave`,
    /// and in the long form (`outcome` beside `value`) the `outcome`.
    static func poolingColumns(_ header: [String]) -> [String] {
        var out: [String] = []
        if header.contains("wave") { out.append("wave") }
        if header.contains("outcome") && header.contains("value") { out.append("outcome") }
        return out
    }

    /// Reads `path`, keeps the rows every filter passes, and rewrites decimal commas as points.
    /// - Throws: `AnalysisTableError`, or `TableError` from the reader.
    public static func read(path: String, options: Options = Options()) throws -> Table {
        guard FileManager.default.fileExists(atPath: path) else { throw AnalysisTableError.missing(path: path) }
        if options.decimalComma && options.separator == "," {
            throw AnalysisTableError.decimalCommaWithCommaSeparator
        }
        if options.separator == ",", let header = firstLine(path), !header.contains(","),
           let other: Character = [";", "\t", "|"].first(where: { header.contains($0) }) {
            throw AnalysisTableError.looksSeparatedBy(other)
        }
        let table = try DelimitedReader(separator: options.separator).read(path: path)
        var keep = Array(repeating: true, count: table.rowCount)
        for f in options.filters {
            guard let j = table.index(of: f.column) else {
                throw AnalysisTableError.noFilterColumn(f.column, available: table.header)
            }
            let present = Set(table.rows.map { j < $0.count ? $0[j].trimmingCharacters(in: .whitespaces) : "" })
            guard present.contains(f.value) else {
                throw AnalysisTableError.noRowMatches(f, values: present.filter { !$0.isEmpty }.sorted())
            }
            for (i, row) in table.rows.enumerated() where keep[i] {
                keep[i] = (j < row.count ? row[j].trimmingCharacters(in: .whitespaces) : "") == f.value
            }
        }
        var rows: [[String]] = []
        var lines: [Int] = []
        for i in table.rows.indices where keep[i] {
            rows.append(options.decimalComma ? table.rows[i].map(pointDecimal) : table.rows[i])
            lines.append(table.lines[i])
        }
        let filtered = Table(header: table.header, rows: rows, lines: lines)
        let chosen = Set(options.filters.map(\.column))
        for column in poolingColumns(table.header) where !chosen.contains(column) {
            let values = distinct(filtered, column)
            if values.count > 1 { throw AnalysisTableError.pools(column: column, values: values) }
        }
        return filtered
    }

    /// The file's first line (at most 64 KiB of it), nil when it cannot be read.
    static func firstLine(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let bytes = try? handle.read(upToCount: 65_536) else { return nil }
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") }
        return String(decoding: line, as: UTF8.self)
    }

    /// The distinct non-empty values of a column, in the order they first appear.
    static func distinct(_ table: Table, _ column: String) -> [String] {
        guard let j = table.index(of: column) else { return [] }
        var seen = Set<String>()
        var out: [String] = []
        for row in table.rows {
            let v = j < row.count ? row[j].trimmingCharacters(in: .whitespaces) : ""
            if !v.isEmpty, seen.insert(v).inserted { out.append(v) }
        }
        return out
    }

    /// `-1234,5` → `-1234.5`; a cell that is not a number with one decimal comma is left as it is.
    static func pointDecimal(_ cell: String) -> String {
        let t = cell.trimmingCharacters(in: .whitespaces)
        guard let comma = t.firstIndex(of: ","), t.filter({ $0 == "," }).count == 1 else { return cell }
        let candidate = t.replacingCharacters(in: comma...comma, with: ".")
        return Double(candidate) != nil ? candidate : cell
    }
}

/// Why the analysis data file cannot be used as asked.
public enum AnalysisTableError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case decimalCommaWithCommaSeparator
    case looksSeparatedBy(Character)
    case noFilterColumn(String, available: [String])
    case noRowMatches(AnalysisTable.RowFilter, values: [String])
    case pools(column: String, values: [String])

    public var description: String {
        switch self {
        case let .missing(path):
            return "\(path): cannot read the file; check the path given to --data (it is relative to the current folder)"
        case .decimalCommaWithCommaSeparator:
            return "--decimal-comma needs another separator than the comma: give --separator \";\" (the usual one with decimal commas)"
        case let .looksSeparatedBy(c):
            let shown = c == "\t" ? "tab" : String(c)
            return "the header line has one column and contains \"\(shown)\": the file looks separated by \(shown == "tab" ? "tabs" : "\"\(shown)\""); give --separator \(shown == "tab" ? "tab" : "\"\(shown)\"")"
        case let .noFilterColumn(column, available):
            return "--where \(column)=…: there is no column \"\(column)\"; the columns are: \(available.joined(separator: ", "))"
        case let .noRowMatches(f, values):
            let shown = values.prefix(12).joined(separator: ", ") + (values.count > 12 ? ", …" : "")
            return "--where \(f.column)=\(f.value): no row has \"\(f.value)\" in column \"\(f.column)\"; its values are: \(shown)"
        case let .pools(column, values):
            let what = column == "wave" ? "waves" : "outcomes"
            return "the file holds \(values.count) \(what) in column \"\(column)\" (\(values.prefix(12).joined(separator: ", "))): "
                + "analysing them together would count every family once per \(column == "wave" ? "wave" : "outcome"). "
                + "Choose one with --where \(column)=\(values[0])"
        }
    }
}
