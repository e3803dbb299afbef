import Tabular

/// `vdab_status`: the job-seeker file at month end, one row per person and month: the VDAB category (two
/// digits: 00, 02, 10, 80, …, or raw codes mapped under `codes: { category: … }`), the placement status
/// (since 2017; empty means none) and an optional benefit amount. The record covers the month.
struct VDABStatusReader: RegistryReader {
    static let fields: [SourceField] = [.required("month"), .required("category"), .optional("placement"), .optional("benefit")]
    static let codedFields = ["category", "placement"]

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> PendingRecord {
        let m = try cells.month(r, try cells.requiredIndex(r, "month"), "month")
        let c = try cells.required(r, "category")
        let category = cells.source.codes.isEmpty ? c : (cells.source.codes["category"]?[c] ?? c)
        guard category.utf8.count == 2, category.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw RowFailure(reason: .unknownCode, column: cells.column(for: "category"),
                             message: "\"\(c)\" is not a VDAB category (two digits, e.g. 00, 02, 10, 80)")
        }
        let placement = try cells.code(cells.cell(r, "placement") ?? "none", "placement", vocabulary: Vocabulary.placements)
        let benefit = try cells.optionalIndex(r, "benefit").map { try cells.amount(r, $0, "benefit", nonNegative: true) }
        return PendingRecord(start: m, end: m.endOfMonth, (.category, category), (.placement, placement),
                             number: benefit.map { (.benefit, $0) })
    }
}
