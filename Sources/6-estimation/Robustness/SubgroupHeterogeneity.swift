import Estimation
import NumericCore

/// Intention-to-treat effects within the levels of a pre-specified subgroup, and the test that they are
/// equal.
///
/// **Per level g.** The ITT is the treatment coefficient of the regression, on the units of level g
/// only,
///
///     Yᵢ = α_g + τ_g Zᵢ + X̃ᵢ′β_g + eᵢ,   HC2 variance, t on n_g − 2 − m df
///
/// (m covariates; without covariates τ̂_g is the difference in means within the level). R:
/// `lm_robust(Y ~ Z + X, data = subset(d, G == g))`; Stata: `regress Y Z X if G == g, vce(hc2)`.
///
/// **Equality test.** The fully interacted regression on all units,
///
///     Yᵢ = Σ_g 1[Gᵢ = g] (α_g + τ_g Zᵢ + Xᵢ′β_g) + eᵢ,   HC2,
///
/// has the same coefficients, residuals and hat values as the separate regressions (its design is
/// block diagonal by level), so each τ̂_g and its HC2 variance are exactly those of level g's own
/// regression. The Wald test of the L − 1 restrictions τ_g − τ_{g₁} = 0 (g₁ the first level) is
/// referred to F(L − 1, N − L(2 + m)). Without covariates this is the joint test of the treatment ×
/// subgroup-indicator interactions in `Y ~ Z * factor(G)` (same column space: the same F), and with two
/// levels F is the square of that single interaction's t statistic. Covariates are interacted with the
/// subgroup as well, so a covariate's slope may differ between levels and does not borrow strength
/// across them: the test compares exactly the per-level ITTs reported. R: `lm_robust(Y ~ 0 + G +
/// G:Z + G:X)` and `linearHypothesis(fit, …, test = "F")`; Stata: `regress Y ibn.G ibn.G#(i.Z c.X),
/// noconstant vce(hc2)` and `test 1.G#1.Z = 2.G#1.Z`.
///
/// **Clustered.** With `clusters` every fit (per level and pooled) has a cluster-robust variance
/// (`clusterVariance`, CR2 by default: estimatr's default with clusters, Bell–McCaffrey df for each
/// level's t), and the equality test is referred to F(L − 1, G − 1), G the clusters of the pooled fit
/// (`WaldTest`). R: `lm_robust(Y ~ Z + X, clusters = C, se_type = "CR2", subset = G == g)` and
/// `lm_robust(Y ~ 0 + G + G:Z + G:X, clusters = C, se_type = "CR2")` with the Wald statistic on its
/// `vcov()`.
///
/// Rows with a missing outcome, subgroup or covariate are left out (listwise, counted in
/// `droppedRows`). Levels are ordered numerically when every label is a number, otherwise as text.
/// Pre-specification matters: a subgroup chosen after seeing the data makes the test's p-value
/// meaningless (docs/inference.md).
public struct SubgroupHeterogeneity: Sendable, Equatable {
    public struct Level: Sendable, Equatable {
        public var label: String
        public var units: Int
        public var treatedUnits: Int
        public var controlUnits: Int
        /// τ̂_g with its HC2 inference from the level's own regression.
        public var effect: Coefficient
    }

    public var levels: [Level]
    /// The test that every level has the same ITT.
    public var equalityTest: WaldTest
    public var units: Int
    public var droppedRows: Int
    /// The variance of every fit: HC2, or the cluster-robust one with clusters.
    public var variance: VarianceType
    /// The clusters of the rows used (nil when unclustered).
    public var clusterCount: Int?

