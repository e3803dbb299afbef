import NumericCore

/// Lee (2009) bounds on the average effect for units that would respond (be observed) whatever their
/// arm, under monotone attrition (treatment affects response in one direction only).
///
/// With observed shares q₁ (treated) and q₀ (control), the arm with the larger share is trimmed by the
/// proportion p = (q_max − q_min) / q_max of its observed units. The lower bound trims its largest
/// outcomes, the upper bound its smallest; the bounds are the trimmed mean minus (or, when the control
/// arm is trimmed, subtracted from) the other arm's observed mean. Trimming a real number of units uses
/// a fractional weight for the boundary observation: with k observed units kept K = (1 − p) k times,
/// the trimmed mean is [Σ_{i ≤ ⌊K⌋} y_(i) + (K − ⌊K⌋) y_(⌊K⌋+1)] / K, which is exact when pk is whole.
///
/// Standard errors: Lee's (2009, Proposition 3) asymptotic variance, written per bound as
///
///     V = [σ²_trim + p (y_cut − μ_trim)²] / ((1 − p) k)        (trimmed mean with a known cut)
///       + ((y_cut − μ_trim) / (1 − p))² Var(p̂)               (estimated trimming proportion)
///       + s²_other / k_other                                   (untrimmed arm's mean)
///
/// with Var(p̂) = (q_min/q_max)² [(1 − q_max)/(n_max q_max) + (1 − q_min)/(n_min q_min)] (delta method on
/// the two response shares), σ²_trim the (divide-by-K) variance of the kept outcomes, y_cut the
/// trimming quantile (the last kept order statistic) and s²_other the usual n − 1 sample variance.
///
/// Confidence interval: Imbens & Manski (2004) for the partially identified effect, as Lee reports:
/// [LB − c σ_LB, UB + c σ_UB] where c solves Φ(c + (UB − LB)/max(σ_LB, σ_UB)) − Φ(−c) = 1 − α, so c
/// runs from z_{1−α/2} (point identified) to z_{1−α} (wide bounds). Stata: `leebounds` (Tauchmann),
/// whose `cieffect` option gives this interval.
public struct LeeBounds: Sendable, Equatable {
    public enum TrimmedArm: String, Sendable { case treated, control }

    public let lower: Double
    public let upper: Double
    public let lowerStandardError: Double
    public let upperStandardError: Double
    public let trimmedArm: TrimmedArm
    /// The proportion p of the trimmed arm's observed units that is trimmed.
    public let trimmingProportion: Double
    public let observedShareTreated: Double
    public let observedShareControl: Double
    public let confidenceLevel: Double
    /// The Imbens–Manski interval.
    public let confidenceInterval: (lower: Double, upper: Double)
    /// The critical value c of the interval.
    public let criticalValue: Double

    public static func == (a: LeeBounds, b: LeeBounds) -> Bool {
        a.lower == b.lower && a.upper == b.upper && a.lowerStandardError == b.lowerStandardError
            && a.upperStandardError == b.upperStandardError && a.confidenceInterval == b.confidenceInterval
    }

