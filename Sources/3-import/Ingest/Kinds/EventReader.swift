import Tabular

/// `events`: one row per event — its day and a type (the values the design declares under
/// `vocabulary: { type: […] }` or maps with `codes:`). The record covers the day.
struct EventReader: RegistryReader {
    static let fields: [SourceField] = [.required("date"), .required("type")]
    static let codedFields = ["type"]

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> PendingRecord {
        let day = try cells.date(r, try cells.requiredIndex(r, "date"), "date")
        let type = try cells.declaredCode(try cells.required(r, "type"), "type")
        return PendingRecord(start: day, end: day, (.type, type))
    }
}
