import Basics
import TrialDesign

/// A problem that stops a whole file from being imported (a bad row is a `Rejection` instead).
public enum ImportError: Error, Equatable, CustomStringConvertible {
    case notImportable(source: String, kind: SourceKind)
    case noPseudonymizer(source: String)
    case unreadable(file: String, reason: String)
    case emptyFile(file: String)
    case missingColumn(file: String, source: String, field: String, column: String, available: [String])
    case noWave(source: String)
    /// The file does not look like its declared dialect; `source` is nil for a file the design does not
    /// describe, `designLine` the line of the source's `dialect:`.
    case dialectMismatch(file: String, source: String?, designLine: Int?, mismatch: DialectMismatch)

    /// The message, every national number in it masked (`NationalNumber.mask`): it may quote the file's
    /// cells (a missing header's first data row as column names, a badly encoded line), and it reaches logs,
    /// pages and JSON besides the command line's standard error.
    public var description: String { NationalNumber.mask(text) }

    private var text: String {
        switch self {
        case let .notImportable(source, kind):
            return "source \(source): kind \(kind.rawValue) is read by the assignment or run step, not imported as an extract"
        case let .noPseudonymizer(source):
            return "source \(source) links on real national numbers, so it needs the pseudonymisation key (pseudonymisation: key_env or key_file in the design)"
        case let .unreadable(file, reason):
            return "\(file): \(reason)"
        case let .emptyFile(file):
            return "\(file): the file is empty; a delimited file with header: true needs a header line"
        case let .missingColumn(file, source, field, column, available):
            let hint = available.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(file): source \(source) needs the field \"\(field)\" in column \"\(column)\", which the file does not have; "
                + "the columns are: \(hint). Map it in the design with columns: { \(field): <column> }"
        case let .noWave(source):
            return "survey source \(source) has no wave; add wave: <wave id>"
        case let .dialectMismatch(file, source, designLine, m):
            let declaredBy = source.map { "source \($0) declares" + (designLine.map { " (design line \($0))" } ?? "") }
                ?? "the file is read as"
            let change = m.kind == .utf16 ? m.remedy.prefix(1).uppercased() + m.remedy.dropFirst()
                : source == nil ? "Save it with \(m.remedy)" : "Change the dialect to \(m.remedy)"
            return "\(file): \(declaredBy) \(m.declared), but the file looks like \(m.found). \(change); "
                + "`rct inspect \(file)` suggests the dialect lines to paste. Nothing was imported"
        }
    }
}
