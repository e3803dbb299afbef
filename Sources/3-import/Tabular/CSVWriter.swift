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

    /// Whether a cell must be quoted: it holds the separator, a quote, a carriage return or a line feed.
    /// Scans bytes, not Characters; with a comma the bytes are compared with constants (measured: a few
    /// per cent of the panel's CSV time, bench/panel).
    @inlinable
    public func needsQuotes(_ text: String) -> Bool {
        let sep = separator
        if sep == 0x2C { return text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) }
        return text.utf8.contains(where: { $0 == sep || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
    }

    /// The cell as written: quoted when needed.
    @inlinable
    public func field(_ text: String) -> String {
        needsQuotes(text) ? quoted(text) : text
    }

    /// Appends one line of cells, without its line end, to `out`: no array of quoted cells and no joined
    /// string per line. Inlinable, like `field` and `needsQuotes`: the panel writes tens of millions of
    /// cells, and this is its loop (about 10% faster than joining quoted cells; bench/panel).
    @inlinable
    public func append<S: Sequence>(_ cells: S, to out: inout String) where S.Element == String {
        var first = true
        for cell in cells {
            if first { first = false } else { out.unicodeScalars.append(Unicode.Scalar(separator)) }
            if needsQuotes(cell) { out += quoted(cell) } else { out += cell }
        }
    }

    /// One line of cells, without its line end.
    public func line<S: Sequence>(_ cells: S) -> String where S.Element == String {
        var out = ""
        append(cells, to: &out)
        return out
    }

    /// The cell in quotes, a quote inside doubled.
    @usableFromInline
    func quoted(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out + "\""
    }

    /// Lines joined with `\n`, ending with one.
    public func text(_ rows: [[String]]) -> String {
        rows.map { line($0) + "\n" }.joined()
    }

    /// The comma-separated writer.
    public static let comma = CSVWriter()
}