    /// - Parameters:
    ///   - treated: every randomised treated unit's outcome, nil when not observed (attrited).
    ///   - control: the same for control units.
    ///   - level: the confidence level of the interval (default 0.95).
    public init(treated: [Double?], control: [Double?], level: Double = 0.95) throws {
        guard level > 0, level < 1 else { throw InferenceError.invalidArgument("the confidence level must lie in (0, 1), got \(level)") }
        let y1 = treated.compactMap { $0 }, y0 = control.compactMap { $0 }
        guard y1.count >= 2, y0.count >= 2 else {
            throw InferenceError.invalidArgument(
                "Lee bounds need at least two observed outcomes in each arm (treated \(y1.count), control \(y0.count))")
        }
        if let bad = (y1 + y0).first(where: { !$0.isFinite }) {
            throw InferenceError.invalidArgument("outcomes must be finite numbers (use nil for a missing one), got \(bad)")
        }
        let q1 = Double(y1.count) / Double(treated.count), q0 = Double(y0.count) / Double(control.count)
        let trimTreated = q1 >= q0
        let (qMax, qMin) = trimTreated ? (q1, q0) : (q0, q1)
        let (nMax, nMin) = trimTreated ? (Double(treated.count), Double(control.count)) : (Double(control.count), Double(treated.count))
        let p = (qMax - qMin) / qMax
        let trimmedValues = (trimTreated ? y1 : y0).sorted()
        let other = trimTreated ? y0 : y1
        let otherMean = other.reduce(0, +) / Double(other.count)
        let otherVariance = other.reduce(0) { $0 + ($1 - otherMean) * ($1 - otherMean) } / Double(other.count - 1)
        let varP = (qMin / qMax) * (qMin / qMax) * ((1 - qMax) / (nMax * qMax) + (1 - qMin) / (nMin * qMin))
        let k = Double(trimmedValues.count)

        /// Trimmed mean, its variance term and the cut, keeping the smallest (ascending) values.
        func keepSmallest(_ v: [Double]) -> (mean: Double, variance: Double) {
            let kept = (1 - p) * k
            let whole = Int(kept.rounded(.down))
            let fraction = kept - Double(whole)
            var weights = [Double](repeating: 0, count: v.count)
            for i in 0..<whole { weights[i] = 1 }
            if fraction > 1e-12 && whole < v.count { weights[whole] = fraction }
            let cutIndex = fraction > 1e-12 ? whole : max(whole - 1, 0)
            let cut = v[cutIndex]
            let mean = zip(weights, v).reduce(0) { $0 + $1.0 * $1.1 } / kept
            let spread = zip(weights, v).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) } / kept
            let variance = (spread + p * (cut - mean) * (cut - mean)) / ((1 - p) * k)
                + ((cut - mean) / (1 - p)) * ((cut - mean) / (1 - p)) * varP
            return (mean, variance)
        }
        let small = keepSmallest(trimmedValues)
        // Keeping the largest values = keeping the smallest of the negated values.
        let largeNegated = keepSmallest(trimmedValues.reversed().map { -$0 })
        let large = (mean: -largeNegated.mean, variance: largeNegated.variance)
        let otherVar = otherVariance / Double(other.count)

        if trimTreated {
            lower = small.mean - otherMean
            upper = large.mean - otherMean
            lowerStandardError = (small.variance + otherVar).squareRoot()
            upperStandardError = (large.variance + otherVar).squareRoot()
        } else {
            lower = otherMean - large.mean
            upper = otherMean - small.mean
            lowerStandardError = (large.variance + otherVar).squareRoot()
            upperStandardError = (small.variance + otherVar).squareRoot()
        }
        trimmedArm = trimTreated ? .treated : .control
        trimmingProportion = p
        observedShareTreated = q1
        observedShareControl = q0
        confidenceLevel = level
        let c = try Self.imbensManskiCritical(width: upper - lower, sigma: max(lowerStandardError, upperStandardError),
                                              alpha: 1 - level)
        criticalValue = c
        confidenceInterval = (lower - c * lowerStandardError, upper + c * upperStandardError)
    }

    /// The c with Φ(c + width/σ) − Φ(−c) = 1 − α, by bisection between z_{1−α} and z_{1−α/2}.
    static func imbensManskiCritical(width: Double, sigma: Double, alpha: Double) throws -> Double {
        let normal = Normal.standard
        let zOne = try normal.quantile(1 - alpha), zTwo = try normal.quantile(1 - alpha / 2)
        guard sigma > 0 else { return zTwo }
        let shift = width / sigma
        var a = zOne, b = zTwo
        for _ in 0..<200 {
            let mid = (a + b) / 2
            let coverage = try normal.cdf(mid + shift) - normal.cdf(-mid)
            if coverage < 1 - alpha { a = mid } else { b = mid }
        }
        return (a + b) / 2
    }
}
