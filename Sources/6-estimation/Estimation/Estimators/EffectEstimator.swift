import NumericCore

/// One estimator of `Estimation`: its own checks of a specification, and its estimate of one outcome
/// from that outcome's complete rows. Each estimator is a file of its own in this folder; a new one is
/// a new file and a case in `EstimationSpec.Estimator` (with its line in `implementation`).
protocol EffectEstimator {
    /// A sentence for a report's pre-specified analysis ("… by <description>").
    static var description: String { get }
    /// Whether the estimator takes the randomisation blocks as `blocks` (a difference in means within
    /// blocks) rather than as absorbed `fixedEffects`.
    static var takesBlocks: Bool { get }
    /// The estimator's own checks of the specification (the shared ones — an outcome, a level — are
    /// made before); notes it wants to add go into `notes`.
    static func check(_ spec: EstimationSpec, notes: inout [EstimationNote]) throws
    /// Adds the tidy rows (and first stages) of one outcome to `result`.
    static func estimate(_ data: OutcomeRows, spec: EstimationSpec, result: inout EstimationResult) throws
}

extension EffectEstimator {
    static var takesBlocks: Bool { false }
}

/// One outcome's complete rows (listwise deletion over the columns it uses), with the columns an
/// estimator reads, already restricted to those rows.
struct OutcomeRows {
    var outcome: String
    /// The rows of the data that are complete for this outcome.
    var rows: [Int]
    var y: [Double]
    var weights: [Double]?
    var clusters: [String]?
    var fixedEffects: [String]?
    /// Every column of the specification, parsed once (for the treatment, covariates, instruments, …).
    var prepared: Estimation.Prepared
}

extension EstimationSpec.Estimator {
    /// The estimator's implementation.
    var implementation: any EffectEstimator.Type {
        switch self {
        case .dim: return DifferenceInMeansEstimator.self
        case .ols: return OLSEstimator.self
        case .lin: return LinEstimator.self
        case .iv: return TwoStageEstimator.self
        }
    }

    /// A sentence for a report: "the effect of assignment by …".
    public var reportDescription: String { implementation.description }

    /// Whether the randomisation blocks enter as blocks of a difference in means rather than as absorbed
    /// fixed effects.
    public var takesBlocks: Bool { implementation.takesBlocks }
}

/// The checks shared by the estimators of the effect of assignment (`dim`, `ols`, `lin`): a treatment
/// column, and no endogenous regressors or instruments.
enum IntentionToTreatChecks {
    static func check(_ spec: EstimationSpec) throws {
        guard spec.treatment != nil else { throw EstimationError.invalidSpecification(.noTreatment) }
        guard spec.endogenous.isEmpty, spec.instruments.isEmpty else {
            throw EstimationError.invalidSpecification(.instrumentsWithoutIV)
        }
    }
}

/// The checks shared by the regression estimators (`ols`, `lin`, `iv`): no blocks (they absorb strata
/// as fixed effects), and a cluster column exactly when the variance is cluster-robust.
enum RegressionChecks {
    static func check(_ spec: EstimationSpec) throws {
        if let blocks = spec.blocks {
            throw EstimationError.invalidSpecification(.blocksWithoutDim(spec.estimator, blocks: blocks))
        }
        if spec.effectiveVariance.isClustered && spec.clusters == nil {
            throw EstimationError.invalidSpecification(.clusteredVarianceWithoutClusters(spec.effectiveVariance))
        }
        if !spec.effectiveVariance.isClustered, let clusters = spec.clusters {
            throw EstimationError.invalidSpecification(.clustersIgnored(spec.effectiveVariance, clusters: clusters))
        }
    }
}

/// The least-squares problem of a regression estimator: an intercept unless fixed effects are absorbed,
/// the estimator's regressors, absorbed fixed effects and clusters coded, instruments for 2SLS; the fit
/// becomes one tidy row per term.
struct RegressionDesign {
    var columns: [[Double]] = []
    var names: [String] = []
    var instrumentColumns: [[Double]] = []
    var instrumentNames: [String] = []

    /// An empty design for `data`: the intercept, unless fixed effects are absorbed.
    init(_ data: OutcomeRows) {
        if data.fixedEffects == nil {
            let one = [Double](repeating: 1, count: data.rows.count)
            columns.append(one); names.append("(Intercept)")
            instrumentColumns.append(one); instrumentNames.append("(Intercept)")
        }
    }

    /// Adds the treatment's columns (one indicator per non-control level; with `levelsOnly` false a
    /// numeric treatment may enter as one slope) and returns its coding.
    @discardableResult
    mutating func addTreatment(_ data: OutcomeRows, spec: EstimationSpec, levelsOnly: Bool,
                               notes: inout [EstimationNote]) throws -> TreatmentCoding {
        let p = data.prepared
        let coding = try TreatmentCoding.make(column: spec.treatment!, labels: data.rows.map { p.treatment![$0]! },
                                              control: spec.control, levelsOnly: levelsOnly, outcome: data.outcome, notes: &notes)
        columns += coding.regressors
        names += coding.terms
        return coding
    }

    /// The covariates on the outcome's rows.
    static func covariates(_ data: OutcomeRows) -> [(name: String, values: [Double])] {
        data.prepared.covariates.map { c in (c.name, data.rows.map { c.values[$0]! }) }
    }

    /// The regression problem of this design.
    func problem(_ data: OutcomeRows, spec: EstimationSpec) throws -> RegressionProblem {
        var problem = RegressionProblem(y: data.y, X: try Matrix(columns: columns), names: names, weights: data.weights,
                                        variance: spec.effectiveVariance, outcome: data.outcome)
        if let labels = data.fixedEffects {
            let (codes, count) = Estimation.encode(labels)
            problem.fixedEffects = codes
            problem.fixedEffectLevels = count
            problem.fixedEffectName = spec.fixedEffects
        }
        if let labels = data.clusters {
            let (codes, count) = Estimation.encode(labels)
            problem.clusters = codes
            problem.clusterCount = count
        }
        if spec.estimator == .iv {
            problem.instruments = try Matrix(columns: instrumentColumns)
            problem.instrumentNames = instrumentNames
        }
        return problem
    }

    /// Fits the problem and appends one tidy row per term.
    static func fitAndTidy(_ problem: RegressionProblem, _ data: OutcomeRows, spec: EstimationSpec,
                           result: inout EstimationResult) throws {
        let fit = try Regression.fit(problem)
        for (j, name) in problem.names.enumerated() {
            result.rows.append(try Estimation.tidyRow(outcome: data.outcome, term: name, estimate: fit.coefficients[j],
                                                      stdError: fit.covariance[j, j].squareRoot(), df: fit.df[j],
                                                      level: spec.level, nObs: data.rows.count))
        }
    }
}
