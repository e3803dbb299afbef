import Tabular

/// `ocmw_leefloon`: one row per person and month of leefloon (minimum income) paid, with the amount and
/// the category (1 cohabiting, 2 single, 3 living with a dependent family). The record covers the month.
struct LeefloonReader: RegistryReader {
    static let fields: [SourceField] = [.required("month"), .required("amount"), .required("category")]
    static let codedFields = ["category"]

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> PendingRecord {
        let m = try cells.month(r, try cells.requiredIndex(r, "month"), "month")
        let a = try cells.amount(r, try cells.requiredIndex(r, "amount"), "amount", nonNegative: true)
        let c = try cells.code(try cells.required(r, "category"), "category", vocabulary: Vocabulary.leefloonCategories)
        return PendingRecord(start: m, end: m.endOfMonth, (.category, c), number: (.amount, a))
    }
}
