import Tabular

/// `scope_exit`: the day a family left a registry's scope and why (`moved`, `died`, `other`; Dutch labels
/// through `codes:`). The run step turns these records into the exits that censor registry outcomes.
struct ScopeExitReader: RegistryReader {
    static let fields: [SourceField] = [.required("date"), .required("reason")]
    static let codedFields = ["reason"]

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> PendingRecord {
        let day = try cells.date(r, try cells.requiredIndex(r, "date"), "date")
        let reason = try cells.code(try cells.required(r, "reason"), "reason", vocabulary: Vocabulary.exitReasons)
        return PendingRecord(start: day, end: day, (.reason, reason))
    }
}
