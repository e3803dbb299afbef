/// The values a report is made of. Reporting knows nothing of files, the store or the estimators: the
/// command line fills these values and the writers turn them into CSV, Markdown, LaTeX, HTML and SVG.

/// The kind of an outcome, as declared in the design; binary outcomes also get a relative effect and
/// their counts are checked against the small-cell threshold.
public enum OutcomeKind: String, Sendable, Equatable, Codable {
    case binary, count, continuous
}

/// One arm's descriptive statistics for an outcome at a wave.
public struct ArmSummary: Sendable, Equatable, Codable {
    /// Units with a non-missing value.
    public var n: Int
    public var mean: Double
    public var sd: Double
    /// For binary outcomes: units with the outcome (value 1). Checked against the small-cell threshold.
    public var positives: Int?

    public init(n: Int, mean: Double, sd: Double, positives: Int? = nil) {
        self.n = n
        self.mean = mean
        self.sd = sd
        self.positives = positives
    }
}

/// A coefficient as the estimators report it (the broom / estimatr vocabulary).
public struct TermEstimate: Sendable, Equatable, Codable {
    public var term: String
    public var estimate: Double
    public var stdError: Double
    public var statistic: Double
    public var df: Double
    public var pValue: Double
    public var confLow: Double
    public var confHigh: Double
    public var nObs: Int
    /// The number of clusters the estimate rests on (clustered designs); nil when unclustered.
    public var nClusters: Int?

    public init(term: String, estimate: Double, stdError: Double, statistic: Double, df: Double, pValue: Double,
                confLow: Double, confHigh: Double, nObs: Int, nClusters: Int? = nil) {
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

/// The comparison of one outcome at one wave.
public struct WaveEffect: Sendable, Equatable, Codable {
    public var wave: String
    public var control: ArmSummary
    public var intervention: ArmSummary
    /// The intention-to-treat effect (the treatment term of the design's estimator).
    public var itt: TermEstimate
    /// The p-value adjusted within the outcome's family (or the q-value), with the method's name.
    public var adjustedP: Double?
    /// A randomization-inference p-value, when computed.
    public var randomizationP: Double?
    /// The effect of treatment received (instrumented by assignment), when the design declares take-up.
    public var treatmentReceived: TermEstimate?

    public init(wave: String, control: ArmSummary, intervention: ArmSummary, itt: TermEstimate,
                adjustedP: Double? = nil, randomizationP: Double? = nil, treatmentReceived: TermEstimate? = nil) {
        self.wave = wave
        self.control = control
        self.intervention = intervention
        self.itt = itt
        self.adjustedP = adjustedP
        self.randomizationP = randomizationP
        self.treatmentReceived = treatmentReceived
    }

    /// The ITT effect relative to the control mean; nil when the control mean is 0 or not finite.
    public var relativeEffect: Double? {
        control.mean != 0 && control.mean.isFinite ? itt.estimate / control.mean : nil
    }

    /// The intervention arm's mean minus the control arm's, unadjusted: what a reader computes from the
    /// two means printed beside the (adjusted) effect.
    public var differenceOfMeans: Double { intervention.mean - control.mean }
}

/// Which values of an outcome are good for the families (the design's `better:`).
public enum BetterDirection: String, Sendable, Equatable, Codable {
    case higher, lower

    /// Whether an effect of this sign favours the intervention (nil for an effect of exactly 0).
    public func favoursIntervention(_ effect: Double) -> Bool? {
        guard effect != 0, effect.isFinite else { return nil }
        return (effect > 0) == (self == .higher)
    }
}

/// An outcome's measure before assignment (the design's `baseline:` covariate), by arm.
public struct BaselineMeans: Sendable, Equatable, Codable {
    public var control: ArmSummary
    public var intervention: ArmSummary
    public init(control: ArmSummary, intervention: ArmSummary) {
        self.control = control
        self.intervention = intervention
    }
}

/// One outcome with its comparisons at every wave it is measured.
public struct OutcomeEffects: Sendable, Equatable, Codable {
    public var id: String
    public var label: String
    public var family: String
    public var kind: OutcomeKind
    public var primary: Bool
    /// Wave id → comparison; a wave the outcome is not measured at is absent.
    public var waves: [String: WaveEffect]
    /// Which values are good for the families; nil when the design does not say.
    public var better: BetterDirection?
    /// The arm means of the outcome's measure before assignment, when the design names one.
    public var baseline: BaselineMeans?

    public init(id: String, label: String, family: String, kind: OutcomeKind, primary: Bool, waves: [String: WaveEffect],
                better: BetterDirection? = nil, baseline: BaselineMeans? = nil) {
        self.id = id
        self.label = label
        self.family = family
        self.kind = kind
        self.primary = primary
        self.waves = waves
        self.better = better
        self.baseline = baseline
    }
}

/// How the effects were estimated, for the notes under the tables: the estimator (the design's
/// `analysis.estimator`: `dim`, `ols`, `lin`, `iv`), the labels of the adjustment covariates, and whether
/// strata were absorbed (or used as blocks of the difference in means).
public struct EffectMethod: Sendable, Equatable, Codable {
    public var estimator: String
    public var covariates: [String]
    public var strata: Bool

    public init(estimator: String, covariates: [String] = [], strata: Bool = false) {
        self.estimator = estimator
        self.covariates = covariates
        self.strata = strata
    }
}

/// An id with a human label, in the order the design declares them.
public struct Labelled: Sendable, Equatable, Codable {
    public var id: String
    public var label: String
    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }
}

/// The effect table of a trial: outcomes grouped by family, side by side for each follow-up wave.
public struct EffectTable: Sendable, Equatable, Codable {
    public var families: [Labelled]
    public var waves: [Labelled]
    public var outcomes: [OutcomeEffects]
    /// Confidence level of the intervals, e.g. 0.95.
    public var level: Double
    /// Name of the multiple-testing adjustment per family id (e.g. `sharpened_q`).
    public var adjustments: [String: String]
    /// How the effects were estimated (nil: the notes say only "intention-to-treat effect").
    public var method: EffectMethod?

    public init(families: [Labelled], waves: [Labelled], outcomes: [OutcomeEffects], level: Double,
                adjustments: [String: String] = [:], method: EffectMethod? = nil) {
        self.families = families
        self.waves = waves
        self.outcomes = outcomes
        self.level = level
        self.adjustments = adjustments
        self.method = method
    }

    /// The outcomes of one family, in design order.
    public func outcomes(in family: String) -> [OutcomeEffects] { outcomes.filter { $0.family == family } }
}
