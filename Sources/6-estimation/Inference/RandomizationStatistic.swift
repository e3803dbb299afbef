import NumericCore

/// The test statistic of randomization inference, computed for the observed assignment and for every
/// re-drawn assignment.
public enum RandomizationStatistic: String, Sendable, CaseIterable {
    /// Difference in means, mean(Y | Z = 1) − mean(Y | Z = 0), over units (ri2: `conduct_ri(Y ~ Z,
    /// IPW = FALSE)`).
    case differenceInMeans = "dim"
    /// Inverse-probability-weighted (Hájek) difference in means: treated units weighted 1/p_i, control
    /// units 1/(1 − p_i), with p_i = m_b / n_b the probability that unit i's block assigns it to
    /// treatment; the weights follow the re-drawn assignment. This is ri2's default
    /// (`conduct_ri(Y ~ Z, declaration, IPW = TRUE)`, a weighted `lm_robust`).
    case inverseProbabilityWeighted = "ipw_dim"
    /// The OLS coefficient on Z in Y ~ Z + covariates (+ block indicators when there are blocks, else an
    /// intercept). ri2: `conduct_ri(Y ~ Z + X1 + factor(block), IPW = FALSE)`.
    case olsCoefficient = "ols"
    /// The same coefficient divided by its HC2 standard error (estimatr's `lm_robust` default):
    /// a studentized statistic, more robust to unequal variances under the weak null.
    case studentized = "t"

    /// Whether the statistic uses covariates.
    public var usesCovariates: Bool { self == .olsCoefficient || self == .studentized }
}

/// Everything about the outcomes that does not change between assignments, computed once, so each
/// re-drawn assignment costs O(treated clusters × covariates) (O(N × covariates) for `t`).
///
/// Regression statistics use Frisch–Waugh–Lovell. Let D be the block indicators (the intercept when
/// there are no blocks), X̃ = M_D X the covariates demeaned within blocks, and Q̃ the thin-QR Q of X̃
/// (so M_W = M_D − Q̃ Q̃ᵀ projects out W = [D, X]). With Ỹ = M_W Y computed once,
///
///     β(Z) = Zᵀ Ỹ / (Zᵀ M_D Z − ‖Q̃ᵀ Z‖²),   Zᵀ M_D Z = Σ_b (n1_b − n1_b² / N_b),
///
/// where n1_b is the number of treated units of block b; Zᵀ Ỹ and Q̃ᵀ Z are sums over treated clusters
/// of per-cluster totals computed once. For `t`, z̃ = M_W Z, residuals e = Ỹ − β z̃, leverages
/// h_i = 1/N_b + ‖Q̃_i‖² + z̃_i² / z̃ᵀz̃, and Var_HC2(β) = Σ z̃_i² e_i² / (1 − h_i) / (z̃ᵀz̃)², which is the
/// Z element of the full-regression HC2 sandwich (FWL). Units with leverage 1 (a block of one unit)
/// contribute nothing (their residual is 0).
struct PreparedStatistic: Sendable {
    let statistic: RandomizationStatistic
    let outcomeCount: Int
    let unitCount: Int
    let clusterCount: Int
    let blockCount: Int
    let clusterSize: [Double]
    let clusterBlock: [Int32]
    let blockSize: [Double]
    let unitCluster: [Int32]
    let unitBlock: [Int32]
    /// Per outcome, per cluster: Σ Y (dim), Σ Ỹ (ols, t).
    let clusterSums: [[Double]]
    let totals: [Double]
    // IPW: weights' cluster sums; per outcome the weighted sums.
    let clusterW1: [Double]
    let clusterW0: [Double]
    let clusterW1Y: [[Double]]
    let clusterW0Y: [[Double]]
    let totalW0: Double
    let totalW0Y: [Double]
    // Regression.
    let covariateRank: Int
    /// Q̃, row-major N × p.
    let q: [Double]
    /// Per cluster Σ Q̃_i, row-major C × p.
    let clusterQ: [Double]
    /// Ỹ per outcome (unit level).
    let residualOutcomes: [[Double]]
    /// 1/N_b + ‖Q̃_i‖² per unit.
    let baseLeverage: [Double]
    /// Per-cluster rows packed so that a treated cluster is one contiguous read (the randomization loop
    /// is bound by memory access at large N): dim `[size, ΣY_1 … ΣY_K]`; ipw_dim
    /// `[Σw1, Σw0, Σw1Y_1 … K, Σw0Y_1 … K]`; ols and t `[size, ΣQ̃_1 … p, ΣỸ_1 … K]` (size only when
    /// the clusters of a block differ in size).
    let packed: AlignedRows
    let packedStride: Int
    /// ols and t: where ΣQ̃ starts in a packed row (0 when the size column is left out because the
    /// treated units per block are fixed, 1 otherwise).
    let regressionOffset: Int
    /// ols and t: every cluster of each block has the same size, so the treated units per block
    /// (n1_b) are the same under every assignment.
    let fixedTreatedUnits: Bool
    /// n1_b under the observed assignment (used when `fixedTreatedUnits`).
    let observedTreatedUnits: [Double]

