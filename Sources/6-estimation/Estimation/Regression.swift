import NumericCore

/// A least-squares problem on plain values: the numerical core shared by `ols`, `lin`, `iv` and the
/// clustered and weighted branches of the difference in means. Nothing here knows about columns of a
/// file; `Estimation.estimate` builds it after validation.
struct RegressionProblem {
    /// Outcome, one value per observation.
    var y: [Double]
    /// Regressors (N × K), including the intercept column when there are no fixed effects.
    var X: Matrix
    /// One name per column of `X`, used for terms and for naming a collinear column.
    var names: [String]
    /// Observation weights (positive), or nil.
    var weights: [Double]?
    /// Absorbed fixed effects: a level code 0..<fixedEffectLevels per observation, or nil.
    var fixedEffects: [Int]?
    var fixedEffectLevels: Int = 0
    /// The name of the fixed-effect column, for messages.
    var fixedEffectName: String?
    /// Cluster codes 0..<clusterCount per observation, or nil.
    var clusters: [Int]?
    var clusterCount: Int = 0
    /// For two-stage least squares: the full first-stage design Z (N × L, exogenous regressors and
    /// excluded instruments, the intercept when there are no fixed effects) and its column names.
    var instruments: Matrix?
    var instrumentNames: [String] = []
    var variance: VarianceType
    var outcome: String
}

/// Coefficients, their variance and degrees of freedom.
struct RegressionFit {
    var coefficients: [Double]
    var covariance: Matrix
    var df: [Double]
    var nObs: Int
    /// N − K, K counting absorbed fixed effects.
    var residualDF: Int
}

