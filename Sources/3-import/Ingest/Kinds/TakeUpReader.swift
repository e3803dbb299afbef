import Basics
import Tabular
import TrialDesign

/// `take_up`: a register of who received the intervention (e.g. the case-management mandates), one row
/// per family with its identifier and the take-up column (`analysis.take_up.column`): 1 received, 0 not,
/// or raw values mapped to them with `codes: { <column>: { ja: "1", nee: "0" } }`. Read in the source's
/// dialect (separator, quote, encoding, header); national numbers (`type: insz`) are pseudonymised on
/// reading and never kept.
///
/// The register is all or nothing: the first row that cannot be used stops the reading with
/// `TakeUpError`, naming the line.
public struct TakeUpReader: SourceReader {
    public static let fields: [SourceField] = []

    /// The register as read.
    public struct Register: Sendable {
        /// Identifier (study code, or pseudonym of the national number) → "1" or "0". Rows with an empty
        /// take-up cell are left out.
        public var values: [String: String]
        /// Whether `values` is keyed by the unit's link key (pseudonyms: `identifier.type` insz or
        /// pseudonym) rather than its study code.
        public var byLinkKey: Bool
    }

    let path: String
    let source: Source
    let column: String
    let idIndex: Int
    let valueIndex: Int
    let codes: [String: String]
    let pseudonymizer: Pseudonymizer?

    /// Reads the register of `source` at `path`; `column` is the design's `analysis.take_up.column`.
    public static func read(path: String, source: Source, column: String,
                            pseudonymizer: () throws -> Pseudonymizer) throws -> Register {
        guard source.dialect.format == .delimited else { throw TakeUpError.notDelimited(path: path, source: source.id) }
        var file: SourceFile
        do { file = try SourceFile(path: path, display: path, dialect: source.dialect, source: source.id, designLine: source.dialectLine) } catch ImportError.emptyFile {
            throw TakeUpError.empty(path: path)
        } catch let ImportError.unreadable(_, reason) {
            throw TakeUpError.unreadable(path: path, reason: reason)
        }
        let reader = try TakeUpReader(path: path, source: source, column: column, header: file.names,
                                      pseudonymizer: source.identifierType == .insz ? try pseudonymizer() : nil)
        var cells = try RowCells(source: source, names: file.names, fields: [], display: path)
        var values: [String: String] = [:]
        var row = TextRow()
        do {
            while try file.nextRow(&row) {
                if let (id, v) = try reader.read(row, &cells) { values[id] = v }
            }
        } catch let e as RecordReadError {
            throw TakeUpError.unreadable(path: path, reason: e.description)
        }
        return Register(values: values, byLinkKey: source.identifierType != .code)
    }

    init(path: String, source: Source, column: String, header: [String], pseudonymizer: Pseudonymizer?) throws {
        guard let idIndex = header.firstIndex(of: source.identifierColumn) else {
            throw TakeUpError.noIdentifierColumn(path: path, source: source.id, column: source.identifierColumn, header: header)
        }
        guard let valueIndex = header.firstIndex(of: column) else {
            throw TakeUpError.noTakeUpColumn(path: path, column: column, header: header)
        }
        self.path = path
        self.source = source
        self.column = column
        self.idIndex = idIndex
        self.valueIndex = valueIndex
        codes = source.codes[column] ?? source.codes["take_up"] ?? [:]
        self.pseudonymizer = pseudonymizer
    }

    /// The row's identifier and take-up ("1" or "0"); nil when its take-up cell is empty.
    public func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> (String, String)? {
        if let bad = r.badlyEncodedFields().first {
            throw TakeUpError.badEncoding(path: path, line: r.line, column: bad < cells.names.count ? cells.names[bad] : "\(bad + 1)",
                                          encoding: source.dialect.encoding.rawValue)
        }
        let raw = idIndex < r.count ? r.string(idIndex) : ""
        let text = valueIndex < r.count ? r.string(valueIndex) : ""
        guard !raw.isEmpty else { throw TakeUpError.emptyIdentifier(path: path, line: r.line, column: source.identifierColumn) }
        let v = codes[text] ?? text
        guard v.isEmpty || v == "0" || v == "1" else {
            throw TakeUpError.notZeroOrOne(path: path, line: r.line, column: column, text: text, mapped: !codes.isEmpty)
        }
        var id = raw
        if let pseudonymizer {
            do { id = pseudonymizer.pseudonym(for: try NationalNumber(raw)) } catch let e as NationalNumber.ValidationError {
                throw TakeUpError.invalidNationalNumber(path: path, line: r.line, column: source.identifierColumn, reason: e.description)
            }
        }
        return v.isEmpty ? nil : (id, v)
    }
}

/// Why a take-up register cannot be used. Each names the file (and line) and says what to do; none
/// shows a national number.
public enum TakeUpError: Error, Equatable, CustomStringConvertible {
    case missing(path: String, source: String)
    case notDelimited(path: String, source: String)
    case empty(path: String)
    case unreadable(path: String, reason: String)
    case noIdentifierColumn(path: String, source: String, column: String, header: [String])
    case noTakeUpColumn(path: String, column: String, header: [String])
    case badEncoding(path: String, line: Int, column: String, encoding: String)
    case emptyIdentifier(path: String, line: Int, column: String)
    case notZeroOrOne(path: String, line: Int, column: String, text: String, mapped: Bool)
    case invalidNationalNumber(path: String, line: Int, column: String, reason: String)

    public var description: String {
        switch self {
        case let .missing(path, source):
            return "\(path): cannot read the take_up source \(source); check sources[].file in the design"
        case let .notDelimited(path, source):
            return "\(path): the take_up source \(source) must be a delimited file (dialect: { format: delimited })"
        case let .empty(path):
            return "\(path): the file is empty; it needs a header line"
        case let .unreadable(path, reason):
            return "\(path): \(reason)"
        case let .noIdentifierColumn(path, source, column, header):
            return "\(path): the identifier column \"\(column)\" of source \(source) is not in the header (\(header.joined(separator: ", ")))"
        case let .noTakeUpColumn(path, column, header):
            return "\(path): the take-up column \"\(column)\" (analysis.take_up.column) is not in the header (\(header.joined(separator: ", ")))"
        case let .badEncoding(path, line, column, encoding):
            return "\(path):\(line): column \(column): the bytes are not valid \(encoding); if the file comes from Windows, declare encoding: windows-1252"
        case let .emptyIdentifier(path, line, column):
            return "\(path):\(line): the identifier \(column) is empty"
        case let .notZeroOrOne(path, line, column, text, mapped):
            return "\(path):\(line): column \(column): \"\(text)\" is not 1 (received) or 0 (not received)"
                + (mapped ? " (nor a raw value listed under codes: { \(column): … })" : "")
                + "; map other values with codes: { \(column): { \"\(text)\": \"1\" } } in the design"
        case let .invalidNationalNumber(path, line, column, reason):
            return "\(path):\(line): the national number in \(column) is not valid (\(reason)); it is not shown"
        }
    }
}
