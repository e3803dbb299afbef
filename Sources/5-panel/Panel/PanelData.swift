import Basics
import TrialDesign

/// Why a cell holds the value it holds (or none). Written as the `status` column of the long file and
/// the `<id>_status` columns of the wide file.
public enum CellStatus: String, Sendable, Codable, CaseIterable, Equatable {
    /// A value was derived.
    case observed
    /// Registry outcome: the unit left the registry's scope (`ScopeExit`) on or before the window's last
    /// day, so the outcome is unknown, not zero.
    case censored
    /// Registry outcome: the window ends after the last day the source's extract covers.
    case beyondData = "beyond_data"
    /// `first_date`: no passing record in the window (the event did not happen in the window).
    case noEvent = "no_event"
    /// `sum`: a passing record in the window has no value in the summed field.
    case valueMissing = "value_missing"
    /// Survey outcome: the unit has no interview for the wave.
    case noInterview = "no_interview"
    /// Survey outcome: the interview fell outside the wave's window and the design says `outside_window:
    /// missing`.
    case outsideWindow = "outside_window"
    /// Survey outcome: interviewed, but the item (or, for an index, every item) was not answered.
    case itemMissing = "item_missing"
    /// Survey scale: interviewed, but fewer items valid than the scale's `min_valid`.
    case tooFewItems = "too_few_items"
    /// A cohort covariate whose column is empty or absent.
    case cohortMissing = "cohort_missing"
    /// The outcome is not measured at this wave (no window for it in the design).
    case notMeasured = "not_measured"

    public var hasValue: Bool { self == .observed }
}

/// One derived value and why it is (or is not) there.
public struct PanelCell: Sendable, Equatable, Codable {
    public var value: Double?
    public var status: CellStatus
    /// A short note: the censoring reason and date, the record line without a value, the interview date.
    public var detail: String?

    public init(value: Double?, status: CellStatus, detail: String? = nil) {
        self.value = value
        self.status = status
        self.detail = detail
    }

    public static func observed(_ v: Double) -> PanelCell { PanelCell(value: v, status: .observed) }
    public static func missing(_ s: CellStatus, _ detail: String? = nil) -> PanelCell {
        PanelCell(value: nil, status: s, detail: detail)
    }
}

/// What happened to a unit's interview at one wave.
public enum InterviewStatus: String, Sendable, Codable, CaseIterable, Equatable {
    /// Interviewed within [target − days_before, target + days_after].
    case interviewed
    /// Interviewed outside the window (or without a date), kept because the design says `outside_window: keep`.
    case outsideWindowKept = "outside_window_kept"
    /// Interviewed outside the window (or without a date), answers set missing (`outside_window: missing`).
    case outsideWindowMissing = "outside_window_missing"
    /// No interview for this wave.
    case noResponse = "no_response"
    /// The design has no survey source for this wave.
    case noSurvey = "no_survey"

    /// Whether the interview's answers are used.
    public var answersUsed: Bool { self == .interviewed || self == .outsideWindowKept }
}

/// One row of the analysis data set: one unit at one wave.
public struct PanelRow: Sendable, Equatable {
    public var unitID: String
    public var arm: String
    public var assignedOn: CalendarDate
    public var stratum: String?
    public var block: String?
    public var cluster: String?
    public var probability: Double
    public var wave: String
    /// assignedOn + the wave's offset in months (clamped to the month's end).
    public var waveTarget: CalendarDate
    public var interview: InterviewStatus
    public var interviewDate: CalendarDate?
    /// The take-up column (design `analysis.take_up`): 1 received, 0 not, nil unknown.
    public var takeUp: Double?
    /// Cohort columns named by subgroups (and the take-up column), as text.
    public var cohort: [String: String]
    /// Covariate values in the order of `PanelData.covariateIDs` (the same on every wave of the unit).
    public var covariates: [PanelCell]
    /// Outcome values at this wave in the order of `PanelData.outcomeIDs` (`notMeasured` when the outcome
    /// has no window at this wave).
    public var outcomes: [PanelCell]
}

/// Interviews per wave and arm, and registry censoring.
public struct WaveAttrition: Sendable, Equatable, Codable {
    public var wave: String
    public var arm: String
    public var randomised: Int
    public var interviewed: Int
    public var outsideWindowKept: Int
    public var outsideWindowMissing: Int
    public var noResponse: Int
    /// Units censored for at least one registry outcome of this wave, by ScopeExit reason.
    public var censoredByReason: [String: Int]
    /// Units interviewed at this wave whose scale is missing because too few of its items were valid,
    /// by outcome (nil when the design has no such outcome: a scale with `min_valid`, or an index without
    /// imputation).
    public var tooFewItemsByOutcome: [String: Int]? = nil
    /// Units whose answers are used at this wave (interviewed + kept outside the window).
    public var followedUp: Int { interviewed + outsideWindowKept }
}

