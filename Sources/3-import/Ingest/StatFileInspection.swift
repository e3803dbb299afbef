import Foundation
import StatFiles
import Tabular
import TrialDesign

/// `rct inspect` on an SPSS or Stata file: what the file declares (variables with their labels, value
/// labels and missing-value rules), the `dialect:` line for the design, and the first cases as an import
/// reads them (dates in `YYYY-MM-DD`, the file's missing values empty). Cells with a run of nine or more
/// digits are masked, as for text files.
public enum StatFileInspection {
    /// The report, nil when the file is neither an SPSS nor a Stata file (by its first bytes).
    /// - Throws: `StatFileError` (the file is damaged or cut short).
    public static func report(path: String, rows: Int) throws -> [String]? {
        guard let format = StatFileFormat.detect(path: path) else { return nil }
        let file = try StatRecordReader(path: path, format: format, dialect: .standard, observer: nil)
        let r = file.reader
        var out: [String] = []
        let facts = ["\(format.name) file", "format \(r.formatVersion)", r.caseCount.map { "\($0) cases" } ?? "number of cases not declared",
                     "\(r.variables.count) variables"] + (r.fileEncoding.map { ["encoding \($0)"] } ?? [])
        out.append("# \(path): \(facts.joined(separator: ", ")); read with \(ReadStatLibrary.name)")
        if !r.fileLabel.isEmpty { out.append("# file label: \(DialectSniffer.printable(r.fileLabel))") }
        out.append("dialect: { format: \(format.rawValue) }")
        out.append("# columns by name; dates stored as \(format.name) dates are read in the dialect's date_format (YYYY-MM-DD unless")
        out.append("# you set one); the values the file declares missing are read as missing and counted in the import report")
        out.append("")
        out.append("variables:")
        let width = min(32, r.variables.map(\.name.count).max() ?? 0)
        for v in r.variables {
            var line = "  " + v.name.padding(toLength: max(width, v.name.count), withPad: " ", startingAt: 0)
                + "  " + v.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                + "  " + v.format.padding(toLength: max(8, v.format.count), withPad: " ", startingAt: 0)
            if !v.label.isEmpty { line += "  \"\(DialectSniffer.printable(v.label))\"" }
            if !v.valueLabels.isEmpty {
                let labels = v.valueLabels.sorted { order($0.key, $1.key) }.prefix(12)
                    .map { "\(DialectSniffer.printable($0.key.description)) \"\(DialectSniffer.printable($0.value))\"" }
                line += "; labels: " + labels.joined(separator: ", ") + (v.valueLabels.count > 12 ? ", …" : "")
            }
            if !v.missingRule.isEmpty { line += "; missing: \(v.missingRule)" }
            out.append(line)
        }
        out.append("")
        out.append("first \(rows) cases as read:")
        var sample: [[String]] = []
        var row = TextRow()
        while sample.count < 200, try file.nextRow(&row) {
            sample.append(row.strings)
            guard sample.count <= rows else { continue }
            out.append("  case \(row.line): " + zip(file.names, row.strings).map { "\($0)=\(DialectSniffer.printable($1))" }.joined(separator: " | "))
        }
        out.append("")
        out.append("columns (from the first \(sample.count) cases):")
        let dialect = SniffedDialect(encoding: .utf8, byteOrderMark: false, asciiOnly: false, format: format == .spss ? .spss : .stata,
                                     separator: nil, decimal: ".", thousands: nil, dateFormat: .iso, monthFormat: nil, header: true,
                                     lineLength: nil, sampledLines: sample.count)
        for c in DialectSniffer.describe(header: file.names, rows: sample, dialect: dialect) { out.append("  " + c.line) }
        return out
    }

    /// Numbers in order, then the extended missing values, then texts.
    static func order(_ a: StatValueKey, _ b: StatValueKey) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): return x < y
        case let (.tagged(x), .tagged(y)): return x < y
        case let (.text(x), .text(y)): return x < y
        case (.number, _): return true
        case (.tagged, .text): return true
        default: return false
        }
    }
}
