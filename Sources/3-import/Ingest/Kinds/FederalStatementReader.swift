import Tabular

/// `federal_statements`: the federal monthly statements of leefloon payments (fixed width as a rule):
/// statement month, amount type (allocation, arrears, recovery, regularisation; the layout's digits 1–4
/// unless the design maps other codes), the payment period's first and last day, a separate sign and the
/// amount in euro cents, the category. The record covers the payment period; its amount is signed.
struct FederalStatementReader: RegistryReader {
    static let fields: [SourceField] = [
        .required("statement_month"), .required("amount_type"), .required("period_start"), .required("period_end"),
        .required("sign"), .required("amount_cents"), .required("category"), .optional("legislation"), .optional("municipality"),
    ]
    static let codedFields = ["amount_type", "category"]

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> PendingRecord {
        let statement = try cells.month(r, try cells.requiredIndex(r, "statement_month"), "statement_month")
        let type = try cells.code(try cells.required(r, "amount_type"), "amount_type", vocabulary: Vocabulary.amountTypes,
                                  defaults: Vocabulary.defaultAmountTypeCodes)
        let start = try cells.date(r, try cells.requiredIndex(r, "period_start"), "period_start")
        let end = try cells.date(r, try cells.requiredIndex(r, "period_end"), "period_end")
        if end < start {
            throw RowFailure(reason: .outOfRange, column: cells.column(for: "period_end"),
                             message: "the payment period ends (\(end)) before it starts (\(start))")
        }
        let sign = try cells.required(r, "sign")
        let cents = try cells.required(r, "amount_cents")
        guard cents.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw RowFailure(reason: .unparseableAmount, column: cells.column(for: "amount_cents"),
                             message: "\"\(cents)\" is not an amount in euro cents (digits only, e.g. 00001460 for 14.60)")
        }
        guard let value = CellParser.cents(cents, sign: sign) else {
            throw RowFailure(reason: .unparseableAmount, column: cells.column(for: "sign"), message: "the sign \"\(sign)\" is not + or -")
        }
        if abs(value) > Vocabulary.largestAmount {
            throw RowFailure(reason: .outOfRange, column: cells.column(for: "amount_cents"), message: "amount \(value) is beyond ±1,000,000 euro")
        }
        let category = try cells.code(try cells.required(r, "category"), "category", vocabulary: Vocabulary.leefloonCategories)
        return PendingRecord(start: start, end: end, (.amountType, type), (.category, category),
                             (.statementMonth, String(statement.description.prefix(7))),
                             cells.cell(r, "legislation").map { (.legislation, $0) },
                             cells.cell(r, "municipality").map { (.municipality, $0) }, number: (.amount, value))
    }
}
