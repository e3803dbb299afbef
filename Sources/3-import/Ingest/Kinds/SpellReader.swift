import Tabular

/// `spells`: one row per person and spell — a type (work, training, job seeking, …: the values the
/// design declares under `vocabulary: { type: […] }` or maps with `codes:`), a start and an end day. An
/// empty end means the spell was still running when the extract was made: it ends on the source's
/// `extract_date`. Spells of one person may overlap or be delivered twice; the rules that count days
/// count each day once. The record covers the spell.
struct SpellReader: RegistryReader {
    static let fields: [SourceField] = [.required("type"), .required("start"), .optional("end")]
    static let codedFields = ["type"]

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> PendingRecord {
        let type = try cells.declaredCode(try cells.required(r, "type"), "type")
        let start = try cells.date(r, try cells.requiredIndex(r, "start"), "start")
        let end = try cells.optionalIndex(r, "end").map { try cells.date(r, $0, "end") } ?? cells.source.extractDate
        if let end, end < start {
            let written = cells.optionalIndex(r, "end") != nil
            throw RowFailure(reason: .outOfRange, column: cells.column(for: "end"),
                             message: written ? "the spell ends (\(end)) before it starts (\(start))"
                                 : "the spell starts (\(start)) after the extract date (\(end)), which ends a spell without an end")
        }
        return PendingRecord(start: start, end: end, (.type, type))
    }
}
