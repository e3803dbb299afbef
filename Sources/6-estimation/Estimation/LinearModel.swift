import NumericCore

/// A least-squares fit on plain arrays that returns the whole coefficient vector and its covariance
/// matrix, for callers that test several coefficients jointly (Wald tests of interactions in the
/// `Robustness` module). Same numerical core as `Estimation.estimate` (`Regression.fit`): QR least
/// squares with rank detection, absorbed fixed effects, classical/HC0–HC3 variances, and CR0/CR1/CR2 with
/// clusters (CR2 with Bell–McCaffrey degrees of freedom per coefficient, as `Estimation.estimate`).
///
/// R: `lm_robust(y ~ x1 + x2, fixed_effects = ~s, se_type = "HC2")` (or `clusters = g, se_type =
/// "CR2"`) followed by `vcov()`; Stata: `regress y x1 x2 i.s, vce(hc2)` followed by `matrix list e(V)`.
public struct LinearModelFit: Sendable, Equatable {
    /// One name per coefficient, in the order of `coefficients` (the intercept `(Intercept)` first
    /// when there is one; absorbed fixed effects have no coefficient).
    public let names: [String]
    public let coefficients: [Double]
    /// The variance estimate of `coefficients` (K × K).
    public let covariance: Matrix
    /// N − K, K counting the absorbed fixed effects: the df of every t and of the Wald F denominator.
    public let residualDF: Int
    /// The t degrees of freedom of each coefficient: N − K, G − 1 with CR0/CR1, Bell–McCaffrey with CR2.
    public let df: [Double]
    /// The number of clusters of a clustered fit (nil otherwise).
    public let clusterCount: Int?
    public let nObs: Int
    public let variance: VarianceType

    /// The index of a named coefficient.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// The standard error of coefficient `j`: √V[j, j].
    public func standardError(_ j: Int) -> Double { covariance[j, j].squareRoot() }

    /// The denominator degrees of freedom of a Wald F-test on the fit: N − K, or G − 1 with clusters (the
    /// convention of Stata's `test` after `vce(cluster)`, and of the first-stage F here).
    public var waldDenominatorDF: Double { clusterCount.map { Double($0 - 1) } ?? Double(residualDF) }
}

public enum LinearModel {
    /// Fits y on the regressors (plus an intercept unless `fixedEffects` are absorbed) by least
    /// squares.
    ///
    /// - Parameters:
    ///   - y: the outcome, one value per observation (no missing values: the caller deletes rows).
    ///   - regressors: named columns of the same length as `y`.
    ///   - fixedEffects: stratum labels absorbed by the within transformation (no intercept then), or nil.
    ///   - fixedEffectsName: the stratum column's name, for messages.
    ///   - variance: classical or HC0–HC3 (default HC2, estimatr's default); CR0, CR1 (Stata) or CR2
    ///     with `clusters`.
    ///   - clusters: the cluster of each observation, for a cluster-robust variance (nil otherwise).
    ///   - outcome: the outcome's name, for messages.
    /// - Throws: `EstimationError.singularDesign` naming the collinear column,
    ///   `absorbedByFixedEffects`, `tooFewObservations`, `invalidSpecification`.
    public static func fit(y: [Double], regressors: [(name: String, values: [Double])],
                           fixedEffects: [String]? = nil, fixedEffectsName: String? = nil,
                           variance: VarianceType = .hc2, clusters: [String]? = nil,
                           outcome: String = "y") throws -> LinearModelFit {
        guard variance.isClustered == (clusters != nil) else {
            throw EstimationError.invalidSpecification(.clusteredVarianceInLinearModel(variance))
        }
        if let clusters, clusters.count != y.count {
            throw EstimationError.invalidSpecification(.columnLength(column: "clusters", count: clusters.count, expected: y.count, outcome: outcome))
        }
        for r in regressors where r.values.count != y.count {
            throw EstimationError.invalidSpecification(.columnLength(column: r.name, count: r.values.count, expected: y.count, outcome: outcome))
        }
        if let fixedEffects, fixedEffects.count != y.count {
            throw EstimationError.invalidSpecification(.fixedEffectsLength(name: fixedEffectsName ?? "strata", count: fixedEffects.count,
                                                                     expected: y.count, outcome: outcome))
        }
        var columns: [[Double]] = []
        var names: [String] = []
        if fixedEffects == nil {
            columns.append([Double](repeating: 1, count: y.count)); names.append("(Intercept)")
        }
        for r in regressors { columns.append(r.values); names.append(r.name) }
        guard !columns.isEmpty else {
            throw EstimationError.invalidSpecification(.noRegressorWithFixedEffects(outcome: outcome))
        }
        var problem = RegressionProblem(y: y, X: try Matrix(columns: columns), names: names, weights: nil,
                                        variance: variance, outcome: outcome)
        if let fixedEffects {
            let (codes, count) = Estimation.encode(fixedEffects)
            problem.fixedEffects = codes
            problem.fixedEffectLevels = count
            problem.fixedEffectName = fixedEffectsName
        }
        if let clusters {
            let (codes, count) = Estimation.encode(clusters)
            problem.clusters = codes
            problem.clusterCount = count
        }
        let fit = try Regression.fit(problem)
        return LinearModelFit(names: names, coefficients: fit.coefficients, covariance: fit.covariance,
                              residualDF: fit.residualDF, df: fit.df, clusterCount: clusters == nil ? nil : problem.clusterCount,
                              nObs: fit.nObs, variance: variance)
    }
}
