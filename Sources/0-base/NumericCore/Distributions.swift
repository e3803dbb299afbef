import CGSL

/// Continuous distributions through GSL's `gsl_cdf_*` routines. Every function checks its arguments
/// first and throws `NumericError.invalidArgument` (a probability outside (0, 1), a non-positive or NaN
/// degree of freedom) instead of letting GSL return NaN.
///
/// `cdf` is P(X ≤ x), `upperTail` is P(X > x) computed directly (not as 1 − cdf, so small p-values keep
/// their digits), `quantile` is the inverse of `cdf`.
public protocol ContinuousDistribution: Sendable {
    func cdf(_ x: Double) throws -> Double
    func upperTail(_ x: Double) throws -> Double
    func quantile(_ p: Double) throws -> Double
}

extension ContinuousDistribution {
    /// P(|X| > |x|) for a distribution symmetric about zero: `2 · upperTail(|x|)`.
    public func twoSidedTail(_ x: Double) throws -> Double { min(1, 2 * (try upperTail(abs(x)))) }

    /// The upper quantile: the x with P(X > x) = p.
    public func upperQuantile(_ p: Double) throws -> Double { try quantile(1 - checkedProbability(p)) }
}

@inline(__always)
func checkedProbability(_ p: Double) throws -> Double {
    guard p > 0, p < 1 else {
        throw NumericError.invalidArgument("a quantile needs a probability strictly between 0 and 1, got \(p)")
    }
    return p
}

@inline(__always)
func checkedFinite(_ x: Double) throws -> Double {
    guard !x.isNaN else { throw NumericError.invalidArgument("the argument is NaN") }
    return x
}

func checkedDegreesOfFreedom(_ df: Double, _ name: String = "degrees of freedom") throws -> Double {
    guard df > 0, !df.isNaN else {
        throw NumericError.invalidArgument("\(name) must be positive, got \(df)")
    }
    return df
}

/// The standard normal distribution (R: `pnorm`, `qnorm`).
public struct Normal: ContinuousDistribution {
    public let mean: Double
    public let sd: Double

    public init(mean: Double = 0, sd: Double = 1) throws {
        guard sd > 0 else { throw NumericError.invalidArgument("sd must be positive, got \(sd)") }
        _ = GSLRuntime.ready
        self.mean = mean
        self.sd = sd
    }

    public static let standard = try! Normal()

    public func cdf(_ x: Double) throws -> Double { gsl_cdf_ugaussian_P((try checkedFinite(x) - mean) / sd) }
    public func upperTail(_ x: Double) throws -> Double { gsl_cdf_ugaussian_Q((try checkedFinite(x) - mean) / sd) }
    public func quantile(_ p: Double) throws -> Double { mean + sd * gsl_cdf_ugaussian_Pinv(try checkedProbability(p)) }
}

/// Student's t with real (not necessarily whole) degrees of freedom (R: `pt`, `qt`).
public struct StudentT: ContinuousDistribution {
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) throws {
        self.degreesOfFreedom = try checkedDegreesOfFreedom(degreesOfFreedom)
        _ = GSLRuntime.ready
    }

    public func cdf(_ x: Double) throws -> Double { gsl_cdf_tdist_P(try checkedFinite(x), degreesOfFreedom) }
    public func upperTail(_ x: Double) throws -> Double { gsl_cdf_tdist_Q(try checkedFinite(x), degreesOfFreedom) }
    public func quantile(_ p: Double) throws -> Double { gsl_cdf_tdist_Pinv(try checkedProbability(p), degreesOfFreedom) }
}

/// The χ² distribution (R: `pchisq`, `qchisq`).
public struct ChiSquared: ContinuousDistribution {
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) throws {
        self.degreesOfFreedom = try checkedDegreesOfFreedom(degreesOfFreedom)
        _ = GSLRuntime.ready
    }

    public func cdf(_ x: Double) throws -> Double { gsl_cdf_chisq_P(try checkedFinite(x), degreesOfFreedom) }
    public func upperTail(_ x: Double) throws -> Double { gsl_cdf_chisq_Q(try checkedFinite(x), degreesOfFreedom) }
    public func quantile(_ p: Double) throws -> Double { gsl_cdf_chisq_Pinv(try checkedProbability(p), degreesOfFreedom) }
}

/// The F distribution (R: `pf`, `qf`).
public struct FisherF: ContinuousDistribution {
    public let numeratorDegreesOfFreedom: Double
    public let denominatorDegreesOfFreedom: Double

    public init(numerator: Double, denominator: Double) throws {
        numeratorDegreesOfFreedom = try checkedDegreesOfFreedom(numerator, "numerator degrees of freedom")
        denominatorDegreesOfFreedom = try checkedDegreesOfFreedom(denominator, "denominator degrees of freedom")
        _ = GSLRuntime.ready
    }

    public func cdf(_ x: Double) throws -> Double {
        gsl_cdf_fdist_P(try checkedFinite(x), numeratorDegreesOfFreedom, denominatorDegreesOfFreedom)
    }
    public func upperTail(_ x: Double) throws -> Double {
        gsl_cdf_fdist_Q(try checkedFinite(x), numeratorDegreesOfFreedom, denominatorDegreesOfFreedom)
    }
    public func quantile(_ p: Double) throws -> Double {
        gsl_cdf_fdist_Pinv(try checkedProbability(p), numeratorDegreesOfFreedom, denominatorDegreesOfFreedom)
    }
}

/// Special functions needed outside the distributions above (e.g. a noncentral t for power).
public enum SpecialFunctions {
    /// The regularised incomplete beta function I_x(a, b) (`gsl_sf_beta_inc`).
    public static func regularizedIncompleteBeta(a: Double, b: Double, x: Double) throws -> Double {
        _ = GSLRuntime.ready
        guard a > 0, b > 0, x >= 0, x <= 1 else {
            throw NumericError.invalidArgument("incomplete beta needs a > 0, b > 0 and 0 ≤ x ≤ 1 (got a=\(a), b=\(b), x=\(x))")
        }
        var result = gsl_sf_result()
        try GSLRuntime.check(gsl_sf_beta_inc_e(a, b, x, &result), "gsl_sf_beta_inc_e")
        return result.val
    }

    /// log Γ(x) for x > 0 (`gsl_sf_lngamma`).
    public static func logGamma(_ x: Double) throws -> Double {
        _ = GSLRuntime.ready
        var result = gsl_sf_result()
        try GSLRuntime.check(gsl_sf_lngamma_e(x, &result), "gsl_sf_lngamma_e")
        return result.val
    }
}
