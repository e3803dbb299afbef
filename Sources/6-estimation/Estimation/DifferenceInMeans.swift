import NumericCore

/// The design-based difference in means of one treated arm against the control, with the estimator
/// chosen from the design as R's estimatr `difference_in_means` (version 1.0.0) does:
///
/// - **Standard** (no blocks, no clusters, no weights): Welch. τ̂ = Ȳ₁ − Ȳ₀,
///   SE² = s₁²/N₁ + s₀²/N₀, df = SE⁴ / [(s₁²/N₁)²/(N₁−1) + (s₀²/N₀)²/(N₀−1)].
/// - **Clustered** (clusters, no blocks): least squares of Y on (1, T) with CR2 standard errors and
///   Bell–McCaffrey degrees of freedom; the treatment must be constant within each cluster.
/// - **Weighted** (weights, no clusters): weighted least squares of Y on (1, T) with HC2.
/// - **Blocked** (blocks with more than two units or clusters each): τ̂ = Σ_j (N_j/N) τ̂_j,
///   SE² = Σ_j (N_j/N)² SE_j² with each block estimated as above, df = N − 2J (N units, J blocks), or
///   Σ_j S_j − 2J with S_j clusters in block j (Gerber & Green 2012, eq. 3.10 and p. 74).
/// - **Matched pairs** (every block has exactly two units or clusters; also used, with a warning, when
///   some blocks have two and others more): τ̂ = Σ_j (N_j/N) τ̂_j, SE² = Σ_j (τ̂_j − τ̂)² / (J(J−1))
///   without clusters (Gerber & Green 2012, eq. 3.16), and
///   SE² = J / ((J−1) N²) Σ_j (N_j τ̂_j − N τ̂ / J)² with clusters (Imai, King & Nall 2009, eq. 6);
///   df = J − 1.
///
/// N_j is the number of units of block j (the sum of its weights, normalised to mean 1, with weights).
enum DifferenceInMeans {
    struct Estimate {
        var estimate: Double
        var stdError: Double
        var df: Double
    }

    struct Names {
        var outcome: String
        var treatment: String
        var treated: String
        var control: String
        var blocks: String?
        var clusters: String?
    }

    /// - Parameters: `treated[i]` is true for the treated arm, false for the control (other arms already
    ///   removed); `weights` normalised to mean 1 over the outcome's complete rows.
    static func estimate(y: [Double], treated: [Bool], weights: [Double]?, blocks: [String]?,
                         clusters: [String]?, names: Names, notes: inout [EstimationNote]) throws -> Estimate {
        guard let blocks else {
            let r = try within(y: y, treated: treated, weights: weights, clusters: clusters, pairMatched: false,
                               block: nil, names: names)
            return Estimate(estimate: r.estimate, stdError: r.stdError, df: r.df)
        }
        // Group rows by block, in first-appearance order.
        var order: [String] = []
        var rowsOf: [String: [Int]] = [:]
        for (i, b) in blocks.enumerated() {
            if rowsOf[b] == nil { order.append(b) }
            rowsOf[b, default: []].append(i)
        }
        if let clusters {
            var blockOf: [String: String] = [:]
            for (i, c) in clusters.enumerated() {
                if let b = blockOf[c], b != blocks[i] {
                    throw EstimationError.clusterAcrossBlocks(cluster: c, clusterColumn: names.clusters!, blockColumn: names.blocks!)
                }
                blockOf[c] = blocks[i]
            }
        }
        let unitsPerBlock = order.map { b -> Int in
            let rows = rowsOf[b]!
            return clusters.map { c in Set(rows.map { c[$0] }).count } ?? rows.count
        }
        if let j = unitsPerBlock.firstIndex(of: 1) {
            throw EstimationError.blockWithOneUnit(column: names.blocks!, block: order[j])
        }
        var pairMatched = false
        if unitsPerBlock.allSatisfy({ $0 == 2 }) {
            pairMatched = true
        } else if unitsPerBlock.contains(2) {
            pairMatched = true
            notes.append(.matchedPairsVarianceForMixedBlocks(outcome: names.outcome, blocks: names.blocks!))
        }
        if pairMatched, weights != nil {
            throw EstimationError.invalidSpecification(.weightsWithMatchedPairs(blocks: names.blocks!))
        }
        var estimates: [(estimate: Double, stdError: Double, n: Double)] = []
        for b in order {
            let rows = rowsOf[b]!
            let r = try within(y: rows.map { y[$0] }, treated: rows.map { treated[$0] },
                               weights: weights.map { w in rows.map { w[$0] } },
                               clusters: clusters.map { c in rows.map { c[$0] } },
                               pairMatched: pairMatched, block: b, names: names)
            estimates.append((r.estimate, r.stdError, r.n))
        }
        let total = estimates.reduce(0) { $0 + $1.n }
        let tau = estimates.reduce(0) { $0 + $1.estimate * $1.n / total }
        let J = Double(estimates.count)
        if pairMatched {
            guard estimates.count >= 2 else {
                throw EstimationError.tooFewObservations(outcome: names.outcome, detail: "a matched-pairs difference in means needs at least two pairs of \"\(names.blocks!)\"")
            }
            let variance: Double
            if clusters == nil {
                variance = estimates.reduce(0) { $0 + ($1.estimate - tau) * ($1.estimate - tau) } / (J * (J - 1))
            } else {
                variance = J / ((J - 1) * total * total)
                    * estimates.reduce(0) { s, e in let d = e.n * e.estimate - total * tau / J; return s + d * d }
            }
            return Estimate(estimate: tau, stdError: variance.squareRoot(), df: J - 1)
        }
        let variance = estimates.reduce(0) { $0 + $1.stdError * $1.stdError * ($1.n / total) * ($1.n / total) }
        let units = clusters == nil ? y.count : unitsPerBlock.reduce(0, +)
        return Estimate(estimate: tau, stdError: variance.squareRoot(), df: Double(units) - 2 * J)
    }

