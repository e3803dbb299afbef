import Basics
import Tabular
import TrialDesign

/// `survey`: one wave's answers, one row per respondent (identified by the study code): the interview
/// date and the answers, every other column (or the items the design's `columns:` maps, by item name).
/// An answer is first mapped through the source's `codes:` for its item (`codes: { tevreden: { ja: "1",
/// nee: "0" } }`); a blank cell or one of the source's `missing_codes` is a missing answer; any other
/// answer must be a number in the dialect's decimal form. In an SPSS or Stata file, a code's value label
/// counts too: `codes:` may map the label, and a code whose label is one of the `missing_codes` (`-8`
/// labelled "weet niet") is missing; the values the file itself declares missing arrive as blank cells.
struct SurveyReader: SourceReader {
    struct Answers {
        var interviewDate: CalendarDate
        var answers: [String: Double]
    }

    static let fields: [SourceField] = [.required("interview_date")]

    /// Item name and column of each answer read.
    let items: [(item: String, index: Int)]

    /// The answer columns of a file: the items the design maps (`columns:` other than `interview_date`),
    /// or every column that is neither the identifier nor a canonical field.
    init(source: Source, cells: RowCells, identifierIndex: Int, display: String) throws {
        let declared = source.columns.filter { $0.key != "interview_date" }
        if declared.isEmpty {
            let used = Set(Self.fields.compactMap { cells.index(of: $0.name) }).union([identifierIndex])
            items = cells.names.enumerated().filter { !used.contains($0.offset) }.map { ($0.element, $0.offset) }
        } else {
            items = try declared.sorted { $0.key < $1.key }.map { item, column in
                guard let i = cells.names.firstIndex(of: column) else {
                    throw ImportError.missingColumn(file: display, source: source.id, field: item, column: column, available: cells.names)
                }
                return (item, i)
            }
        }
    }

    func read(_ r: borrowing TextRow, _ cells: inout RowCells) throws -> Answers {
        let interview = try cells.date(r, try cells.requiredIndex(r, "interview_date"), "interview_date")
        var answers: [String: Double] = [:]
        let d = cells.source.dialect
        let codes = cells.source.codes
        for (item, i) in items {
            let raw = r.string(i)
            if raw.utf8.count >= 11, NationalNumber.occurs(in: raw) {
                throw RowFailure(reason: .nationalNumberOutsideIdentifier, column: cells.names[i],
                                 message: "column \"\(cells.names[i])\" holds a national number; it is not the identifier, so the row is set aside and the number not stored")
            }
            let label = cells.label(i, raw)
            let v = codes.isEmpty ? raw : (codes[item]?[raw] ?? label.flatMap { codes[item]?[$0] } ?? raw)
            if v.isEmpty || cells.source.missingCodes.contains(v) { continue }
            if let label, v == raw, cells.source.missingCodes.contains(label) { continue }
            guard let x = CellParser.decimal(v, decimal: d.decimal.first ?? ".", thousands: d.thousands?.first) else {
                throw RowFailure(reason: .unparseableAmount, column: cells.names[i],
                                 message: "the answer \"\(v)\" is not a number and not one of the missing codes (\(cells.source.missingCodes.joined(separator: ", ")))")
            }
            answers[item] = x
        }
        return Answers(interviewDate: interview, answers: answers)
    }
}
