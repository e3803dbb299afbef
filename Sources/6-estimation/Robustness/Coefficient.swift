import Estimation
import NumericCore

/// One estimated coefficient with its t inference, in broom's vocabulary (as `EstimateRow`).
///
/// statistic = estimate / std_error; p = 2 P(T_df > |statistic|); interval estimate ∓ t_{df, 1−α/2} ·
/// std_error with α = 1 − level; df = N − K of the regression (K counting absorbed strata), or the
/// fit's clustered degrees of freedom (G − 1 for CR0/CR1, Bell–McCaffrey for CR2).
public struct Coefficient: Sendable, Equatable {
    public var term: String
    public var estimate: Double
    public var stdError: Double
    public var statistic: Double
    public var df: Double
    public var pValue: Double
    public var confLow: Double
    public var confHigh: Double
    public var level: Double

    public init(term: String, estimate: Double, stdError: Double, df: Double, level: Double) throws {
        self.term = term
        self.estimate = estimate
        self.stdError = stdError
        self.statistic = estimate / stdError
        self.df = df
        self.level = level
        if df > 0, stdError.isFinite, stdError > 0 {
            let t = try StudentT(degreesOfFreedom: df)
            pValue = try t.twoSidedTail(statistic)
            let q = try t.quantile(1 - (1 - level) / 2)
            confLow = estimate - q * stdError
            confHigh = estimate + q * stdError
        } else {
            pValue = .nan
            confLow = .nan
            confHigh = .nan
        }
    }

    /// The coefficient `index` of a fit, under the name `term`.
    init(_ fit: LinearModelFit, index: Int, term: String, level: Double) throws {
        try self.init(term: term, estimate: fit.coefficients[index], stdError: fit.standardError(index),
                      df: fit.df[index], level: level)
    }
}

func checkLevel(_ level: Double) throws {
    guard level > 0, level < 1 else {
        throw RobustnessError.invalidInput("the confidence level must lie strictly between 0 and 1 (e.g. 0.95), got \(level)")
    }
}

/// The variance of a robustness fit: HC2 without clusters; with clusters CR0, CR1 or CR2.
func robustVariance(clusters: [String]?, clusterVariance: VarianceType) throws -> VarianceType {
    guard clusters != nil else { return .hc2 }
    guard clusterVariance.isClustered else {
        throw RobustnessError.invalidInput("with clusters the variance must be cluster-robust (cr0, cr1 or cr2), not \(clusterVariance.rawValue)")
    }
    return clusterVariance
}
