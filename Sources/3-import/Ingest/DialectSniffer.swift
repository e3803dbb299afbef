import Foundation
import Tabular
import Basics
import TrialDesign

/// A dialect suggested from the first bytes of a file, for `rct inspect`. It is a suggestion to copy into
/// the design and check: an import never sniffs, it reads the dialect the design declares.
public struct SniffedDialect: Sendable, Equatable {
    public var encoding: CharacterEncoding
    public var byteOrderMark: Bool
    /// True when the sample held only ASCII bytes (UTF-8 and Windows-1252 then read the same).
    public var asciiOnly: Bool
    public var format: FileFormat
    public var separator: String?
    public var decimal: String?
    public var thousands: String?
    public var dateFormat: DateFormat?
    /// The month form, when months are written otherwise than in the month form of `dateFormat`.
    public var monthFormat: DateFormat?
    public var header: Bool
    /// Fixed-width files: the length of the sampled lines.
    public var lineLength: Int?
    public var sampledLines: Int

    /// The `dialect:` snippet for a design, with the guesses that need checking as comments.
    public var yaml: String {
        var parts = ["format: \(format.rawValue)"]
        if let s = separator { parts.append("separator: \"\(s == "\t" ? "tab" : s)\"") }
        if let d = decimal { parts.append("decimal: \"\(d)\"") }
        if let t = thousands { parts.append("thousands: \"\(t)\"") }
        parts.append("encoding: \(encoding.rawValue)")
        parts.append("header: \(header)")
        if let f = dateFormat { parts.append("date_format: \(f.rawValue)") }
        if let f = monthFormat { parts.append("month_format: \(f.rawValue)") }
        var out = "dialect: { \(parts.joined(separator: ", ")) }\n"
        if format == .fixedWidth {
            out += "# fixed width: every line has \(lineLength ?? 0) characters; declare the fields, e.g.\n"
            out += "#   fields:\n#     - { name: insz, start: 1, length: 11 }\n"
        }
        if byteOrderMark { out += "# the file starts with a UTF-8 byte-order mark (it is skipped)\n" }
        if asciiOnly { out += "# only ASCII bytes were seen: utf-8 and windows-1252 read this sample the same\n" }
        if decimal == nil && format == .delimited { out += "# no decimal numbers were seen: the decimal mark is not known (the default is \".\")\n" }
        if dateFormat == nil { out += "# no dates were seen: date_format is not known (the default is YYYY-MM-DD)\n" }
        return out
    }
}

public enum DialectSniffer {
    /// Sniffs the first `sampleBytes` bytes of a file.
    public static func sniff(path: String, sampleBytes: Int = 64 * 1024) throws -> SniffedDialect {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw RecordReadError.unreadable(path: path) }
        defer { try? handle.close() }
        var bytes = [UInt8](handle.readData(ofLength: sampleBytes))
        let truncated = bytes.count == sampleBytes
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if bom { bytes.removeFirst(3) }
        if truncated, let lastNewline = bytes.lastIndex(of: 0x0A) { bytes = Array(bytes[...lastNewline]) }
        let ascii = bytes.allSatisfy { $0 < 0x80 }
        let encoding: CharacterEncoding = bom || CharacterEncoding.utf8.decode(bytes) != nil ? .utf8 : .windows1252
        let text = encoding.decode(bytes) ?? String(decoding: bytes, as: UTF8.self)
        let lines = records(text).prefix(200)
        var result = SniffedDialect(encoding: encoding, byteOrderMark: bom, asciiOnly: ascii && !bom, format: .delimited,
                                    separator: nil, decimal: nil, thousands: nil, dateFormat: nil, monthFormat: nil, header: false,
                                    lineLength: nil, sampledLines: lines.count)
        guard !lines.isEmpty else { return result }

        // Separator: the candidate found the same number of times (≥ 1) on every sampled line, most often.
        var best: (sep: String, count: Int)?
        for sep in [";", "|", "\t", ","] {
            // The count on the first line (the header, usually) must hold on at least 95% of the lines.
            let counts = lines.map { split($0, sep).count - 1 }
            if let c = counts.first, c >= 1, Double(counts.filter { $0 == c }.count) >= 0.95 * Double(counts.count),
               c > (best?.count ?? 0) { best = (sep, c) }
        }
        let rows: [[String]]
        if let best {
            result.separator = best.sep
            rows = lines.map { split($0, best.sep) }
        } else {
            result.format = .fixedWidth
            result.lineLength = lines.map(\.count).max()
            rows = []
        }