/// The weights and standardisation of one survey index at one wave, for the data dictionary and checks.
public struct IndexComputation: Sendable, Equatable, Codable {
    public var outcome: String
    public var wave: String
    public var rule: String
    public var items: [String]
    /// Control-group mean and standard deviation (n − 1) of each item at the wave.
    public var controlMeans: [Double]
    public var controlSDs: [Double]
    /// Relative item weights (sum to 1): 1/K for index_mean, the normalised row sums of the inverse
    /// covariance matrix for index_inverse_covariance.
    public var weights: [Double]
    /// index_inverse_covariance only: the control mean and SD of the raw weighted index used to
    /// re-standardise it.
    public var rescaleMean: Double?
    public var rescaleSD: Double?
}

/// Counts that the panel could not attach to any unit, reported instead of silently dropped.
public struct PanelDiagnostics: Sendable, Equatable, Codable {
    /// Registry records of sources the design uses whose participant matches no unit.
    public var unlinkedRecords: Int = 0
    /// Registry records of sources no outcome or covariate uses.
    public var unusedRecords: Int = 0
    /// Survey responses whose participant matches no unit.
    public var unlinkedResponses: Int = 0
    /// Survey responses for a wave the design does not have.
    public var unknownWaveResponses: Int = 0
    /// Units with more than one response for the same wave and source (the one used is the in-window
    /// interview closest to the target date).
    public var duplicateInterviews: Int = 0
    /// Scope exits whose participant matches no unit.
    public var unlinkedExits: Int = 0
    /// Registry windows that end after the last month their source's extract covers (by the extract's own
    /// dates), one entry per outcome × wave or covariate; nil when there are none. Their values count no
    /// records after that month: a warning, not a missing value (`data_through:` on the source makes them
    /// missing).
    public var windowsPastData: [WindowPastData]? = nil
}

/// Windows of one outcome (at one wave) or covariate that end after the last month an extract covers.
public struct WindowPastData: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The outcome or covariate.
    public var target: String
    /// The wave (nil for a covariate).
    public var wave: String?
    public var source: String
    /// The last day of the last month the extract covers.
    public var extractEnds: CalendarDate
    /// Units whose window ends after `extractEnds`.
    public var units: Int
    /// The latest such window's last day.
    public var latestWindowEnd: CalendarDate

    public var description: String {
        "\(target)\(wave.map { " at \($0)" } ?? ""): the window of \(units) \(units == 1 ? "family" : "families") ends after "
            + "\(extractEnds), the last month the \(source) extract covers (the latest ends \(latestWindowEnd)); those "
            + "values count no records after it. Import a later extract, or declare data_through: on source \(source) "
            + "to make such windows missing"
    }
}

/// The analysis data set: one row per unit × wave, wide by outcome, with attrition, CONSORT counts
/// and the index computations.
public struct PanelData: Sendable, Equatable {
    public var trialID: String
    /// The design's unit identifier column name (e.g. `family_id`), used as the first column of outputs.
    public var idColumn: String
    public var waves: [String]
    public var outcomeIDs: [String]
    public var covariateIDs: [String]
    /// The cohort columns carried into the rows (take-up first, then subgroup columns).
    public var cohortColumns: [String]
    public var takeUpColumn: String?
    public var rows: [PanelRow]
    public var attrition: [WaveAttrition]
    public var consort: ConsortCounts
    public var indices: [IndexComputation]
    public var diagnostics: PanelDiagnostics

    /// The row of `unit` at `wave`, if any (a linear search: for tests and small look-ups).
    public func row(unit: String, wave: String) -> PanelRow? {
        rows.first { $0.unitID == unit && $0.wave == wave }
    }

    /// The outcome cell of `unit` at `wave`, if the unit, wave and outcome exist.
    public func outcome(_ id: String, unit: String, wave: String) -> PanelCell? {
        guard let o = outcomeIDs.firstIndex(of: id), let row = row(unit: unit, wave: wave) else { return nil }
        return row.outcomes[o]
    }

    /// The rows of one wave with the value of one outcome, in unit order: the column an estimator needs.
    /// Empty when the outcome or wave does not exist.
    public func column(outcome id: String, wave: String) -> [(row: PanelRow, cell: PanelCell)] {
        guard let o = outcomeIDs.firstIndex(of: id) else { return [] }
        return rows.filter { $0.wave == wave }.map { ($0, $0.outcomes[o]) }
    }

    /// The covariate cell of `unit`, if the unit and covariate exist.
    public func covariate(_ id: String, unit: String) -> PanelCell? {
        guard let c = covariateIDs.firstIndex(of: id), let row = rows.first(where: { $0.unitID == unit }) else { return nil }
        return row.covariates[c]
    }
}