    /// One block (or the whole sample): estimate, standard error, df and size.
    private static func within(y: [Double], treated: [Bool], weights: [Double]?, clusters: [String]?,
                               pairMatched: Bool, block: String?, names: Names)
        throws -> (estimate: Double, stdError: Double, df: Double, n: Double) {
        if let clusters {
            var first: [String: Bool] = [:]
            for (c, t) in zip(clusters, treated) {
                if let f = first[c], f != t {
                    throw EstimationError.mixedTreatmentCluster(column: names.clusters!, cluster: c, treatment: names.treatment)
                }
                first[c] = t
            }
        }
        let n1 = treated.filter { $0 }.count
        let n0 = treated.count - n1
        if n1 == 0 || n0 == 0 {
            if let block {
                throw EstimationError.blockWithOneArm(column: names.blocks!, block: block,
                                                      present: n1 == 0 ? names.control : names.treated,
                                                      missing: n1 == 0 ? names.treated : names.control)
            }
            throw EstimationError.singleTreatmentLevel(column: names.treatment, outcome: names.outcome, level: n1 == 0 ? names.control : names.treated)
        }
        if !pairMatched && (n1 == 1 || n0 == 1) {
            if let block {
                throw EstimationError.blockTooSmall(column: names.blocks!, block: block, arm: n1 == 1 ? names.treated : names.control)
            }
            throw EstimationError.tooFewObservations(outcome: names.outcome, detail: "arm \"\(n1 == 1 ? names.treated : names.control)\" of treatment \"\(names.treatment)\" has a single observation, so a difference in means has no standard error")
        }
        let n = weights.map { $0.reduce(0, +) } ?? Double(y.count)
        if (clusters != nil && !pairMatched) || (weights != nil && clusters == nil) {
            var codes: [Int]? = nil
            var count = 0
            if let clusters, !pairMatched {
                var index: [String: Int] = [:]
                codes = clusters.map { c in
                    if let k = index[c] { return k }
                    index[c] = index.count
                    return index.count - 1
                }
                count = index.count
            }
            let X = try Matrix(columns: [[Double](repeating: 1, count: y.count), treated.map { $0 ? 1 : 0 }])
            let fit = try Regression.fit(RegressionProblem(
                y: y, X: X, names: ["(Intercept)", names.treatment], weights: weights, clusters: codes,
                clusterCount: count, variance: codes == nil ? .hc2 : .cr2, outcome: names.outcome))
            return (fit.coefficients[1], fit.covariance[1, 1].squareRoot(), fit.df[1], n)
        }
        var s1 = 0.0, s0 = 0.0
        for (v, t) in zip(y, treated) { if t { s1 += v } else { s0 += v } }
        let m1 = s1 / Double(n1), m0 = s0 / Double(n0)
        let diff = m1 - m0
        if pairMatched { return (diff, .nan, .nan, n) }
        var q1 = 0.0, q0 = 0.0
        for (v, t) in zip(y, treated) { if t { q1 += (v - m1) * (v - m1) } else { q0 += (v - m0) * (v - m0) } }
        let v1 = q1 / Double(n1 - 1) / Double(n1), v0 = q0 / Double(n0 - 1) / Double(n0)
        let se = (v1 + v0).squareRoot()
        let df = (v1 + v0) * (v1 + v0) / (v1 * v1 / Double(n1 - 1) + v0 * v0 / Double(n0 - 1))
        return (diff, se, df, n)
    }
}
