import Basics
import Tabular

/// `payments`: one row per payment or recovery — the payment month (`payment_month`, in the dialect's
/// month form) or day (`payment_date`), a signed amount (a recovery is negative: a leading or trailing
/// `-`, or a `sign` field; in euro cents when the dialect says `cents: true`), and optionally the period
/// it relates to (`period_start`, `period_end`) and a category (the values the design declares).
///
/// The record covers its payment month (or day): protocols count payments by payment month. The period
/// is kept as attributes, which a rule reads with `date: period`.
struct PaymentReader: RegistryReader {
    static let fields: [SourceField] = [
        .optional("payment_month"), .optional("payment_date"), .required("amount"), .optional("sign"),
        .optional("period_start"), .optional("period_end"), .optional("category"),
    ]
    static let codedFields = ["category"]

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> PendingRecord {
        let start: CalendarDate, end: CalendarDate
        if let i = cells.optionalIndex(r, "payment_date") {
            start = try cells.date(r, i, "payment_date")
            end = start
        } else if let i = cells.optionalIndex(r, "payment_month") {
            start = try cells.month(r, i, "payment_month")
            end = start.endOfMonth
        } else {
            throw RowFailure(reason: .missingField, column: cells.column(for: "payment_month"),
                             message: "the payment month (or day) is empty; map payment_month or payment_date to the file's column")
        }
        let amount = try cells.signedAmount(r, try cells.requiredIndex(r, "amount"), "amount")
        let periodStart = try cells.optionalIndex(r, "period_start").map { try cells.date(r, $0, "period_start") }
        let periodEnd = try cells.optionalIndex(r, "period_end").map { try cells.date(r, $0, "period_end") }
        if let periodStart, let periodEnd, periodEnd < periodStart {
            throw RowFailure(reason: .outOfRange, column: cells.column(for: "period_end"),
                             message: "the period ends (\(periodEnd)) before it starts (\(periodStart))")
        }
        let category = try cells.cell(r, "category").map { try cells.declaredCode($0, "category") }
        return PendingRecord(start: start, end: end, (.paymentMonth, String(start.description.prefix(7))),
                             periodStart.map { (.periodStart, $0.description) }, periodEnd.map { (.periodEnd, $0.description) },
                             category.map { (.category, $0) }, number: (.amount, amount))
    }
}