    init(scheme: RandomizationScheme, outcomes: [[Double]], covariates: [[Double]], statistic: RandomizationStatistic) throws {
        let n = scheme.unitCount
        guard !outcomes.isEmpty else { throw InferenceError.invalidArgument("no outcome was given") }
        for (k, y) in outcomes.enumerated() {
            guard y.count == n else {
                throw InferenceError.lengthMismatch("outcome \(k + 1) has \(y.count) values but the design has \(n) units")
            }
            if let i = y.firstIndex(where: { !$0.isFinite }) {
                throw InferenceError.invalidArgument(
                    "outcome \(k + 1) is missing or not finite for unit \(i + 1); randomization inference needs every unit's outcome")
            }
        }
        if !statistic.usesCovariates && !covariates.isEmpty {
            throw InferenceError.invalidArgument(
                "the \(statistic.rawValue) statistic uses no covariates; choose the ols or t statistic to adjust for covariates")
        }
        for (k, x) in covariates.enumerated() {
            guard x.count == n else {
                throw InferenceError.lengthMismatch("covariate \(k + 1) has \(x.count) values but the design has \(n) units")
            }
            if let i = x.firstIndex(where: { !$0.isFinite }) {
                throw InferenceError.invalidArgument("covariate \(k + 1) is missing or not finite for unit \(i + 1)")
            }
        }
        self.statistic = statistic
        outcomeCount = outcomes.count
        unitCount = n
        clusterCount = scheme.clusterCount
        blockCount = scheme.blockCount
        clusterSize = scheme.clusterUnits.map { Double($0.count) }
        clusterBlock = scheme.blockOfCluster.map(Int32.init)
        var blockSize = [Double](repeating: 0, count: scheme.blockCount)
        for b in scheme.blockOfUnit { blockSize[b] += 1 }
        self.blockSize = blockSize
        var unitCluster = [Int32](repeating: 0, count: n)
        for (c, units) in scheme.clusterUnits.enumerated() { for i in units { unitCluster[i] = Int32(c) } }
        self.unitCluster = unitCluster
        unitBlock = scheme.blockOfUnit.map(Int32.init)

        func clusterTotals(_ v: [Double]) -> [Double] {
            var s = [Double](repeating: 0, count: scheme.clusterCount)
            for i in 0..<n { s[Int(unitCluster[i])] += v[i] }
            return s
        }

        // Defaults for the parts a statistic does not use.
        var clusterSums: [[Double]] = []
        var totals: [Double] = []
        var w1 = [Double](), w0 = [Double](), w1y = [[Double]](), w0y = [[Double]](), tw0y = [Double]()
        var tw0 = 0.0
        var rank = 0
        var q = [Double](), clusterQ = [Double](), residualOutcomes = [[Double]](), baseLeverage = [Double]()

        switch statistic {
        case .differenceInMeans:
            clusterSums = outcomes.map(clusterTotals)
            totals = outcomes.map { $0.reduce(0, +) }
        case .inverseProbabilityWeighted:
            let p = scheme.probabilities
            let unitW1 = p.map { $0 > 0 ? 1 / $0 : 0 }
            let unitW0 = p.map { $0 < 1 ? 1 / (1 - $0) : 0 }
            w1 = clusterTotals(unitW1)
            w0 = clusterTotals(unitW0)
            tw0 = unitW0.reduce(0, +)
            w1y = outcomes.map { y in clusterTotals((0..<n).map { unitW1[$0] * y[$0] }) }
            w0y = outcomes.map { y in clusterTotals((0..<n).map { unitW0[$0] * y[$0] }) }
            tw0y = outcomes.map { y in (0..<n).reduce(0.0) { $0 + unitW0[$1] * y[$1] } }
        case .olsCoefficient, .studentized:
            // Within-block demeaning (M_D).
            func demean(_ v: [Double]) -> [Double] {
                var sums = [Double](repeating: 0, count: scheme.blockCount)
                for i in 0..<n { sums[scheme.blockOfUnit[i]] += v[i] }
                return (0..<n).map { v[$0] - sums[scheme.blockOfUnit[$0]] / blockSize[scheme.blockOfUnit[$0]] }
            }
            let xTilde = covariates.map(demean)
            var qMatrix = Matrix(rows: n, columns: 0)
            if !xTilde.isEmpty {
                let decomposition = try Matrix(columns: xTilde).thinQR()
                qMatrix = decomposition.q
            }
            rank = qMatrix.columns
            q = qMatrix.storage
            let p = rank
            clusterQ = [Double](repeating: 0, count: scheme.clusterCount * p)
            baseLeverage = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let c = Int(unitCluster[i])
                var h = 1 / blockSize[scheme.blockOfUnit[i]]
                for k in 0..<p {
                    clusterQ[c * p + k] += q[i * p + k]
                    h += q[i * p + k] * q[i * p + k]
                }
                baseLeverage[i] = h
            }
            residualOutcomes = outcomes.map { y in
                var r = demean(y)
                if p > 0 {
                    var g = [Double](repeating: 0, count: p)
                    for i in 0..<n { for k in 0..<p { g[k] += q[i * p + k] * y[i] } }
                    for i in 0..<n { for k in 0..<p { r[i] -= q[i * p + k] * g[k] } }
                }
                return r
            }
            clusterSums = residualOutcomes.map(clusterTotals)
        }
        self.clusterSums = clusterSums
        self.totals = totals
        clusterW1 = w1
        clusterW0 = w0
        clusterW1Y = w1y
        clusterW0Y = w0y
        totalW0 = tw0
        totalW0Y = tw0y
        covariateRank = rank
        self.q = q
        self.clusterQ = clusterQ
        self.residualOutcomes = residualOutcomes
        self.baseLeverage = baseLeverage