        // Header: a first row with no numbers and no dates, over rows that have some.
        if let first = rows.first, rows.count > 1 {
            let firstTyped = first.contains { looksNumeric($0) || dateForms($0).count > 0 }
            let laterTyped = rows.dropFirst().contains { $0.contains { looksNumeric($0) || dateForms($0).count > 0 } }
            result.header = !firstTyped && (laterTyped || first.allSatisfy { !$0.isEmpty })
        }
        let cells = rows.dropFirst(result.header ? 1 : 0).flatMap { $0 }.map { $0.trimmingSpaces }

        // Decimal mark and thousands separator.
        var commaVotes = 0, pointVotes = 0, commaThousands = 0, pointThousands = 0
        for c in cells where !c.isEmpty {
            if matches(c, groupedBy: ".", decimal: ",") { commaVotes += 1; pointThousands += 1 }
            else if matches(c, groupedBy: ",", decimal: ".") { pointVotes += 1; commaThousands += 1 }
            else if matches(c, groupedBy: nil, decimal: ",") { commaVotes += 1 }
            else if matches(c, groupedBy: nil, decimal: ".") { pointVotes += 1 }
        }
        if commaVotes > pointVotes { result.decimal = ","; if pointThousands > 0 { result.thousands = "." } }
        else if pointVotes > 0 { result.decimal = "."; if commaThousands > 0 { result.thousands = "," } }

