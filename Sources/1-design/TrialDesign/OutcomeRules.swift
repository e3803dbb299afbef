// The outcomes and covariates of a design: which records or answers they read, by which rule, through
// which filter, in which window of each family's follow-up. docs/design-format.md explains every key
// with an example and a calendar picture; docs/panel.md gives the exact definitions.

public enum OutcomeType: String, Sendable, CaseIterable, Equatable {
    case binary, count, continuous
}

/// How an outcome (or a covariate) is derived: a registry rule over the records of a window, or a survey
/// rule over the answers of a wave. The registry rules share one interval algebra (panel: `Rules/`).
public enum DerivationRule: String, Sendable, CaseIterable, Equatable {
    // Registry rules.
    /// 1 when a passing record covers at least one day of the window (the original name of `overlaps`).
    case any
    /// 1 when a passing record covers at least one day of the window.
    case overlaps
    /// 1 when a passing record starts in the window.
    case startsIn = "starts_in"
    /// Passing records that start in the window (the original name of `count_starts`).
    case count
    /// Passing records that start in the window.
    case countStarts = "count_starts"
    /// 1 when a passing record covers the reference day (`on:`), or the window's last day.
    case activeOn = "active_on"
    /// 1 when a passing record covers the window's last day (the original name of `active_on` without `on:`).
    case statusAt = "status_at"
    /// Days of the window covered by passing records, each day once however many records cover it.
    case daysCovered = "days_covered"
    /// Months of the window with at least one day covered.
    case monthsWithAny = "months_with_any"
    /// Share of the window's months with at least one day covered.
    case shareOfMonths = "share_of_months"
    /// Sum of `value` over the passing records that start in the window (signed: recoveries subtract),
    /// or, with `prorate: days`, over every record that overlaps it, in proportion to its days inside.
    case sum
    /// Days from the assignment day to the first start of a passing record in the window, censored at
    /// the window's end (a second column `<id>_censored` says which).
    case firstStart = "first_start"
    /// Days from the assignment day to the first day of the window a passing record covers.
    case firstDate = "first_date"
    // Survey rules.
    /// A survey answer of the wave.
    case surveyItem = "survey_item"
    /// A scale of survey items scored as the protocol says (`scale:`: mean, sum or standardised, reverse
    /// items, a minimum of valid items).
    case scale
    /// Mean of standardized survey items, missing items imputed at the arm's mean (Kling, Liebman & Katz).
    case indexMean = "index_mean"
    /// Inverse-covariance weighted index of survey items (Anderson 2008).
    case indexInverseCovariance = "index_inverse_covariance"

    /// Whether the rule reads survey answers (else registry records).
    public var isSurveyRule: Bool { [.surveyItem, .scale, .indexMean, .indexInverseCovariance].contains(self) }

    /// Whether the rule gives a 0/1 value.
    public var isBinary: Bool { [.any, .overlaps, .startsIn, .activeOn, .statusAt].contains(self) }

    /// Whether the rule asks about one day (a reference day, or the window's last day) rather than a span.
    public var readsOneDay: Bool { self == .activeOn || self == .statusAt }
}

/// Which dates of a record a rule reads, where a record carries several.
public enum RecordDate: String, Sendable, CaseIterable, Hashable {
    /// The record's span: its start to its end (a spell, a decision, a month of status). The default.
    case span
    /// Only its first day (a spell's start).
    case start
    /// Only its last day (a spell's end; a record still open has none).
    case end
    /// A payment's month (`payments`: the default of the record's span).
    case paymentMonth = "payment_month"
    /// The period a payment relates to (`period_start` to `period_end`; a payment without one is read by
    /// its payment month).
    case period
}

