import Tabular
import TrialDesign

/// A canonical field of a source kind: the name the design's `columns:` maps to a column of the file.
public struct SourceField: Sendable, Equatable {
    public var name: String
    /// Whether every file of the kind must have the field (a required field may still be blank in a row,
    /// which rejects the row).
    public var required: Bool

    public static func required(_ name: String) -> SourceField { SourceField(name: name, required: true) }
    public static func optional(_ name: String) -> SourceField { SourceField(name: name, required: false) }
}

/// The reader of one kind of source file. Every kind the project reads has one, in a file of its own
/// under `Kinds/`: the registry kinds and surveys (imported into the trial store), the cohort, the
/// assignment list made elsewhere and the take-up register.
///
/// A reader names the kind's canonical fields and turns one row, already split by the dialect's reader
/// (`Tabular`), into a value. What every kind shares — opening the file in its declared dialect, the
/// header, the design's column map, cells parsed in the dialect's date, decimal and code conventions —
/// is `RowCells` and `SourceFile`; the streaming import of extracts (`SourceImporter`) adds identifiers,
/// pseudonyms, duplicates and corrections around the same readers.
///
/// A new kind is one new file with a type conforming to this protocol, plus its line in
/// `SourceKind.extractReader` (for kinds imported into the store).
public protocol SourceReader {
    associatedtype Value
    /// The canonical fields of the kind, as a file usually orders them.
    static var fields: [SourceField] { get }
    /// The fields whose raw values the design may map with `codes:` (and, for the kinds without a
    /// built-in vocabulary, declare under `vocabulary:`).
    static var codedFields: [String] { get }
    /// One row as a value. A row that cannot be taken throws `RowFailure` (reason, column, message).
    func read(_ row: borrowing TextRow, _ cells: inout RowCells) throws -> Value
}

extension SourceReader {
    public static var codedFields: [String] { [] }
}

/// A row that cannot be taken: why, in which column, and what to do (a sentence).
public struct RowFailure: Error, Sendable, Equatable {
    public var reason: RejectionReason
    public var column: String?
    public var message: String

    public init(reason: RejectionReason, column: String?, message: String) {
        self.reason = reason
        self.column = column
        self.message = message
    }
}
