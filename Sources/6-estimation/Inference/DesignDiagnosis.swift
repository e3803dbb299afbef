import NumericCore

/// Diagnosis of a two-arm design by simulation (DeclareDesign's `diagnose_design` for the simplest
/// design): simulate many trials, estimate each with the difference in means and Welch's standard error
/// (estimatr's `difference_in_means` without blocks), and summarise how the estimator behaves.
///
/// Each simulated trial draws control outcomes Y₀ ~ N(0, σ₀²) for `perArm` control units and treated
/// outcomes Y₁ ~ N(τ, σ₁²) for `perArm` treated units; the test is two-sided at level α with Welch's df,
/// and the interval is estimate ± t_{1−α/2, df} · SE.
public enum DesignDiagnosis {
    public struct Result: Sendable, Equatable {
        public let simulations: Int
        public let meanEstimate: Double
        /// mean(estimate) − τ.
        public let bias: Double
        /// √ mean((estimate − τ)²).
        public let rmse: Double
        /// Share of trials with p < α.
        public let power: Double
        /// Share of intervals that contain τ.
        public let coverage: Double
        /// Mean of the estimated standard errors.
        public let meanStandardError: Double
        /// SD of the estimates across trials (the true sampling SD, to compare with the mean SE).
        public let sdEstimate: Double
        /// Monte Carlo standard error of `power`: √(power (1 − power) / simulations).
        public let powerStandardError: Double
        public let seed: UInt64
        public let generator: String
    }

    public static func diagnose(effect: Double, perArm n: Int, sdControl: Double = 1, sdTreated: Double? = nil,
                                alpha: Double = 0.05, simulations: Int, seed: UInt64) throws -> Result {
        let sdT = sdTreated ?? sdControl
        guard n >= 2 else { throw InferenceError.invalidArgument("a simulated trial needs at least 2 units per arm, got \(n)") }
        guard simulations >= 1 else { throw InferenceError.invalidArgument("the number of simulations must be at least 1, got \(simulations)") }
        guard sdControl > 0, sdT > 0 else { throw InferenceError.invalidArgument("standard deviations must be positive") }
        guard alpha > 0, alpha < 1 else { throw InferenceError.invalidArgument("α must lie strictly between 0 and 1, got \(alpha)") }
        let generator = RandomGenerator(seed: seed)
        var estimates: [Double] = [], ses: [Double] = []
        var rejections = 0, covered = 0
        estimates.reserveCapacity(simulations)
        for _ in 0..<simulations {
            var s0 = 0.0, ss0 = 0.0, s1 = 0.0, ss1 = 0.0
            for _ in 0..<n { let y = generator.normal(mean: 0, sd: sdControl); s0 += y; ss0 += y * y }
            for _ in 0..<n { let y = generator.normal(mean: effect, sd: sdT); s1 += y; ss1 += y * y }
            let m = Double(n)
            let mean0 = s0 / m, mean1 = s1 / m
            let v0 = (ss0 - m * mean0 * mean0) / (m - 1), v1 = (ss1 - m * mean1 * mean1) / (m - 1)
            let a = v1 / m, b = v0 / m
            let se = (a + b).squareRoot()
            let df = (a + b) * (a + b) / (a * a / (m - 1) + b * b / (m - 1))
            let estimate = mean1 - mean0
            let t = try StudentT(degreesOfFreedom: df)
            let p = try t.twoSidedTail(estimate / se)
            let critical = try t.quantile(1 - alpha / 2)
            if p < alpha { rejections += 1 }
            if abs(estimate - effect) <= critical * se { covered += 1 }
            estimates.append(estimate)
            ses.append(se)
        }
        let s = Double(simulations)
        let mean = estimates.reduce(0, +) / s
        let mse = estimates.reduce(0) { $0 + ($1 - effect) * ($1 - effect) } / s
        let sd = simulations > 1 ? (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (s - 1)).squareRoot() : 0
        let power = Double(rejections) / s
        return Result(simulations: simulations, meanEstimate: mean, bias: mean - effect, rmse: mse.squareRoot(),
                      power: power, coverage: Double(covered) / s, meanStandardError: ses.reduce(0, +) / s,
                      sdEstimate: sd, powerStandardError: (power * (1 - power) / s).squareRoot(),
                      seed: seed, generator: generator.name)
    }
}