/// Which records an outcome reads: conditions on the fields of the source (its canonical fields and kept
/// columns), combined with all_of, any_of and not.
public indirect enum RecordFilter: Sendable, Hashable {
    /// The field's value is one of `values` (`in: { field: kind, values: [a, b] }`, or the short form
    /// `{ field: kind, in: [a, b] }`).
    case isIn(field: String, values: [String])
    /// The field's value is `value`.
    case equals(field: String, value: String)
    /// The numeric field lies in [min, max] (either bound may be left out).
    case between(field: String, min: Double?, max: Double?)
    case allOf([RecordFilter])
    case anyOf([RecordFilter])
    case not(RecordFilter)

    /// Every field the filter reads.
    public var fields: [String] {
        switch self {
        case let .isIn(field, _), let .equals(field, _), let .between(field, _, _): return [field]
        case let .allOf(parts), let .anyOf(parts): return parts.flatMap(\.fields)
        case let .not(part): return part.fields
        }
    }

    /// Whether a record with these coded attributes and numbers passes.
    public func passes(attribute: (String) -> String?, number: (String) -> Double?) -> Bool {
        switch self {
        case let .isIn(field, values): return attribute(field).map(values.contains) ?? false
        case let .equals(field, value): return attribute(field) == value
        case let .between(field, min, max):
            guard let v = number(field) ?? attribute(field).flatMap(Double.init) else { return false }
            return (min.map { v >= $0 } ?? true) && (max.map { v <= $0 } ?? true)
        case let .allOf(parts): return parts.allSatisfy { $0.passes(attribute: attribute, number: number) }
        case let .anyOf(parts): return parts.contains { $0.passes(attribute: attribute, number: number) }
        case let .not(part): return !part.passes(attribute: attribute, number: number)
        }
    }

    /// The one field and its values when the filter is a single `in` (the panel's fast path).
    public var simpleIn: (field: String, values: [String])? {
        if case let .isIn(field, values) = self { return (field, values) }
        if case let .equals(field, value) = self { return (field, [value]) }
        return nil
    }
}

/// A window in months, inclusive. After assignment, month 1 is the first month; before it, month −1 the
/// last month before (see `WindowAnchor` for where months start).
public struct MonthWindow: Sendable, Equatable {
    public var fromMonth: Int
    public var toMonth: Int

    public init(fromMonth: Int, toMonth: Int) {
        self.fromMonth = fromMonth
        self.toMonth = toMonth
    }
}

/// Where a family's months are counted from.
public enum WindowAnchor: String, Sendable, CaseIterable, Equatable {
    /// From the assignment day: month 1 runs from the assignment day to the day before the same day a
    /// month later (clamped to the month's end). The default.
    case assignmentDay = "assignment_day"
    /// In calendar months: month 1 is the calendar month after the month of assignment, month 0 the month
    /// of assignment itself, month −1 the calendar month before it ("the six calendar months after the
    /// month of assignment" is `[1, 6]`).
    case assignmentMonth = "assignment_month"
}

/// A day a rule asks about (`active_on`), counted in the window's anchor.
public enum ReferenceDay: Sendable, Equatable {
    /// The last day of month k (`on: end_of_month 12`).
    case endOfMonth(Int)
    /// Day k after the assignment day, which is day 0 (`on: day 365`).
    case day(Int)

    /// As the design writes it.
    public var text: String {
        switch self {
        case let .endOfMonth(k): return "end_of_month \(k)"
        case let .day(k): return "day \(k)"
        }
    }
}

/// An outcome's window at one wave: months counted from an anchor, or one reference day.
public struct OutcomeWindow: Sendable, Equatable {
    /// The months of the window. For a reference day, the month that holds it.
    public var months: MonthWindow
    public var anchor: WindowAnchor
    /// The reference day a one-day rule reads, when the design names one.
    public var on: ReferenceDay?

    public init(months: MonthWindow, anchor: WindowAnchor = .assignmentDay, on: ReferenceDay? = nil) {
        self.months = months
        self.anchor = anchor
        self.on = on
    }
}

/// How a `scale` (or an index with `impute: none`) is scored from its items.
public struct ScaleScoring: Sendable, Equatable {
    public enum Score: String, Sendable, CaseIterable, Equatable {
        /// The mean of the valid items.
        case mean
        /// The sum of the valid items.
        case sum
        /// The mean of the valid items, standardised by the control arm's mean and SD at the wave.
        case standardised
    }

