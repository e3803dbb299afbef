import Foundation
import StatFiles
import Tabular
import TrialData
import TrialDesign

/// `cohort`: the families screened for the trial, one row per family with the columns the design's
/// identifier, link column, enrolment date, eligibility rules, strata and covariates name. Read in the
/// cohort source's dialect (separator, quote, encoding) and kept as text by column: `CohortIntake`
/// (module Assignment) validates and pseudonymises the identifiers, the assignment plan parses the rest.
/// The file needs a header line (the design names its columns). Dates in the columns the design reads as
/// dates (the enrolment date, date windows of eligibility) are read in the dialect's `date_format` and
/// handed on as `YYYY-MM-DD`. An SPSS or Stata cohort (`format: spss`/`stata`, or recognised by its first
/// bytes) is read by column name with its values as written by `StatRecordReader`: numbers as text
/// (`1`, `0`), dates in the dialect's date form, the file's declared missing values empty. A value label
/// does not replace its code: the design's eligibility values and strata levels name the codes.
public struct CohortReader: SourceReader {
    /// The canonical fields are the design's own column names, not fixed ones.
    public static let fields: [SourceField] = []

    /// The columns whose cells are dates, with their index.
    let dateColumns: [(name: String, index: Int)]

    public init(names: [String] = [], dateColumns: Set<String> = []) {
        self.dateColumns = names.enumerated().filter { dateColumns.contains($0.element) }.map { ($0.element, $0.offset) }
    }

    /// The row's cells by column name, as written (not trimmed); date cells as `YYYY-MM-DD`.
    public func read(_ row: borrowing TextRow, _ cells: inout RowCells) throws -> [String: String] {
        var fields: [String: String] = [:]
        fields.reserveCapacity(cells.names.count)
        for (i, name) in cells.names.enumerated() { fields[name] = row.string(i, trimmed: false) }
        let form = cells.source.dialect.dateFormat
        for (name, i) in dateColumns where !row.isBlank(i) {
            let text = row.string(i)
            guard let d = CellParser.date(text, format: form) else {
                throw RowFailure(reason: .unparseableDate, column: name,
                                 message: "\"\(text)\" is not a date in the form \(form.dayForm.rawValue) (or the day does not exist); "
                                    + "correct the cell, or declare the cohort's date form under its dialect (date_format)")
            }
            fields[name] = d.description
        }
        return fields
    }

    /// A whole cohort file: its header (trimmed) and its rows with their lines.
    public struct File: Sendable {
        public var header: [String]
        public var rows: [CohortRow]
        /// Rows left out because a date cell cannot be used (with `leavingOutUnusableDates`).
        public var unusable: [UnusableIntakeRow] = []
    }

    /// Reads a cohort file in `dialect` (the design's cohort source's, or `Dialect.standard` for a file
    /// the design does not describe); the cells of `dateColumns` are dates in the dialect's form.
    ///
    /// - Throws: `CohortFileError` naming the file, and the line where one is at fault: a missing file,
    ///   no header line, a column named twice, a row whose number of fields differs from the header's,
    ///   bytes not valid in the declared encoding.
    /// `declaredBy` is the design's cohort source, named with its line when the file does not look like
    /// its dialect.
    ///
    /// With `leavingOutUnusableDates`, a row whose date cell cannot be read (a day that does not exist, a
    /// typo) is left out and listed in `File.unusable` instead of stopping the read, as a protocol leaves
    /// out and reports such intake records; when most rows fail, the dialect's `date_format` is wrong, and
    /// the first failure is thrown as without it.
    public static func read(path: String, dialect: Dialect, dateColumns: Set<String> = [],
                            declaredBy source: Source? = nil, leavingOutUnusableDates: Bool = false) throws -> File {
        var file: SourceFile
        do {
            file = try SourceFile(path: path, display: path, dialect: dialect, source: source?.id, designLine: source?.dialectLine)
        } catch let ImportError.unreadable(_, reason) {
            guard FileManager.default.fileExists(atPath: path) else { throw CohortFileError.missing(path: path) }
            throw CohortFileError.unreadable(path: path, reason: reason)
        } catch ImportError.emptyFile {
            throw CohortFileError.empty(path: path)
        }
        guard dialect.header || dialect.format == .fixedWidth || file.isStatFile else { throw CohortFileError.noHeader(path: path) }
        let header = file.names
        if let duplicate = header.enumerated().first(where: { i, h in header[..<i].contains(h) }) {
            throw CohortFileError.duplicateColumn(path: path, column: duplicate.element)
        }
        var cells = try RowCells(source: Source(cohortDialect: dialect), names: header, fields: fields, display: path)
        cells.valueLabels = file.valueLabels
        let reader = CohortReader(names: header, dateColumns: dateColumns)
        var rows: [CohortRow] = []
        var unusable: [(UnusableIntakeRow, CohortFileError)] = []
        var row = TextRow()
        do {
            while try file.nextRow(&row) {
                if let failure = file.shapeFailure(row) {
                    throw CohortFileError.row(path: path, line: row.line, column: failure.column, message: failure.message)
                }
                do { rows.append(CohortRow(line: row.line, fields: try reader.read(row, &cells))) } catch let f as RowFailure {
                    let error = CohortFileError.row(path: path, line: row.line, column: f.column, message: f.message)
                    guard leavingOutUnusableDates, f.reason == .unparseableDate, let column = f.column else { throw error }
                    unusable.append((UnusableIntakeRow(line: row.line, column: column, problem: f.message.components(separatedBy: ";")[0]), error))
                }
            }
        } catch let e as RecordReadError {
            throw CohortFileError.unreadable(path: path, reason: e.description)
        } catch let e as StatFileError {
            throw CohortFileError.unreadable(path: path, reason: e.reason)
        }
        if let first = unusable.first, unusable.count * 2 > rows.count + unusable.count { throw first.1 }
        return File(header: header, rows: rows, unusable: unusable.map(\.0))
    }
}

/// Why a cohort file cannot be read. Each names the file (and line) and says what to do.
public enum CohortFileError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case empty(path: String)
    case noHeader(path: String)
    case duplicateColumn(path: String, column: String)
    case row(path: String, line: Int, column: String?, message: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missing(path): return "\(path): no such cohort file"
        case let .empty(path): return "\(path): the file is empty: it needs a header line"
        case let .noHeader(path): return "\(path): a cohort file needs a header line naming its columns (dialect.header: true)"
        case let .duplicateColumn(path, column): return "\(path):1: the column \"\(column)\" appears twice in the header"
        case let .row(path, line, column, message): return "\(path):\(line): \(column.map { "column \($0): " } ?? "")\(message)"
        case let .unreadable(path, reason): return "\(path): \(reason)"
        }
    }
}

extension Source {
    /// A cohort source read in `dialect`, for a cohort file given outside the design's sources.
    init(cohortDialect dialect: Dialect) {
        self.init(id: "cohort", kind: .cohort, file: "", identifierColumn: "", identifierType: .code, dialect: dialect,
                  columns: [:], missingCodes: [])
    }
}
