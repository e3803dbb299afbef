import Foundation
import TrialDesign

/// A source's file opened as its import would open it, without reading its rows: the declared dialect
/// checked against the first bytes (`DialectCheck`), the header read, and every column the design maps
/// looked up in it. Run before anything is drawn or stored, so that a wrong path, dialect or column stops
/// a run at the start rather than half-way.
public enum SourceProbe {
    /// - Throws: `ImportError.unreadable`, `.emptyFile`, `.dialectMismatch` or `.missingColumn`, naming `display`.
    public static func check(path: String, display: String, source: Source) throws {
        let file = try SourceFile(path: path, display: display, dialect: source.dialect, source: source.id,
                                  designLine: source.dialectLine)
        for (field, column) in mappedColumns(source) where !file.names.contains(column) {
            throw ImportError.missingColumn(file: display, source: source.id, field: field, column: column, available: file.names)
        }
    }

    /// Field → column for every column the design names in a source, the identifier first.
    static func mappedColumns(_ s: Source) -> [(field: String, column: String)] {
        var out: [(String, String)] = [("identifier", s.identifierColumn)]
        out += s.columns.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let status = s.status { out.append(("status", status.column)) }
        if case let .byIdentifier(id, replaces)? = s.correctsBy { out += [("corrects_by.id", id), ("corrects_by.replaces", replaces)] }
        out += s.keptColumns.map { ("attributes", $0) }
        return out
    }
}
