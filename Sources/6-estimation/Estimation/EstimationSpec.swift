/// What to estimate: the estimator, the columns that play each role, the variance estimator and the
/// confidence level. Column names refer to an `EstimationData`.
///
/// The vocabulary follows R's estimatr: `outcomes` are the left-hand sides (each estimated separately,
/// with its own listwise deletion), `treatment` the assigned arm (intention to treat), `covariates`
/// pre-treatment adjustment variables, `fixedEffects` absorbed strata (estimatr's `fixed_effects = ~S`),
/// `blocks` the randomisation blocks of a difference in means, `clusters` the unit of assignment,
/// `weights` observation weights (estimatr's `weights`).
public struct EstimationSpec: Sendable, Equatable {
    /// The estimator. Every estimator estimates the intention-to-treat effect of `treatment`, except `iv`,
    /// which estimates the effect of `endogenous` instrumented by `instruments`.
    ///
    /// The one estimator type of the project: `rct estimate --estimator` and the design's
    /// `analysis.estimator` parse it from its raw value, and every list of estimators (help texts, the
    /// design loader's "allowed:" message) comes from `allCases`, in this order. A new estimator is a new
    /// case here and a file in `Estimators/` (its checks and its estimate of one outcome), with its line in
    /// `implementation`.
    public enum Estimator: String, Sendable, CaseIterable {
        /// Difference in means: Welch, blocked, clustered or matched pairs (estimatr `difference_in_means`).
        case dim
        /// Least squares with the treatment, covariates and absorbed fixed effects (estimatr `lm_robust`).
        case ols
        /// Lin (2013): covariates centred and interacted with the treatment (estimatr `lm_lin`).
        case lin
        /// Two-stage least squares (estimatr `iv_robust`).
        case iv

        /// A short name for help texts and reports.
        public var title: String {
            switch self {
            case .dim: return "difference in means"
            case .ols: return "OLS"
            case .lin: return "Lin 2013"
            case .iv: return "2SLS"
            }
        }
    }

    public var estimator: Estimator
    public var outcomes: [String]
    /// The treatment column. Not used by `iv`, which takes `endogenous` and `instruments` instead.
    public var treatment: String?
    /// The control level of a categorical treatment. When nil: `0` for a 0/1 treatment; for a numeric
    /// treatment with other values the column is used as a number (one slope) by `ols` and `iv`, and as
    /// levels with the smallest as control by `dim` and `lin`; for text levels the first in sorted order.
    public var control: String?
    public var covariates: [String]
    public var fixedEffects: String?
    public var blocks: String?
    public var clusters: String?
    public var weights: String?
    public var endogenous: [String]
    public var instruments: [String]
    /// nil chooses the default: HC2 without clusters, CR2 with clusters (estimatr's defaults).
    public var variance: VarianceType?
    /// The confidence level of the intervals, in (0, 1); 0.95 by default.
    public var level: Double

    public init(estimator: Estimator = .ols, outcomes: [String], treatment: String? = nil,
                control: String? = nil, covariates: [String] = [], fixedEffects: String? = nil,
                blocks: String? = nil, clusters: String? = nil, weights: String? = nil,
                endogenous: [String] = [], instruments: [String] = [], variance: VarianceType? = nil,
                level: Double = 0.95) {
        self.estimator = estimator
        self.outcomes = outcomes
        self.treatment = treatment
        self.control = control
        self.covariates = covariates
        self.fixedEffects = fixedEffects
        self.blocks = blocks
        self.clusters = clusters
        self.weights = weights
        self.endogenous = endogenous
        self.instruments = instruments
        self.variance = variance
        self.level = level
    }

    /// The variance estimator actually used: the explicit choice, else CR2 with clusters, HC2 without.
    public var effectiveVariance: VarianceType {
        variance ?? (clusters == nil ? .hc2 : .cr2)
    }
}

/// The variance (standard error) estimators of a regression, with estimatr's `se_type` names.
///
/// | case | estimatr | Stata | df |
/// |---|---|---|---|
/// | classical | `"classical"` | `regress` | N − K |
/// | hc0 | `"HC0"` | – | N − K |
/// | hc1 | `"HC1"` | `, robust` | N − K |
/// | hc2 | `"HC2"` (default) | `, vce(hc2)` | N − K |
/// | hc3 | `"HC3"` | `, vce(hc3)` | N − K |
/// | cr0 | `"CR0"` | – | S − 1 |
/// | cr1 | `"stata"` | `, vce(cluster C)` | S − 1 |
/// | cr2 | `"CR2"` (default with clusters) | – | Bell–McCaffrey, per coefficient |
///
/// K counts every estimated coefficient including absorbed fixed effects; S is the number of clusters.
///
/// The one variance type of the project: `rct estimate --se` and the design's `analysis.variance` use it.
public enum VarianceType: String, Sendable, CaseIterable {
    case classical, hc0, hc1, hc2, hc3, cr0, cr1, cr2

    /// Parses a name case-insensitively; `stata` is a synonym of `cr1`.
    public init?(name: String) {
        let lower = name.lowercased()
        if lower == "stata" { self = .cr1; return }
        guard let v = VarianceType(rawValue: lower) else { return nil }
        self = v
    }

    /// Every name `init(name:)` accepts, in order: the raw values, with the synonym `stata` after `cr1`.
    public static var names: [String] {
        allCases.flatMap { $0 == .cr1 ? [$0.rawValue, "stata"] : [$0.rawValue] }
    }

    public var isClustered: Bool { self == .cr0 || self == .cr1 || self == .cr2 }
}