enum Regression {
    /// Fits `y` on `X` by QR least squares (NumericCore `LeastSquares.fit`) and estimates the variance.
    ///
    /// Weights w enter as in R's `lm(weights = w)` and estimatr: every row is multiplied by √(w/w̄), so
    /// the fit minimises Σ wᵢ eᵢ² and all variance formulas below apply to the transformed rows
    /// x̃ᵢ = √(wᵢ/w̄) xᵢ, ẽᵢ = √(wᵢ/w̄) eᵢ (the hat values of weighted HC2 are those of the transformed
    /// design, as in estimatr).
    ///
    /// Fixed effects are absorbed by the within transformation (Frisch–Waugh–Lovell): x̃ᵢ −
    /// √wᵢ Σ_{j∈s(i)} √wⱼ x̃ⱼ / W_s, with W_s the weight total of stratum s, for y, X and Z alike. The
    /// L strata count in K for the degrees of freedom and in the HC1/CR1 factors, and hat values add
    /// the stratum's share wᵢ/W_s, so HC2, HC3 and CR2 are those of the regression with the L dummies
    /// (estimatr does the same).
    ///
    /// Two-stage least squares regresses every column of X on Z, then y on the fitted X̂; the variance
    /// uses X̂ as regressors and residuals y − Xβ̂ computed with the original X (estimatr `iv_robust`,
    /// Stata `ivregress 2sls`).
    static func fit(_ p: RegressionProblem) throws -> RegressionFit {
        let n = p.y.count
        let k = p.X.columns
        var sw = [Double](repeating: 1, count: n)
        if let w = p.weights {
            let mean = w.reduce(0, +) / Double(n)
            sw = w.map { ($0 / mean).squareRoot() }
        }
        var X = scaleRows(p.X, by: sw)
        var y = zip(p.y, sw).map { $0 * $1 }
        var Z = p.instruments.map { scaleRows($0, by: sw) }
        var stratumWeight: [Double] = []
        if let fe = p.fixedEffects {
            stratumWeight = [Double](repeating: 0, count: p.fixedEffectLevels)
            for i in 0..<n { stratumWeight[fe[i]] += sw[i] * sw[i] }
            let before = X
            demean(&X, codes: fe, sw: sw, totals: stratumWeight)
            try checkNotAbsorbed(before: before, after: X, names: p.names, outcome: p.outcome, fixedEffects: p.fixedEffectName ?? "")
            var yMatrix = try Matrix(columns: [y])
            demean(&yMatrix, codes: fe, sw: sw, totals: stratumWeight)
            y = yMatrix.storage
            if var z = Z {
                let zBefore = z
                demean(&z, codes: fe, sw: sw, totals: stratumWeight)
                try checkNotAbsorbed(before: zBefore, after: z, names: p.instrumentNames, outcome: p.outcome, fixedEffects: p.fixedEffectName ?? "")
                Z = z
            }
        }

        // Regressors of the variance ("bread" and "meat"): X̂ for 2SLS, X otherwise.
        let design: Matrix
        if let Z {
            let first = try LeastSquares.fit(Z, [Double](repeating: 0, count: n))
            if let d = first.droppedColumns.first {
                throw EstimationError.singularDesign(outcome: p.outcome, column: p.instrumentNames[d],
                                                     others: first.keptColumns.filter { $0 < d }.map { p.instrumentNames[$0] })
            }
            var fitted = Matrix(rows: n, columns: k)
            for j in 0..<k {
                let fj = try LeastSquares.fit(Z, X.column(j))
                for i in 0..<n { fitted[i, j] = fj.fitted[i] }
            }
            design = fitted
        } else {
            design = X
        }
        let ls = try LeastSquares.fit(design, y)
        if let d = ls.droppedColumns.first {
            throw EstimationError.singularDesign(outcome: p.outcome, column: p.names[d],
                                                 others: ls.keptColumns.filter { $0 < d }.map { p.names[$0] })
        }
        let beta = ls.coefficients
        let M = ls.unscaledCovariance
        let residuals: [Double]
        if p.instruments != nil {
            let xb = try X.multiplied(by: beta)
            residuals = zip(y, xb).map { $0 - $1 }
        } else {
            residuals = ls.residuals
        }
        let totalK = k + p.fixedEffectLevels
        let residualDF = n - totalK
        guard residualDF > 0 else {
            throw EstimationError.tooFewObservations(
                outcome: p.outcome,
                detail: "\(n) complete observations cannot estimate \(totalK) coefficients (including absorbed fixed effects) with residual degrees of freedom left; use fewer covariates or collect more data")
        }
        let hatShift: [Double] = p.fixedEffects.map { fe in (0..<n).map { sw[$0] * sw[$0] / stratumWeight[fe[$0]] } }
            ?? [Double](repeating: 0, count: n)

        var V: Matrix
        var df = [Double](repeating: Double(residualDF), count: k)
        switch p.variance {
        case .classical:
            let s2 = residuals.reduce(0) { $0 + $1 * $1 } / Double(residualDF)
            V = M
            for i in 0..<V.storage.count { V.storage[i] *= s2 }
        case .hc0, .hc1, .hc2, .hc3:
            var omega = residuals.map { $0 * $0 }
            if p.variance == .hc2 || p.variance == .hc3 {
                for i in 0..<n {
                    let h = quadraticForm(design, row: i, M) + hatShift[i]
                    let v = p.variance == .hc2 ? omega[i] / (1 - h) : omega[i] / ((1 - h) * (1 - h))
                    // A perfectly fitted observation (h = 1, e = 0) contributes nothing, as in estimatr.
                    omega[i] = v.isFinite ? v : 0
                }
            }
            V = try sandwich(M, meat: weightedCrossProduct(design, omega))
            if p.variance == .hc1 { scale(&V, Double(n) / Double(residualDF)) }
        case .cr0, .cr1, .cr2:
            guard let clusters = p.clusters else {
                throw EstimationError.invalidSpecification(.clusteredVarianceWithoutClusters(p.variance))
            }
            let members = groupRows(clusters, count: p.clusterCount)
            let s = members.count
            guard s >= 2 else {
                throw EstimationError.tooFewObservations(outcome: p.outcome, detail: "clustered standard errors need at least two clusters, found \(s)")
            }
            if p.variance == .cr2 {
                let feInfo = p.fixedEffects.map { (codes: $0, sw: sw, totals: stratumWeight) }
                let cr2 = try ClusterRobust.cr2(design: design, residuals: residuals, bread: M,
                                                clusters: members, fixedEffects: feInfo)
                V = cr2.covariance
                df = cr2.df
            } else {
                var meat = Matrix(rows: k, columns: k)
                for rows in members {
                    var q = [Double](repeating: 0, count: k)
                    for i in rows { for j in 0..<k { q[j] += design[i, j] * residuals[i] } }
                    for a in 0..<k { for b in 0..<k { meat[a, b] += q[a] * q[b] } }
                }
                V = try sandwich(M, meat: meat)
                if p.variance == .cr1 {
                    scale(&V, Double(s) * Double(n - 1) / (Double(s - 1) * Double(residualDF)))
                }
                df = [Double](repeating: Double(s - 1), count: k)
            }
        }
        return RegressionFit(coefficients: beta, covariance: V, df: df, nObs: n, residualDF: residualDF)
    }

