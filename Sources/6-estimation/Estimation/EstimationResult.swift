/// One row of tidy output: one coefficient of one outcome, in broom's vocabulary (estimatr `tidy()`).
public struct EstimateRow: Sendable, Equatable {
    public var outcome: String
    /// `(Intercept)`, a 0/1 or numeric treatment's column name, `COLUMN=LEVEL` for a level of a
    /// categorical treatment, a covariate's name, `NAME_c` for a centred Lin covariate and
    /// `TREATMENT:NAME_c` for its interaction.
    public var term: String
    public var estimate: Double
    public var stdError: Double
    /// estimate / std_error.
    public var statistic: Double
    /// Degrees of freedom of the t reference distribution.
    public var df: Double
    /// Two-sided p-value: 2 P(T_df > |statistic|).
    public var pValue: Double
    /// estimate ∓ t_{df, 1 − (1 − level)/2} · std_error.
    public var confLow: Double
    public var confHigh: Double
    /// Number of observations (rows) used for this outcome after listwise deletion.
    public var nObs: Int
    /// Number of clusters among those rows when the specification has clusters (estimatr's
    /// `nclusters`); nil otherwise.
    public var nClusters: Int?

    public init(outcome: String, term: String, estimate: Double, stdError: Double, statistic: Double,
                df: Double, pValue: Double, confLow: Double, confHigh: Double, nObs: Int, nClusters: Int? = nil) {
        self.outcome = outcome
        self.term = term
        self.estimate = estimate
        self.stdError = stdError
        self.statistic = statistic
        self.df = df
        self.pValue = pValue
        self.confLow = confLow
        self.confHigh = confHigh
        self.nObs = nObs
        self.nClusters = nClusters
    }
}

/// The first stage of a two-stage least-squares fit for one endogenous regressor: the Wald F statistic
/// of the excluded instruments, F = b′ V⁻¹ b / q, with V the first stage's variance of those q
/// coefficients under the same variance estimator as the second stage (the classical F when
/// `classical`). R: estimatr `summary(iv_robust(..., diagnostics = TRUE))` "Weak instruments";
/// Stata: `estat firststage`.
public struct FirstStage: Sendable, Equatable {
    public var outcome: String
    public var endogenous: String
    public var fStatistic: Double
    public var numeratorDF: Double
    public var denominatorDF: Double
    public var pValue: Double
}

/// The result of `Estimation.estimate`: tidy rows for every outcome, the first stages of an `iv` fit,
/// and the notes produced (listwise deletion counts, defaults that were chosen), as data for the caller
/// to word (`EstimationNote.describe(_:)`).
public struct EstimationResult: Sendable, Equatable {
    public var rows: [EstimateRow]
    public var firstStages: [FirstStage]
    public var notes: [EstimationNote]

    public init(rows: [EstimateRow] = [], firstStages: [FirstStage] = [], notes: [EstimationNote] = []) {
        self.rows = rows
        self.firstStages = firstStages
        self.notes = notes
    }

    /// The row of a given outcome and term, if any.
    public func row(outcome: String? = nil, term: String) -> EstimateRow? {
        rows.first { $0.term == term && (outcome == nil || $0.outcome == outcome) }
    }
}
