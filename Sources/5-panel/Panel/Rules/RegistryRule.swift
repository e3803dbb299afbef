import Basics
import TrialDesign

/// A registry record that passed an outcome's filter, reduced to what the rules need: the days it covers
/// (`CalendarDate.dayNumber`s, read from the dates the outcome asks for; an open record ends at
/// `Int.max`), its value in the summed field, and its line for messages.
struct PassingSpan: Sendable, Equatable {
    var start: Int
    var end: Int
    /// The summed field (`sum` only); nil when the record has no value in it.
    var value: Double?
    /// The line of the file the record came from, for messages.
    var line: Int
}

/// One window of one unit, in days. `bounds[i]` is the first day of the window's `i`-th month and
/// `bounds.last` the day after its last month, so the window is `[first, last]` with `first = bounds.first`
/// and `last = bounds.last − 1`. A one-day window (a reference day) has two bounds a day apart.
struct WindowDays {
    var bounds: ArraySlice<Int>
    /// The assignment day (`first_date`, `first_start` count from it).
    var assignedDay: Int
    /// The day a one-day rule reads: the reference day of `on:`, else the window's last day.
    var reference: Int

    var first: Int { bounds.first! }
    var last: Int { bounds.last! - 1 }
    var monthCount: Int { bounds.count - 1 }
}

/// What a rule gives for one window: the outcome's cell and, for `first_start`, the companion cell of its
/// second column (1 when censored at the window's end).
struct RuleResult {
    var cell: PanelCell
    var companion: PanelCell? = nil

    init(_ cell: PanelCell, companion: PanelCell? = nil) {
        self.cell = cell
        self.companion = companion
    }
}

/// A registry derivation rule: one file each in this folder, over the interval algebra of `Intervals`.
/// See docs/panel.md for each rule's exact definition and the reasons behind it.
protocol RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ window: WindowDays) -> RuleResult
}

extension DerivationRule {
    /// The rule's implementation; nil for the survey rules.
    var registryRule: (any RegistryRule.Type)? {
        switch self {
        case .any, .overlaps: return Overlaps.self
        case .startsIn: return StartsIn.self
        case .count, .countStarts: return CountStarts.self
        case .activeOn, .statusAt: return ActiveOn.self
        case .daysCovered: return DaysCovered.self
        case .monthsWithAny: return MonthsWithAny.self
        case .shareOfMonths: return ShareOfMonths.self
        case .sum: return Sum.self
        case .firstStart: return FirstStart.self
        case .firstDate: return FirstDate.self
        case .surveyItem, .scale, .indexMean, .indexInverseCovariance: return nil
        }
    }

    /// Whether the rule's outcome has a second column (`first_start`: `<id>_censored`).
    public var hasCompanion: Bool { self == .firstStart }
}
