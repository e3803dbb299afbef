import NumericCore

/// Analytic power, minimum detectable effect and sample size of a two-arm trial analysed with a
/// two-sided t-test of the difference in means, with equal arms.
///
/// Every design reduces to a standard error and degrees of freedom for n units per arm:
///
/// | design | SE of the difference | df |
/// |---|---|---|
/// | two-arm | σ √(2/n) | 2n − 2 (R `power.t.test`) |
/// | blocked, J blocks, blocks explain R² of the variance | σ √(1 − R²) √(2/n) | 2n − 2J (estimatr's blocked difference in means, N − 2J) |
/// | clustered, clusters of m units, intra-cluster correlation ρ, K = n/m clusters per arm | σ √(DEFF · 2/n), DEFF = 1 + (m − 1)ρ | 2K − 2 (clusters minus two) |
///
/// Power = P(T′ > t_{1−α/2, df}) with T′ noncentral t(df, δ/SE), counting only the tail in the
/// direction of the effect — R's `power.t.test` default (`strict = FALSE`); with `strict = true` the
/// far tail P(T′ < −t_{1−α/2, df}) is added (R `strict = TRUE`, `pwr::pwr.t.test`).
public enum PowerAnalysis {
    public enum Design: Sendable, Equatable {
        case twoArm
        /// `blocks` blocks of equal size, each split equally; `rSquared` is the share of the outcome's
        /// variance explained by the blocks (0 ≤ R² < 1).
        case blocked(blocks: Int, rSquared: Double)
        /// Clusters of `clusterSize` units; `icc` is the intra-cluster correlation (0 ≤ ρ < 1).
        case clustered(clusterSize: Double, icc: Double)
    }

    /// The inputs shared by every calculation: outcome SD σ, significance level α (two-sided).
    public struct Setting: Sendable, Equatable {
        public var sd: Double
        public var alpha: Double
        public var design: Design
        public var strict: Bool

        public init(sd: Double = 1, alpha: Double = 0.05, design: Design = .twoArm, strict: Bool = false) {
            self.sd = sd
            self.alpha = alpha
            self.design = design
            self.strict = strict
        }

        func validate() throws {
            guard sd > 0, sd.isFinite else { throw InferenceError.invalidArgument("the standard deviation must be positive, got \(sd)") }
            guard alpha > 0, alpha < 1 else {
                throw InferenceError.invalidArgument("the significance level α must lie strictly between 0 and 1, got \(alpha)")
            }
            switch design {
            case .twoArm: break
            case let .blocked(blocks, rSquared):
                guard blocks >= 1 else { throw InferenceError.invalidArgument("the number of blocks must be at least 1, got \(blocks)") }
                guard rSquared >= 0, rSquared < 1 else {
                    throw InferenceError.invalidArgument("the share of variance explained by the blocks must be in [0, 1), got \(rSquared)")
                }
            case let .clustered(size, icc):
                guard size >= 1, size.isFinite else { throw InferenceError.invalidArgument("the cluster size must be at least 1, got \(size)") }
                guard icc >= 0, icc < 1 else {
                    throw InferenceError.invalidArgument("the intra-cluster correlation must be in [0, 1), got \(icc)")
                }
            }
        }

        /// 1 + (m − 1)ρ for clustered designs, 1 otherwise.
        public var designEffect: Double {
            if case let .clustered(m, icc) = design { return 1 + (m - 1) * icc }
            return 1
        }

        /// (SE, df) for n units per arm; throws when df ≤ 0.
        public func standardErrorAndDF(perArm n: Double) throws -> (se: Double, df: Double) {
            guard n > 0, n.isFinite else { throw InferenceError.invalidArgument("the number of units per arm must be positive, got \(n)") }
            switch design {
            case .twoArm:
                return try checked(sd * (2 / n).squareRoot(), 2 * n - 2, "two units per arm")
            case let .blocked(blocks, r2):
                return try checked(sd * (1 - r2).squareRoot() * (2 / n).squareRoot(), 2 * n - 2 * Double(blocks),
                                   "more units per arm than blocks (\(blocks))")
            case let .clustered(m, _):
                return try checked(sd * (designEffect * 2 / n).squareRoot(), 2 * n / m - 2,
                                   "more than one cluster per arm")
            }
        }

