/// Writes delimited text (RFC 4180): one place that decides how a cell is quoted, for every CSV file and
/// CSV standard output of the project (effect tables, panels, assignment lists, estimates).
///
/// A cell is quoted when it holds the separator, a quote, a carriage return or a line feed; a quote
/// inside is doubled. Everything else is written as it is, so numbers and codes stay unquoted. Lines end
/// in `\n` (R's `read.csv`, pandas, Stata's `import delimited` and Excel all read it).
public struct CSVWriter: Sendable {
    public var separator: UInt8

    /// A writer for `separator` (an ASCII character; `,` by default).
    public init(separator: Character = ",") {
        precondition(separator.isASCII, "CSVWriter: the separator must be an ASCII character")
        self.separator = separator.asciiValue!
    }

    /// The cell as written: quoted when needed.
    public func field(_ text: String) -> String {
        // Scan bytes, not Characters: this runs for every cell of files with millions of cells.
        let sep = separator
        guard text.utf8.contains(where: { $0 == sep || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out + "\""
    }

    /// One line of cells, without its line end.
    public func line<S: Sequence>(_ cells: S) -> String where S.Element == String {
        cells.map(field).joined(separator: String(UnicodeScalar(separator)))
    }

    /// Lines joined with `\n`, ending with one.
    public func text(_ rows: [[String]]) -> String {
        rows.map { line($0) + "\n" }.joined()
    }

    /// The comma-separated writer.
    public static let comma = CSVWriter()
}
