import Foundation
import NumericCore

/// The exact binomial test of `successes` out of `trials` against the probability `p`.
///
/// Two-sided p-value as in R's `binom.test(x, n, p)$p.value` (and Stata's `bitesti`, two-sided line):
/// the sum of P(K = k) over every k with P(K = k) ≤ P(K = x)·(1 + 10⁻⁷), K ~ Binomial(n, p), capped at 1.
/// The relative tolerance 10⁻⁷ is R's, so that outcomes as likely as the observed one (equal up to
/// rounding) count as "at least as extreme". Probabilities are computed on the log scale,
/// log C(n, k) + k log p + (n − k) log(1 − p), with `SpecialFunctions.logGamma`.
public enum ExactBinomial {
    /// log P(K = k) for K ~ Binomial(n, p), 0 < p < 1.
    public static func logProbability(_ k: Int, trials n: Int, p: Double) -> Double {
        let lc = (try? SpecialFunctions.logGamma(Double(n + 1))) ?? 0
        let la = (try? SpecialFunctions.logGamma(Double(k + 1))) ?? 0
        let lb = (try? SpecialFunctions.logGamma(Double(n - k + 1))) ?? 0
        return lc - la - lb + Double(k) * log(p) + Double(n - k) * log1p(-p)
    }

    /// The two-sided p-value (see the type's documentation). `p` must lie in (0, 1) and
    /// 0 ≤ successes ≤ trials; `trials` = 0 gives 1.
    public static func twoSidedPValue(successes x: Int, trials n: Int, p: Double) -> Double {
        precondition(p > 0 && p < 1 && x >= 0 && x <= n, "binomial test needs 0 < p < 1 and 0 ≤ x ≤ n")
        if n == 0 { return 1 }
        let observed = logProbability(x, trials: n, p: p)
        let bound = observed + log1p(1e-7)
        var total = 0.0
        for k in 0...n {
            let l = logProbability(k, trials: n, p: p)
            if l <= bound { total += exp(l) }
        }
        return min(1, total)
    }
}