        private func checked(_ se: Double, _ df: Double, _ need: String) throws -> (Double, Double) {
            guard df > 0 else {
                throw InferenceError.invalidArgument("no degrees of freedom are left for the test: the design needs \(need)")
            }
            return (se, df)
        }
    }

    /// Power to detect `effect` (in outcome units) with n units per arm.
    public static func power(effect: Double, perArm n: Double, setting: Setting) throws -> Double {
        try setting.validate()
        guard effect.isFinite else { throw InferenceError.invalidArgument("the effect must be finite, got \(effect)") }
        let (se, df) = try setting.standardErrorAndDF(perArm: n)
        let critical = try StudentT(degreesOfFreedom: df).quantile(1 - setting.alpha / 2)
        let t = try NoncentralT(degreesOfFreedom: df, noncentrality: abs(effect) / se)
        var p = try t.upperTail(critical)
        if setting.strict { p += try t.cdf(-critical) }
        return p
    }

    /// The smallest effect detected with the given power (bisection on the effect, relative tolerance
    /// 1e-12). R: `power.t.test(n =, sd =, power =)$delta`.
    public static func minimumDetectableEffect(power target: Double, perArm n: Double, setting: Setting) throws -> Double {
        try setting.validate()
        try checkPower(target, setting)
        let (se, _) = try setting.standardErrorAndDF(perArm: n)
        var hi = se
        while try power(effect: hi, perArm: n, setting: setting) < target { hi *= 2 }
        return try bisect(lo: 0, hi: hi) { try power(effect: $0, perArm: n, setting: setting) - target }
    }

    /// The number of units per arm (a real number; round up for a design) that gives the target power.
    /// For clustered designs it is a multiple of the cluster size only after rounding the clusters
    /// (`perArm / clusterSize`) up. R: `power.t.test(delta =, sd =, power =)$n`.
    public static func sampleSize(effect: Double, power target: Double, setting: Setting) throws -> Double {
        try setting.validate()
        try checkPower(target, setting)
        guard effect != 0, effect.isFinite else { throw InferenceError.invalidArgument("the effect must be non-zero and finite, got \(effect)") }
        // The search starts at the smallest n with one degree of freedom.
        let lo: Double
        switch setting.design {
        case .twoArm: lo = 1.5
        case let .blocked(blocks, _): lo = Double(blocks) + 0.5
        case let .clustered(m, _): lo = 1.5 * m
        }
        var hi = max(2 * lo, 4)
        while try power(effect: effect, perArm: hi, setting: setting) < target {
            hi *= 2
            if hi > 1e12 {
                throw InferenceError.invalidArgument(
                    "the target power \(target) cannot be reached: with intra-cluster correlation the power is capped as clusters grow; "
                    + "add clusters instead (use smaller clusters) or lower the target")
            }
        }
        if try power(effect: effect, perArm: lo, setting: setting) >= target { return lo }
        return try bisect(lo: lo, hi: hi) { try power(effect: effect, perArm: $0, setting: setting) - target }
    }

    static func checkPower(_ target: Double, _ setting: Setting) throws {
        let floor = setting.strict ? setting.alpha : setting.alpha / 2
        guard target > floor, target < 1 else {
            throw InferenceError.invalidArgument(
                "the target power must lie between \(floor) (the power at no effect) and 1, got \(target)")
        }
    }

    /// Bisection for an increasing function with f(lo) < 0 ≤ f(hi), to relative tolerance 1e-12.
    static func bisect(lo: Double, hi: Double, _ f: (Double) throws -> Double) throws -> Double {
        var a = lo, b = hi
        for _ in 0..<200 {
            let mid = (a + b) / 2
            if try f(mid) < 0 { a = mid } else { b = mid }
            if b - a <= 1e-12 * max(1, abs(b)) { break }
        }
        return (a + b) / 2
    }
}