        let c = scheme.clusterCount
        let sizes = scheme.clusterUnits.map { Double($0.count) }
        var rows: [[Double]] = []
        switch statistic {
        case .differenceInMeans:
            rows = (0..<c).map { j in [sizes[j]] + clusterSums.map { $0[j] } }
        case .inverseProbabilityWeighted:
            rows = (0..<c).map { j in [w1[j], w0[j]] + w1y.map { $0[j] } + w0y.map { $0[j] } }
        case .olsCoefficient, .studentized:
            break
        }
        var observedUnits = [Double](repeating: 0, count: scheme.blockCount)
        for i in 0..<n where scheme.observed[i] { observedUnits[scheme.blockOfUnit[i]] += 1 }
        observedTreatedUnits = observedUnits
        let fixed = scheme.blockClusters.allSatisfy { members in
            Set(members.map { scheme.clusterUnits[$0].count }).count <= 1
        }
        fixedTreatedUnits = fixed
        regressionOffset = fixed ? 0 : 1
        if statistic.usesCovariates {
            rows = (0..<c).map { j in
                (fixed ? [] : [sizes[j]]) + (0..<rank).map { clusterQ[j * rank + $0] } + clusterSums.map { $0[j] }
            }
        }
        // Rows padded to 4 or a multiple of 8 doubles and stored 64-byte aligned, so a row never
        // straddles more cache lines than it must.
        let width = rows.first?.count ?? 1
        let padded = width <= 4 ? 4 : (width + 7) / 8 * 8
        packedStride = padded
        packed = AlignedRows(rows.flatMap { $0 + [Double](repeating: 0, count: padded - $0.count) })
    }

    /// Working memory for one thread.
    struct Scratch {
        var g: [Double]
        var treatedUnitsPerBlock: [Double]
        var clusterTreated: [Bool]
        var zTilde: [Double]
        var sums: [Double]

        init(_ prepared: PreparedStatistic) {
            sums = [Double](repeating: 0, count: prepared.packedStride)
            g = [Double](repeating: 0, count: prepared.covariateRank)
            treatedUnitsPerBlock = [Double](repeating: 0, count: prepared.blockCount)
            clusterTreated = [Bool](repeating: false, count: prepared.statistic == .studentized ? prepared.clusterCount : 0)
            zTilde = [Double](repeating: 0, count: prepared.statistic == .studentized ? prepared.unitCount : 0)
        }
    }

    /// The statistic of every outcome for the assignment whose treated clusters are `treated[0..<count]`;
    /// writes outcome k's value to `out[k * stride]`.
    @inline(__always)
    func evaluate(treated: UnsafeBufferPointer<Int32>, count: Int, scratch: inout Scratch,
                  out: UnsafeMutablePointer<Double>, stride: Int) {
        // Σ over the treated clusters of their packed rows.
        let width = packedStride
        scratch.sums.withUnsafeMutableBufferPointer { acc in
            for j in 0..<width { acc[j] = 0 }
            let rows = packed.base
            if width == 4 {
                // The common case (a few covariates, one outcome): accumulators in registers.
                var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
                for t in 0..<count {
                    let row = rows + Int(treated[t]) &* 4
                    a0 += row[0]; a1 += row[1]; a2 += row[2]; a3 += row[3]
                }
                acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3
            } else {
                for t in 0..<count {
                    let base = Int(treated[t]) &* width
                    for j in 0..<width { acc[j] += rows[base + j] }
                }
            }
        }
        let acc = scratch.sums
        let k = outcomeCount
        switch statistic {
        case .differenceInMeans:
            let n1 = acc[0], n0 = Double(unitCount) - n1
            for o in 0..<k {
                let s1 = acc[1 + o]
                out[o * stride] = s1 / n1 - (totals[o] - s1) / n0
            }
        case .inverseProbabilityWeighted:
            let sw1 = acc[0], sw0 = totalW0 - acc[1]
            for o in 0..<k {
                out[o * stride] = acc[2 + o] / sw1 - (totalW0Y[o] - acc[2 + k + o]) / sw0
            }
        case .olsCoefficient, .studentized:
            let p = covariateRank
            if fixedTreatedUnits {
                for b in 0..<blockCount { scratch.treatedUnitsPerBlock[b] = observedTreatedUnits[b] }
            } else {
                for b in 0..<blockCount { scratch.treatedUnitsPerBlock[b] = 0 }
                for t in 0..<count {
                    let c = Int(treated[t])
                    scratch.treatedUnitsPerBlock[Int(clusterBlock[c])] += clusterSize[c]
                }
            }
            var zMz = 0.0
            for b in 0..<blockCount {
                let n1 = scratch.treatedUnitsPerBlock[b]
                zMz += n1 - n1 * n1 / blockSize[b]
            }
            let zDz = zMz
            let r = regressionOffset
            for j in 0..<p {
                scratch.g[j] = acc[r + j]
                zMz -= acc[r + j] * acc[r + j]
            }
            // Z (nearly) in the span of the blocks and covariates: the coefficient is not identified.
            if !(zMz > 1e-9 * zDz) { zMz = .nan }
            if statistic == .olsCoefficient {
                for o in 0..<k { out[o * stride] = acc[r + p + o] / zMz }
                return
            }
            // Studentized: build z̃ = M_W Z at the unit level.
            for t in 0..<count { scratch.clusterTreated[Int(treated[t])] = true }
            q.withUnsafeBufferPointer { qb in
                for i in 0..<unitCount {
                    let b = Int(unitBlock[i])
                    var z = (scratch.clusterTreated[Int(unitCluster[i])] ? 1.0 : 0.0)
                        - scratch.treatedUnitsPerBlock[b] / blockSize[b]
                    let base = i * p
                    for j in 0..<p { z -= qb[base + j] * scratch.g[j] }
                    scratch.zTilde[i] = z
                }
            }
            for t in 0..<count { scratch.clusterTreated[Int(treated[t])] = false }
            for o in 0..<k {
                let beta = acc[r + p + o] / zMz
                let y = residualOutcomes[o]
                var meat = 0.0
                for i in 0..<unitCount {
                    let z = scratch.zTilde[i]
                    let e = y[i] - beta * z
                    let oneMinusH = 1 - baseLeverage[i] - z * z / zMz
                    if oneMinusH > 1e-10 { meat += z * z * e * e / oneMinusH }
                }
                out[o * stride] = beta / (meat.squareRoot() / zMz)
            }
        }
    }
}

/// Doubles in 64-byte-aligned memory, shared read-only across threads.
final class AlignedRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
    let count: Int

    init(_ values: [Double]) {
        count = values.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, values.count) * MemoryLayout<Double>.stride, alignment: 64)
        base = raw.bindMemory(to: Double.self, capacity: max(1, values.count))
        for (i, v) in values.enumerated() { (base + i).initialize(to: v) }
    }

    deinit { base.deallocate() }
}
