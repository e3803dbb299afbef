import Estimation
import NumericCore

/// A Wald test of q linear restrictions Rβ = 0 with the regression's own (robust) variance V:
///
///     F = (Rβ̂)′ (R V R′)⁻¹ (Rβ̂) / q,   referred to F(q, N − K),
///
/// N − K the regression's residual degrees of freedom (K counting absorbed strata); with a cluster-robust
/// variance (CR0, CR1, CR2) F(q, G − 1), G the number of clusters, as Stata's `test` after
/// `vce(cluster)`: the clusters, not the units, are the independent observations. (With CR2 this is not
/// the Hotelling-T² small-sample test of Pustejovsky and Tipton (2018, clubSandwich's `Wald_test`,
/// "HTZ"), which has no implementation here; with few clusters F(q, G − 1) is the more liberal.) This is what
/// Stata's `test` does after `regress …, vce(hc2)` and what R's `car::linearHypothesis(fit, R,
/// test = "F")` does on an `lm_robust` fit (estimatr's `lh_robust`). The F(q, N − K) reference is a
/// small-sample convention: the statistic q·F is asymptotically χ²(q) whatever the variance estimator,
/// and F(q, N − K) is slightly more conservative than χ²(q)/q, exact under homoskedastic normal
/// errors with the classical variance. With q = 1, F equals the squared t statistic of Rβ̂ and the
/// p-values agree.
public struct WaldTest: Sendable, Equatable {
    /// What each restriction says, e.g. `treatment:age = 0` or `effect[b] − effect[a] = 0`.
    public var restrictions: [String]
    public var fStatistic: Double
    public var numeratorDF: Double
    public var denominatorDF: Double
    public var pValue: Double

    public init(restrictions: [String], fStatistic: Double, numeratorDF: Double, denominatorDF: Double) throws {
        self.restrictions = restrictions
        self.fStatistic = fStatistic
        self.numeratorDF = numeratorDF
        self.denominatorDF = denominatorDF
        self.pValue = try FisherF(numerator: numeratorDF, denominator: denominatorDF).upperTail(max(fStatistic, 0))
    }

    /// The test of `R β = 0` on a fit; `R` has one row per restriction and one column per coefficient.
    public init(fit: LinearModelFit, R: [[Double]], restrictions: [String]) throws {
        let q = R.count
        let k = fit.coefficients.count
        guard q > 0, R.allSatisfy({ $0.count == k }), restrictions.count == q else {
            throw RobustnessError.lengthMismatch("a Wald test needs one row of \(k) weights and one label per restriction")
        }
        let Rm = try Matrix(R)
        let rb = try Rm.multiplied(by: fit.coefficients)
        let middle = try Rm.multiplied(by: fit.covariance).multiplied(by: Rm.transposed)
        let inverse: Matrix
        do {
            inverse = try middle.inverse()
        } catch {
            throw RobustnessError.notEstimable("the joint test of \(restrictions.joined(separator: ", ")) cannot be computed: the variance of the restrictions is singular (a restriction repeats another, or a coefficient has zero variance)")
        }
        let w = try inverse.multiplied(by: rb)
        let f = zip(rb, w).reduce(0) { $0 + $1.0 * $1.1 } / Double(q)
        try self.init(restrictions: restrictions, fStatistic: f, numeratorDF: Double(q),
                      denominatorDF: fit.waldDenominatorDF)
    }

    /// The joint test that the named coefficients are all zero.
    public init(fit: LinearModelFit, zero names: [String]) throws {
        let R = try names.map { name -> [Double] in
            guard let j = fit.index(of: name) else {
                throw RobustnessError.invalidInput("the fit has no coefficient \"\(name)\"; it has \(fit.names.joined(separator: ", "))")
            }
            var row = [Double](repeating: 0, count: fit.coefficients.count)
            row[j] = 1
            return row
        }
        try self.init(fit: fit, R: R, restrictions: names.map { "\($0) = 0" })
    }
}
