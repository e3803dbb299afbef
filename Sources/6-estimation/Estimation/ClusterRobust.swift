import NumericCore

/// The CR2 cluster-robust variance (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018) and its
/// Satterthwaite degrees of freedom, computed cluster by cluster: no N × N matrix is ever formed.
///
/// With X the (weight-transformed, fixed-effect-absorbed) regressors, M = (X′X)⁻¹, e the residuals and
/// H the hat matrix of the full regression (X and, when absorbed, the stratum dummies), for each
/// cluster g:
///
///     A_g = (I − H_gg)^(−1/2)   (symmetric; eigenvalues ≤ 1e-12 get 0: a generalised inverse root)
///     V   = M ( Σ_g X_g′ A_g e_g e_g′ A_g X_g ) M
///
/// with H_gg = X_g M X_g′ + P_gg, P_gg[i, j] = √wᵢ √wⱼ / W_s when i and j share stratum s (0 otherwise).
///
/// Degrees of freedom for coefficient j (the Bell–McCaffrey / Pustejovsky–Tipton approximation under a
/// working model of independent, homoskedastic errors): with u_g = A_g X_g M c (c the j-th unit
/// vector) and G the S × S matrix
///
///     G[g, h] = u_g′ (I − H)_gh u_h = δ_gh u_g′u_g − (X_g′u_g)′ M (X_h′u_h) − Σ_s c_gs c_hs / W_s,
///     c_gs = Σ_{i∈g, s(i)=s} √wᵢ u_gi,
///
/// df_j = (tr G)² / Σ_gh G[g, h]². This is what estimatr computes (R: `lm_robust(se_type = "CR2")`,
/// clubSandwich `coef_test(vcov = "CR2", test = "Satterthwaite")`). Cost: Σ_g n_g³ for the
/// eigen-decompositions plus K · S² for the degrees of freedom.
enum ClusterRobust {
    struct Result {
        var covariance: Matrix
        var df: [Double]
    }

    static func cr2(design X: Matrix, residuals e: [Double], bread M: Matrix, clusters: [[Int]],
                    fixedEffects: (codes: [Int], sw: [Double], totals: [Double])?) throws -> Result {
        let k = X.columns
        let s = clusters.count
        var meat = Matrix(rows: k, columns: k)
        // A_g X_g M for every cluster (n_g × K), kept for the degrees of freedom.
        var adjusted: [Matrix] = []
        adjusted.reserveCapacity(s)
        for rows in clusters {
            let ng = rows.count
            let Xg = X.selectingRows(rows)
            let XgM = try Xg.multiplied(by: M)
            var B = try XgM.multiplied(by: Xg.transposed)
            for a in 0..<ng {
                for b in 0..<ng {
                    var h = B[a, b]
                    if let fe = fixedEffects, fe.codes[rows[a]] == fe.codes[rows[b]] {
                        h += fe.sw[rows[a]] * fe.sw[rows[b]] / fe.totals[fe.codes[rows[a]]]
                    }
                    B[a, b] = (a == b ? 1 : 0) - h
                }
            }
            let eigen = try SymmetricEigen(B)
            let A = try eigen.reconstructed { v in v > 1e-12 ? 1 / v.squareRoot() : 0 }
            let AX = try A.multiplied(by: Xg)
            // q = X_g′ A_g e_g
            var q = [Double](repeating: 0, count: k)
            for a in 0..<ng {
                let ea = e[rows[a]]
                for j in 0..<k { q[j] += AX[a, j] * ea }
            }
            for a in 0..<k { for b in 0..<k { meat[a, b] += q[a] * q[b] } }
            adjusted.append(try AX.multiplied(by: M))
        }
        let V = try Regression.sandwich(M, meat: meat)

        var df = [Double](repeating: .nan, count: k)
        for j in 0..<k {
            // u_g = (A_g X_g M)[:, j]; b_g = X_g′ u_g (K × S); c_gs by stratum.
            var G = Matrix(rows: s, columns: s)
            var bColumns = Matrix(rows: k, columns: s)
            var byStratum: [Int: [(cluster: Int, value: Double)]] = [:]
            for (g, rows) in clusters.enumerated() {
                var uu = 0.0
                var cg: [Int: Double] = [:]
                for (a, i) in rows.enumerated() {
                    let u = adjusted[g][a, j]
                    uu += u * u
                    for c in 0..<k { bColumns[c, g] += X[i, c] * u }
                    if let fe = fixedEffects { cg[fe.codes[i], default: 0] += fe.sw[i] * u }
                }
                G[g, g] = uu
                for (stratum, value) in cg { byStratum[stratum, default: []].append((g, value)) }
            }
            let MB = try M.multiplied(by: bColumns)
            let BMB = try bColumns.transposed.multiplied(by: MB)
            for g in 0..<s { for h in 0..<s { G[g, h] -= BMB[g, h] } }
            if let fe = fixedEffects {
                for (stratum, entries) in byStratum {
                    let total = fe.totals[stratum]
                    for x in entries { for y in entries { G[x.cluster, y.cluster] -= x.value * y.value / total } }
                }
            }
            var trace = 0.0, squares = 0.0
            for g in 0..<s { trace += G[g, g] }
            for v in G.storage { squares += v * v }
            df[j] = trace * trace / squares
        }
        return Result(covariance: V, df: df)
    }
}