    // MARK: - Helpers on plain matrices

    static func scaleRows(_ A: Matrix, by s: [Double]) -> Matrix {
        var B = A
        for i in 0..<A.rows { for j in 0..<A.columns { B[i, j] *= s[i] } }
        return B
    }

    /// Within transformation of every column of the (weight-transformed) matrix.
    static func demean(_ A: inout Matrix, codes: [Int], sw: [Double], totals: [Double]) {
        for j in 0..<A.columns {
            var sums = [Double](repeating: 0, count: totals.count)
            for i in 0..<A.rows { sums[codes[i]] += sw[i] * A[i, j] }
            for i in 0..<A.rows { A[i, j] -= sw[i] * sums[codes[i]] / totals[codes[i]] }
        }
    }

    /// A column whose norm nearly vanishes after absorbing the fixed effects is constant within strata:
    /// it cannot be estimated next to them (same relative tolerance 1e-7 as `LeastSquares`).
    static func checkNotAbsorbed(before: Matrix, after: Matrix, names: [String], outcome: String, fixedEffects: String) throws {
        for j in 0..<before.columns {
            var b = 0.0, a = 0.0
            for i in 0..<before.rows { b += before[i, j] * before[i, j]; a += after[i, j] * after[i, j] }
            if a.squareRoot() <= LeastSquares.defaultTolerance * b.squareRoot() || b == 0 {
                throw EstimationError.absorbedByFixedEffects(outcome: outcome, column: names[j], fixedEffects: fixedEffects)
            }
        }
    }

    /// xᵢ′ M xᵢ for row i of A.
    static func quadraticForm(_ A: Matrix, row i: Int, _ M: Matrix) -> Double {
        let k = A.columns
        var total = 0.0
        for a in 0..<k {
            let xa = A[i, a]
            if xa == 0 { continue }
            var s = 0.0
            for b in 0..<k { s += M[a, b] * A[i, b] }
            total += xa * s
        }
        return total
    }

    /// Σᵢ ωᵢ xᵢ xᵢ′.
    static func weightedCrossProduct(_ A: Matrix, _ omega: [Double]) -> Matrix {
        let k = A.columns
        var out = Matrix(rows: k, columns: k)
        for i in 0..<A.rows {
            let w = omega[i]
            if w == 0 { continue }
            for a in 0..<k {
                let xa = A[i, a] * w
                for b in 0..<k { out[a, b] += xa * A[i, b] }
            }
        }
        return out
    }

    static func sandwich(_ bread: Matrix, meat: Matrix) throws -> Matrix {
        try bread.multiplied(by: meat).multiplied(by: bread)
    }

    static func scale(_ A: inout Matrix, _ factor: Double) {
        for i in 0..<A.storage.count { A.storage[i] *= factor }
    }

    /// Row indices of each group code, in code order (empty groups left out).
    static func groupRows(_ codes: [Int], count: Int) -> [[Int]] {
        var groups = [[Int]](repeating: [], count: count)
        for (i, c) in codes.enumerated() { groups[c].append(i) }
        return groups.filter { !$0.isEmpty }
    }
}
