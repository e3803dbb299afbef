import Tabular

/// `ksz_position`: the KSZ datawarehouse's socio-economic position, one per person and quarter
/// (`YYYYQn`). The record covers the quarter.
struct KSZPositionReader: RegistryReader {
    static let fields: [SourceField] = [.required("quarter"), .required("position")]
    static let codedFields = ["position"]

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> PendingRecord {
        let q = try cells.required(r, "quarter")
        guard let start = CellParser.quarter(q) else {
            throw RowFailure(reason: .unparseableDate, column: cells.column(for: "quarter"), message: "\"\(q)\" is not a quarter (YYYYQn, e.g. 2018Q3)")
        }
        _ = try cells.plausible(start, "quarter")
        let position = try cells.code(try cells.required(r, "position"), "position", vocabulary: Vocabulary.kszPositions)
        return PendingRecord(start: start, end: start.adding(months: 3).adding(days: -1), (.position, position))
    }
}
