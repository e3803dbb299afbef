import Basics
import TrialDesign

/// The result of screening one family against the design's eligibility rules.
public enum ScreeningOutcome: Sendable, Equatable {
    case eligible
    /// Excluded by the first rule it failed (CONSORT counts exclusions by this reason).
    case excluded(rule: String, reason: String)

    public var isEligible: Bool { self == .eligible }
}

/// Screens families with the design's `eligibility` rules, in their order; the first failed rule gives
/// the exclusion reason.
///
/// - `date_window`: the cell parses as `YYYY-MM-DD` and lies in [from, to]. An empty cell fails the rule
///   (eligibility cannot be shown); a non-empty cell that is not a date is an input error.
/// - `count_at_least`: at least `at_least` of the columns equal `value` (cells compared after trimming).
/// - `one_of`: the trimmed cell is one of the values.
public struct Eligibility: Sendable {
    public let rules: [EligibilityRule]

    public init(rules: [EligibilityRule]) { self.rules = rules }

    /// The columns one rule reads.
    static func columns(of rule: EligibilityRule) -> [String] {
        switch rule.test {
        case let .dateWindow(column, _, _): return [column]
        case let .countAtLeast(columns, _, _): return columns
        case let .oneOf(column, _): return [column]
        }
    }

    /// The columns the rules read.
    public var columns: [String] { rules.flatMap(Eligibility.columns(of:)) }

    /// Throws when a rule reads a column the cohort does not have.
    public func checkHeader(_ header: [String], source: String) throws {
        for rule in rules {
            if let missing = Eligibility.columns(of: rule).first(where: { !header.contains($0) }) {
                throw AssignmentError.invalidCohort("\(source): the eligibility rule \(rule.id) reads column \"\(missing)\", "
                    + "which the cohort does not have; the columns are: \(header.joined(separator: ", "))")
            }
        }
    }

    public func screen(_ unit: CohortUnit, source: String) throws -> ScreeningOutcome {
        for rule in rules where !(try passes(rule, unit, source: source)) {
            return .excluded(rule: rule.id, reason: rule.reason)
        }
        return .eligible
    }

    private func passes(_ rule: EligibilityRule, _ unit: CohortUnit, source: String) throws -> Bool {
        func cell(_ c: String) -> String { (unit.attributes[c] ?? "").trimmingCharacters(in: .whitespaces) }
        switch rule.test {
        case let .dateWindow(column, from, to):
            let text = cell(column)
            if text.isEmpty { return false }
            guard let date = CalendarDate(iso: text) else {
                throw AssignmentError.invalidCohort("\(source):\(unit.line): column \(column): \"\(text)\" is not a date "
                    + "(YYYY-MM-DD); leave the cell empty when the date is unknown")
            }
            return date >= from && date <= to
        case let .countAtLeast(columns, value, atLeast):
            return columns.filter { cell($0) == value }.count >= atLeast
        case let .oneOf(column, values):
            return values.contains(cell(column))
        }
    }
}