    /// - Parameters:
    ///   - outcome: one value per unit, nil when missing.
    ///   - treated: true for the treated arm.
    ///   - subgroup: the level of each unit, nil when missing.
    ///   - covariates: baseline covariates (adjusted for within each level).
    ///   - clusters: the cluster of each unit, for cluster-robust variances (nil: HC2).
    ///   - clusterVariance: CR0, CR1 or CR2 (the default) with clusters.
    ///   - names: column names for messages.
    public init(outcome: [Double?], treated: [Bool], subgroup: [String?], covariates: [Covariate] = [],
                outcomeName: String = "outcome", treatmentName: String = "treatment",
                subgroupName: String = "subgroup", level: Double = 0.95,
                clusters: [String]? = nil, clusterVariance: VarianceType = .cr2) throws {
        try checkLevel(level)
        let n = outcome.count
        try checkLengths(n, [(treatmentName, treated.count), (subgroupName, subgroup.count)]
                         + covariates.map { ($0.name, $0.values.count) } + (clusters.map { [("clusters", $0.count)] } ?? []))
        let variance = try robustVariance(clusters: clusters, clusterVariance: clusterVariance)
        self.variance = variance
        let rows = (0..<n).filter { i in
            outcome[i] != nil && subgroup[i] != nil && covariates.allSatisfy { $0.values[i] != nil }
        }
        units = rows.count
        droppedRows = n - rows.count
        clusterCount = clusters.map { c in Set(rows.map { c[$0] }).count }
        let labels = Self.orderedLevels(rows.map { subgroup[$0]! })
        guard labels.count >= 2 else {
            throw RobustnessError.invalidInput("subgroup column \"\(subgroupName)\" has \(labels.count == 1 ? "a single level (\"\(labels[0])\")" : "no values") among the rows with an outcome; a heterogeneity test needs at least two levels")
        }
        let m = covariates.count
        var perLevel: [Level] = []
        var pooled: [(name: String, values: [Double])] = []
        let groupOf = rows.map { subgroup[$0]! }
        for g in labels {
            let mine = rows.filter { subgroup[$0]! == g }
            let t = mine.filter { treated[$0] }.count
            guard t > 0, t < mine.count else {
                throw RobustnessError.invalidInput("level \"\(g)\" of subgroup column \"\(subgroupName)\" has \(t == 0 ? "no treated" : "no control") units with an outcome; its effect cannot be estimated. Merge it with another level or leave it out.")
            }
            guard mine.count > 2 + m else {
                throw RobustnessError.invalidInput("level \"\(g)\" of subgroup column \"\(subgroupName)\" has \(mine.count) units with an outcome, too few for \(2 + m) coefficients with residual degrees of freedom; merge it with another level or use fewer covariates")
            }
            let z = mine.map { treated[$0] ? 1.0 : 0.0 }
            var regressors: [(name: String, values: [Double])] = [(treatmentName, z)]
            for c in covariates { regressors.append((c.name, mine.map { c.values[$0]! })) }
            let fit = try LinearModel.fit(y: mine.map { outcome[$0]! }, regressors: regressors, variance: variance,
                                          clusters: clusters.map { c in mine.map { c[$0] } },
                                          outcome: "\(outcomeName) (\(subgroupName) = \(g))")
            perLevel.append(Level(label: g, units: mine.count, treatedUnits: t, controlUnits: mine.count - t,
                                  effect: try Coefficient(fit, index: 1, term: "\(treatmentName) | \(subgroupName)=\(g)", level: level)))
            // Pooled, fully interacted columns for this level (the level intercepts are absorbed).
            let indicator = groupOf.map { $0 == g ? 1.0 : 0.0 }
            pooled.append(("\(subgroupName)=\(g):\(treatmentName)",
                           zip(indicator, rows).map { $0 * (treated[$1] ? 1 : 0) }))
            for c in covariates {
                pooled.append(("\(subgroupName)=\(g):\(c.name)", zip(indicator, rows).map { $0 * c.values[$1]! }))
            }
        }
        levels = perLevel
        let fit = try LinearModel.fit(y: rows.map { outcome[$0]! }, regressors: pooled, fixedEffects: groupOf,
                                      fixedEffectsName: subgroupName, variance: variance,
                                      clusters: clusters.map { c in rows.map { c[$0] } }, outcome: outcomeName)
        let effectIndex = labels.indices.map { $0 * (1 + m) }
        var R: [[Double]] = []
        var text: [String] = []
        for g in 1..<labels.count {
            var row = [Double](repeating: 0, count: fit.coefficients.count)
            row[effectIndex[g]] = 1
            row[effectIndex[0]] = -1
            R.append(row)
            text.append("effect[\(labels[g])] - effect[\(labels[0])] = 0")
        }
        equalityTest = try WaldTest(fit: fit, R: R, restrictions: text)
    }

    /// Distinct labels, numerically ordered when all are numbers, else in text order.
    static func orderedLevels(_ labels: [String]) -> [String] {
        let distinct = Array(Set(labels))
        let numbers = distinct.compactMap { Double($0) }
        if numbers.count == distinct.count {
            return distinct.sorted { Double($0)! < Double($1)! }
        }
        return distinct.sorted()
    }
}