    public var score: Score
    /// Items scored in reverse: x becomes (low + high) − x, with `range` the scale's range.
    public var reverse: [String]
    /// The answers' range (`range: [1, 5]`): answers outside it are not valid.
    public var range: ClosedRange<Double>?
    /// The fewest valid items a score needs; fewer and the scale is missing (`too_few_items`). Default:
    /// every item.
    public var minValid: Int?

    public init(score: Score, reverse: [String] = [], range: ClosedRange<Double>? = nil, minValid: Int? = nil) {
        self.score = score
        self.reverse = reverse
        self.range = range
        self.minValid = minValid
    }
}

/// What a survey outcome does with missing items.
public enum Imputation: String, Sendable, CaseIterable, Equatable {
    /// Missing stays missing: a scale is scored from its valid items (at least `min_valid`).
    case none
    /// A missing item takes the mean of the unit's arm for that item (Kling, Liebman & Katz 2007); the
    /// default of `index_mean`.
    case armMean = "arm_mean"
}

/// Which values of an outcome are good for the families (`better:` in the design).
public enum OutcomeDirection: String, Sendable, CaseIterable, Equatable {
    case higher, lower
}

public struct Outcome: Sendable, Equatable {
    public var id: String
    public var label: String
    public var family: String
    public var type: OutcomeType
    public var source: String
    public var rule: DerivationRule
    public var filter: RecordFilter?
    /// The numeric field for `sum`, or the survey item for `survey_item`.
    public var value: String?
    /// Survey items for the scale and index rules.
    public var items: [String]
    /// Wave id → window. For survey outcomes the wave alone matters.
    public var windows: [String: OutcomeWindow]
    public var primary: Bool
    /// Which dates of a record the rule reads (default: its span; a payment's month).
    public var date: RecordDate?
    /// `sum` only: records that overlap the window count in proportion to their days inside it.
    public var prorate: Bool = false
    /// `scale` (and `index_mean` with `impute: none`): how the items are scored.
    public var scale: ScaleScoring?
    /// Survey outcomes: what missing items become (default: none for `scale`, arm_mean for `index_mean`).
    public var impute: Imputation?
    /// Which direction is good for the families (`better: higher | lower`); nil when the design does not say.
    /// The report reads it to say which side of a figure favours the intervention.
    public var better: OutcomeDirection?
    /// A covariate that measures the same thing before assignment (`baseline: COVARIATE_ID`): the report
    /// draws its arm means beside the outcome's at each wave.
    public var baseline: String?

    public init(id: String, label: String, family: String, type: OutcomeType, source: String, rule: DerivationRule,
                filter: RecordFilter? = nil, value: String? = nil, items: [String] = [], windows: [String: OutcomeWindow],
                primary: Bool = false) {
        self.id = id
        self.label = label
        self.family = family
        self.type = type
        self.source = source
        self.rule = rule
        self.filter = filter
        self.value = value
        self.items = items
        self.windows = windows
        self.primary = primary
    }
}

public struct Covariate: Sendable, Equatable {
    public var id: String
    public var label: String
    /// A cohort column, or a derivation over a registry source in a pre-assignment window.
    public var column: String?
    public var source: String?
    public var rule: DerivationRule?
    public var filter: RecordFilter?
    /// Months before assignment, e.g. from -12 to -1.
    public var window: MonthWindow?
    /// Where the months are counted from (default: the assignment day).
    public var anchor: WindowAnchor = .assignmentDay
    /// Which dates of a record the rule reads.
    public var date: RecordDate?

    public init(id: String, label: String, column: String? = nil, source: String? = nil, rule: DerivationRule? = nil,
                filter: RecordFilter? = nil, window: MonthWindow? = nil) {
        self.id = id
        self.label = label
        self.column = column
        self.source = source
        self.rule = rule
        self.filter = filter
        self.window = window
    }
}
