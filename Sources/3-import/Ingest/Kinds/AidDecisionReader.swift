import Tabular
import TrialData

/// `ocmw_aid`: one row per decision of supplementary aid or another OCMW service (its kind, the decision
/// date, an effective start, an end when closed, an amount when there is one). A correction carries the
/// same participant, kind and start date as the decision it replaces; the later decision (by decision
/// date, then line) counts.
struct AidDecisionReader: RegistryReader {
    static let fields: [SourceField] = [.required("kind"), .required("decision_date"), .required("start"), .optional("end"),
                                        .optional("amount")]
    static let codedFields = ["kind"]

    var correction: CorrectionRule? {
        CorrectionRule(key: { CorrectionRule.Key(participant: $0.participant, value: $0.attributes["kind"] ?? "", day: $0.startDay) },
                       replaces: { later, earlier in (later.attributes["decision_date"] ?? "") >= (earlier.attributes["decision_date"] ?? "") })
    }

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> PendingRecord {
        let k = try cells.code(try cells.required(r, "kind"), "kind", vocabulary: Vocabulary.aidKinds)
        let decided = try cells.date(r, try cells.requiredIndex(r, "decision_date"), "decision_date")
        let start = try cells.date(r, try cells.requiredIndex(r, "start"), "start")
        let end = try cells.optionalIndex(r, "end").map { try cells.date(r, $0, "end") }
        if let end, end < start {
            throw RowFailure(reason: .outOfRange, column: cells.column(for: "end"), message: "the decision ends (\(end)) before it starts (\(start))")
        }
        let a = try cells.optionalIndex(r, "amount").map { try cells.amount(r, $0, "amount", nonNegative: true) }
        return PendingRecord(start: start, end: end, (.kind, k), (.decisionDate, decided.description), number: a.map { (.amount, $0) })
    }
}
