import Foundation
import StatFiles
import Tabular
import TrialDesign

/// A source's file opened in its declared dialect, as every reader of a source kind starts: the record
/// reader (delimited or fixed width, in the declared encoding, quote and separator), the column names
/// (the header's, trimmed; `V1`, `V2`, … without a header; the layout's field names for fixed width) and,
/// for a header-less delimited file, its first row (read to count the columns).
///
/// Nothing is guessed: a file that does not match its dialect shows up as rows of the wrong shape or
/// encoding, which `shapeFailure` names. SPSS and Stata files (`format: spss`, `stata`, or recognised by
/// their first bytes when the design leaves `format:` out) are read through ReadStat as rows of text
/// cells in a canonical form (`StatRecordReader`).
struct SourceFile {
    let dialect: Dialect
    /// The file as shown in messages.
    let display: String
    let reader: RecordSource
    let names: [String]
    /// An SPSS or Stata file's reader (the same object as `reader`), nil for text.
    let statReader: StatRecordReader?
    /// A header-less delimited file's first row, not yet handed out.
    var pendingFirst: TextRow?
    /// Fixed width: the last character of the layout and the start of its last field.
    let layoutEnd: Int
    let layoutLastStart: Int

    /// Opens `path`. `observer` sees every chunk of bytes read (to hash the file while it is read).
    /// - Throws: `ImportError.unreadable` (the file cannot be read, a byte-order mark contradicts the
    ///   declared encoding, a quote is never closed), `.emptyFile` (no header line where one is declared).
    /// - Throws: `ImportError.dialectMismatch` when the file's first bytes do not look like `d`
    ///   (`source` and `designLine` say where it is declared).
    init(path: String, display: String, dialect d: Dialect, source: String? = nil, designLine: Int? = nil,
         observer: ((Data) -> Void)? = nil) throws {
        self.dialect = d
        self.display = display
        do {
            if let format = try Self.statFormat(path: path, display: display, dialect: d) {
                let stat = try StatRecordReader(path: path, format: format, dialect: d, observer: observer)
                reader = stat
                statReader = stat
                names = stat.names
                layoutEnd = 0
                layoutLastStart = 0
                return
            }
            statReader = nil
            if let m = DialectCheck.mismatch(path: path, dialect: d) {
                throw ImportError.dialectMismatch(file: display, source: source, designLine: designLine, mismatch: m)
            }
            switch d.format {
            case .spss, .stata:
                preconditionFailure("statFormat(path:display:dialect:) returns the format of a declared SPSS or Stata file")
            case .delimited:
                reader = try d.delimitedReader(path: path, observer: observer)
                if d.header {
                    guard let first = try reader.next() else { throw ImportError.emptyFile(file: display) }
                    names = first.fields.map { $0.trimmingSpaces }
                } else {
                    var first = TextRow()
                    if try reader.nextRow(&first) { pendingFirst = first }
                    names = (0..<(pendingFirst?.count ?? 0)).map { "V\($0 + 1)" }
                }
                layoutEnd = 0
                layoutLastStart = 0
            case .fixedWidth:
                reader = try FixedWidthRecordReader(path: path, layout: d.fields.map { ($0.start, $0.length) },
                                                    encoding: d.characterEncoding, observer: observer)
                names = d.fields.map(\.name)
                layoutEnd = d.fields.map { $0.start + $0.length - 1 }.max() ?? 0
                layoutLastStart = d.fields.map(\.start).max() ?? 0
                if d.header { _ = try reader.next() }
            }
        } catch let e as RecordReadError {
            throw ImportError.unreadable(file: display, reason: e.description)
        } catch let e as StatFileError {
            throw ImportError.unreadable(file: display, reason: e.reason)
        }
    }

    /// The SPSS or Stata format to read `path` in, nil for text. A declared `format: spss` or `stata` must
    /// match the file's first bytes; with no `format:` in the design, a file whose first bytes are an
    /// SPSS or Stata file's is read as one, and a file named `.sav`/`.zsav`/`.dta` must be one. A file
    /// declared as text that turns out to be an SPSS or Stata file is refused (the design says otherwise).
    static func statFormat(path: String, display: String, dialect d: Dialect) throws -> StatFileFormat? {
        guard FileManager.default.isReadableFile(atPath: path) else { return nil }
        let detected = StatFileFormat.detect(path: path)
        switch d.format {
        case .spss: return .spss
        case .stata: return .stata
        case .delimited, .fixedWidth:
            if d.formatDeclared {
                if let detected {
                    throw ImportError.unreadable(file: display, reason: "this is an \(detected.name) file, but the design declares "
                        + "format: \(d.format.rawValue); declare format: \(detected.rawValue) (or leave format out)")
                }
                return nil
            }
            if let detected { return detected }
            if let named = StatFileFormat.named(path) {
                throw StatFileError.notStatFile(path: path, expected: named, found: StatFileReader.describeStart(path))
            }
            return nil
        }
    }

    /// Whether the file is an SPSS or Stata file (declared or recognised).
    var isStatFile: Bool { statReader != nil }

    /// The value labels of each column (by index): a labelled value's text → its label.
    var valueLabels: [Int: [String: String]] { statReader?.valueLabels ?? [:] }

    /// The next row (the pending first row of a header-less file first); false at the end.
    mutating func nextRow(_ row: inout TextRow) throws -> Bool {
        if let first = pendingFirst {
            row = first
            pendingFirst = nil
            return true
        }
        return try reader.nextRow(&row)
    }

    /// Why a row does not fit the file's shape: a delimited row with another number of fields than the
    /// header, a fixed-width line too long or cut short for the layout, bytes not valid in the declared
    /// encoding. Nil when it fits.
    func shapeFailure(_ r: borrowing TextRow) -> RowFailure? {
        if statReader != nil { return nil }
        switch dialect.format {
        case .spss, .stata:
            return nil
        case .delimited:
            if r.count != names.count {
                return RowFailure(reason: .wrongFieldCount, column: nil,
                                  message: "\(r.count) fields where the header has \(names.count); check the separator (\(dialect.separator == "\t" ? "tab" : dialect.separator)) and the quotes")
            }
        case .fixedWidth:
            if let w = r.width, w > layoutEnd {
                return RowFailure(reason: .wrongFieldCount, column: nil,
                                  message: "the line has \(w) characters but the layout ends at character \(layoutEnd); check the fields' start and length")
            }
            if let w = r.width, w < layoutLastStart {
                return RowFailure(reason: .wrongFieldCount, column: nil,
                                  message: "the line has \(w) characters but the layout's last field starts at character \(layoutLastStart); the line is cut short")
            }
        }
        if !r.nonASCIIFields.isEmpty || r.width != nil, let bad = r.badlyEncodedFields().first {
            return RowFailure(reason: .invalidEncoding, column: bad < names.count ? names[bad] : nil,
                              message: "the bytes are not valid \(dialect.encoding.rawValue); if the file comes from Windows, declare encoding: windows-1252")
        }
        return nil
    }
}