        // Date forms: the day form seen most often, and the month form seen most often; a month form that
        // is not the day form's own is declared as month_format.
        var votes: [DateFormat: Int] = [:]
        for c in cells { for f in dateForms(c) { votes[f, default: 0] += 1 } }
        func mostSeen(_ forms: [DateFormat]) -> DateFormat? {
            forms.filter { votes[$0, default: 0] > 0 }.max { votes[$0]! < votes[$1]! }
        }
        let day = mostSeen(DateFormat.allCases.filter { !$0.isMonthForm })
        let month = mostSeen(DateFormat.allCases.filter(\.isMonthForm))
        result.dateFormat = day ?? month
        if let day, let month, month != day.monthForm { result.monthFormat = month }
        return result
    }

    /// Splits text into records at line ends outside double quotes (a quoted field may hold a newline);
    /// blank records are dropped. A heuristic for a sample whose separator is not known yet (the import
    /// itself reads with `Tabular`'s reader in the declared dialect).
    static func records(_ text: String) -> [String] {
        var out: [String] = [], current = "", inQuotes = false
        for c in text {
            if c == "\"" { inQuotes.toggle() }
            if (c == "\n" || c == "\r\n" || c == "\r") && !inQuotes {
                if !current.trimmingSpaces.isEmpty { out.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.trimmingSpaces.isEmpty { out.append(current) }
        return out
    }

    /// Splits one line on a candidate separator outside double quotes (quotes removed).
    static func split(_ line: String, _ sep: String) -> [String] {
        let s = Character(sep)
        var out: [String] = [], field = "", inQuotes = false
        for c in line {
            if c == "\"" { inQuotes.toggle(); continue }
            if c == s && !inQuotes { out.append(field); field = "" } else { field.append(c) }
        }
        out.append(field)
        return out
    }

    static func looksNumeric(_ cell: String) -> Bool {
        let c = cell.trimmingSpaces
        return !c.isEmpty && c.allSatisfy { $0.isNumber || $0 == "," || $0 == "." || $0 == "-" || $0 == "+" } && c.contains { $0.isNumber }
    }

    static func matches(_ c: String, groupedBy thousands: Character?, decimal: Character) -> Bool {
        guard c.contains(decimal) else { return false }
        if let t = thousands { guard c.contains(t) else { return false } }
        return CellParser.decimal(c, decimal: decimal, thousands: thousands) != nil
    }

    /// The date forms a cell reads in (national numbers and other long digit runs excluded).
    static func dateForms(_ cell: String) -> [DateFormat] {
        let c = cell.trimmingSpaces
        guard !c.isEmpty, c.count <= 10 else { return [] }
        return DateFormat.allCases.filter { f in
            let d = f.isMonthForm ? CellParser.month(c, format: f) : CellParser.date(c, format: f)
            return d.map { (1900...2100).contains($0.year) } ?? false
        }
    }

    /// A cell as `rct inspect` may print it: anything with a run of nine or more digits (a national
    /// number, a file number) is masked.
    /// Line breaks inside a quoted cell are shown as `\n`.
    public static func printable(_ cell: String) -> String {
        Excerpt.hasLongDigitRun(cell) ? "<masked>" : cell.replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A line of a fixed-width file as a layout sketch: digits as `9`, letters as `A`, spaces as `·`,
    /// other characters as they are, so positions can be read without showing any number.
    public static func sketch(_ line: String) -> String {
        String(line.map { c -> Character in
            if c.isNumber { return "9" }
            if c.isLetter { return "A" }
            if c == " " { return "·" }
            return c
        })
    }
}

/// What a column of a sample holds, for `rct inspect`: a hint for the design's `identifier`,
/// `columns:` and `codes:`.
public struct ColumnSummary: Sendable, Equatable {
    public var name: String
    /// `national numbers`, `long numbers`, `dates`, `months`, `amounts`, `whole numbers`, `codes`,
    /// `text` or `empty`.
    public var kind: String
    /// For `codes` (at most 12 distinct values in the sample): the values, sorted. Values with a run of
    /// nine or more digits are never listed.
    public var values: [String]

    public var line: String {
        switch kind {
        case "national numbers": return "\(name): national numbers (masked) → identifier: { column: \(name), type: insz }"
        case "codes": return "\(name): codes \(values.map { "\"\($0)\"" }.joined(separator: ", "))"
        default: return "\(name): \(kind)"
        }
    }
}

extension DialectSniffer {
    /// Describes each column of sampled rows read with the sniffed dialect.
    public static func describe(header: [String], rows: [[String]], dialect: SniffedDialect) -> [ColumnSummary] {
        header.enumerated().map { j, name in
            let cells = rows.compactMap { j < $0.count ? $0[j].trimmingSpaces : nil }.filter { !$0.isEmpty }
            guard !cells.isEmpty else { return ColumnSummary(name: name, kind: "empty", values: []) }
            if cells.allSatisfy({ NationalNumber.isValid($0) }) { return ColumnSummary(name: name, kind: "national numbers", values: []) }
            if cells.contains(where: { Excerpt.hasLongDigitRun($0) }) { return ColumnSummary(name: name, kind: "long numbers (masked)", values: []) }
            let distinct = Set(cells)
            if let f = dialect.dateFormat {
                if !f.isMonthForm, cells.allSatisfy({ CellParser.date($0, format: f) != nil }) {
                    return ColumnSummary(name: name, kind: "dates (\(f.dayForm.rawValue))", values: [])
                }
                let months = dialect.monthFormat ?? f.monthForm
                if cells.allSatisfy({ CellParser.month($0, format: months) != nil }) && (distinct.count > 12 || dialect.monthFormat != nil) {
                    return ColumnSummary(name: name, kind: "months (\(months.rawValue))", values: [])
                }
            }
            let mark = Character(dialect.decimal ?? ".")
            let isNumber = { (c: String) in CellParser.decimal(c, decimal: mark, thousands: dialect.thousands.map { Character($0) }) != nil }
            if distinct.count <= 12 { return ColumnSummary(name: name, kind: "codes", values: distinct.sorted()) }
            let others = distinct.filter { !isNumber($0) }
            if others.count <= 3 {
                let kind = cells.contains { $0.contains(mark) && isNumber($0) } ? "amounts" : "whole numbers"
                let also = others.isEmpty ? "" : ", also " + others.sorted().map { "\"\($0)\"" }.joined(separator: ", ") + " (missing codes?)"
                return ColumnSummary(name: name, kind: kind + also, values: [])
            }
            return ColumnSummary(name: name, kind: "text", values: [])
        }
    }
}

extension DialectSniffer {
    /// The lines of a `sources:` entry for a design, from a sniffed file and its column summaries: the
    /// identifier (a column of national numbers), the dialect, and a `columns:` map to complete, with
    /// each date, month and amount column named where a kind's field would go. A starting point to edit,
    /// not a guess that an import would use.
    public static func sourceSkeleton(file: String, dialect: SniffedDialect, columns: [ColumnSummary]) -> [String] {
        let id = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            .map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let kinds = SourceKind.allCases.filter(\.isExtract).map(\.rawValue).joined(separator: ", ")
        var lines = ["  - id: \(String(id))", "    kind: KIND   # one of: \(kinds)", "    file: \(file)   # relative to the design's folder"]
        if let insz = columns.first(where: { $0.kind == "national numbers" }) {
            lines.append("    identifier: { column: \(insz.name), type: insz }")
        } else {
            lines.append("    identifier: { column: COLUMN, type: code }   # or type: pseudonym")
        }
        lines.append("    " + dialect.yaml.split(separator: "\n").first.map(String.init)!)
        var hints: [String] = []
        for c in columns {
            if c.kind.hasPrefix("dates") { hints.append("DATE_FIELD: \(c.name)") }
            else if c.kind.hasPrefix("months") { hints.append("MONTH_FIELD: \(c.name)") }
            else if c.kind.hasPrefix("amounts") { hints.append("amount: \(c.name)") }
            else if c.kind == "codes" { hints.append("CODED_FIELD: \(c.name)") }
        }
        if !hints.isEmpty {
            lines.append("    columns: { \(hints.joined(separator: ", ")) }   # the kind's field names: docs/design-format.md")
        }
        return lines
    }
}
