/// Summary indices of several survey items at one wave.
///
/// Both start from the items standardised by the control group at that wave:
/// `z_ik = (x_ik − mean_C(x_k)) / sd_C(x_k)`, with the sample standard deviation (divisor n − 1) of the
/// control units whose answers are used at the wave.
///
/// - `index_mean` (Kling, Liebman & Katz 2007): the equally weighted mean of the `z_ik`. A unit that
///   answered at least one item has each missing item imputed at the mean `z` of its own arm at that
///   wave (KLK's rule; when nobody in the arm answered the item, the answered items are averaged); a
///   unit that answered none is missing. The index is not re-standardised (as in
///   KLK), so effects are in control-SD units of the average item. Stata: `egen` of z-scores; R: manual.
/// - `index_inverse_covariance` (Anderson 2008): weights `w = Σ⁻¹ 1`, the row sums of the inverse of
///   the covariance matrix `Σ` of the z-scores (divisor n − 1), estimated on every unit (both arms) with
///   all items answered; `Σ⁻¹ 1` is solved, never inverted explicitly. A unit's raw index is
///   `Σ_{k answered} w_k z_ik / Σ_{k answered} w_k` (Anderson's rule for missing items: the available
///   items with their weights). The raw index is then re-standardised by its control mean and SD, so
///   the control group has mean 0 and SD 1 (as Stata's `swindex` with the control group as reference).
///   The reported weights are `w / Σ w`.
enum SurveyIndex {
    struct Result {
        var index: [Double?]
        var means: [Double]
        var sds: [Double]
        var weights: [Double]
        var rescaleMean: Double?
        var rescaleSD: Double?
    }

    /// `values[i][k]`: unit i's answer to item k, nil when missing; only units whose answers are used.
    /// `arm[i]`: the unit's arm; `isControl[i]`: whether it is in the control arm.
    static func standardise(values: [[Double?]], isControl: [Bool], items: [String],
                            outcome: String, wave: String) throws -> (z: [[Double?]], means: [Double], sds: [Double]) {
        let k = items.count
        var means = [Double](repeating: 0, count: k), sds = [Double](repeating: 0, count: k)
        for j in 0..<k {
            var xs: [Double] = []
            for (i, row) in values.enumerated() where isControl[i] { if let x = row[j] { xs.append(x) } }
            guard xs.count >= 2 else {
                throw PanelError.cannotStandardise(outcome: outcome, wave: wave, item: items[j],
                                                   why: "\(xs.count) control answer\(xs.count == 1 ? "" : "s"), at least 2 needed")
            }
            let (m, s) = meanAndSD(xs)
            guard s > 0 else {
                throw PanelError.cannotStandardise(outcome: outcome, wave: wave, item: items[j],
                                                   why: "every control answer is \(m), SD 0")
            }
            means[j] = m
            sds[j] = s
        }
        let z = values.map { row in (0..<k).map { j in row[j].map { ($0 - means[j]) / sds[j] } } }
        return (z, means, sds)
    }

    static func mean(values: [[Double?]], arm: [String], isControl: [Bool], items: [String],
                     outcome: String, wave: String) throws -> Result {
        let (z, means, sds) = try standardise(values: values, isControl: isControl, items: items, outcome: outcome, wave: wave)
        let k = items.count
        // The mean z of each item within each arm, for imputing missing items.
        var sums: [String: [Double]] = [:], counts: [String: [Int]] = [:]
        for (i, row) in z.enumerated() {
            var s = sums[arm[i]] ?? [Double](repeating: 0, count: k)
            var c = counts[arm[i]] ?? [Int](repeating: 0, count: k)
            for j in 0..<k { if let v = row[j] { s[j] += v; c[j] += 1 } }
            sums[arm[i]] = s
            counts[arm[i]] = c
        }
        var index: [Double?] = []
        index.reserveCapacity(z.count)
        for (i, row) in z.enumerated() {
            guard row.contains(where: { $0 != nil }) else { index.append(nil); continue }
            var total = 0.0, used = 0
            for j in 0..<k {
                if let v = row[j] {
                    total += v; used += 1
                } else if let c = counts[arm[i]]?[j], c > 0 {
                    total += sums[arm[i]]![j] / Double(c); used += 1
                }
            }
            index.append(total / Double(used))
        }
        return Result(index: index, means: means, sds: sds,
                      weights: [Double](repeating: 1 / Double(k), count: k), rescaleMean: nil, rescaleSD: nil)
    }

    static func inverseCovariance(values: [[Double?]], isControl: [Bool], items: [String],
                                  outcome: String, wave: String) throws -> Result {
        let (z, means, sds) = try standardise(values: values, isControl: isControl, items: items, outcome: outcome, wave: wave)
        let k = items.count
        let complete = z.compactMap { row -> [Double]? in
            let xs = row.compactMap { $0 }
            return xs.count == k ? xs : nil
        }
        guard complete.count >= k + 1 else {
            throw PanelError.tooFewCompleteCases(outcome: outcome, wave: wave, found: complete.count, needed: k + 1)
        }
        // Covariance of the z-scores (n − 1).
        var centre = [Double](repeating: 0, count: k)
        for row in complete { for j in 0..<k { centre[j] += row[j] } }
        for j in 0..<k { centre[j] /= Double(complete.count) }
        var sigma = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for row in complete {
            for a in 0..<k { for b in 0..<k { sigma[a][b] += (row[a] - centre[a]) * (row[b] - centre[b]) } }
        }
        for a in 0..<k { for b in 0..<k { sigma[a][b] /= Double(complete.count - 1) } }
        guard let w = solve(sigma, [Double](repeating: 1, count: k)), abs(w.reduce(0, +)) > 1e-12 else {
            throw PanelError.singularCovariance(outcome: outcome, wave: wave, items: items)
        }
        var raw: [Double?] = []
        raw.reserveCapacity(z.count)
        for row in z {
            var num = 0.0, den = 0.0
            for j in 0..<k { if let v = row[j] { num += w[j] * v; den += w[j] } }
            raw.append(den != 0 ? num / den : nil)
        }
        var controlRaw: [Double] = []
        for (i, r) in raw.enumerated() where isControl[i] { if let r { controlRaw.append(r) } }
        let (m, s) = meanAndSD(controlRaw)
        guard controlRaw.count >= 2, s > 0 else {
            throw PanelError.cannotStandardise(outcome: outcome, wave: wave, item: "(the weighted index)",
                                               why: "the control group's index has no spread")
        }
        let total = w.reduce(0, +)
        return Result(index: raw.map { $0.map { ($0 - m) / s } }, means: means, sds: sds,
                      weights: w.map { $0 / total }, rescaleMean: m, rescaleSD: s)
    }

    /// Mean and sample standard deviation (n − 1; 0 when n < 2).
    static func meanAndSD(_ xs: [Double]) -> (Double, Double) {
        guard !xs.isEmpty else { return (.nan, 0) }
        let m = xs.reduce(0, +) / Double(xs.count)
        guard xs.count >= 2 else { return (m, 0) }
        let ss = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (m, (ss / Double(xs.count - 1)).squareRoot())
    }

    /// Solves `a x = b` by Gaussian elimination with partial pivoting (K is a handful of items, so a
    /// dependency on the numerical core is not worth it); nil when a pivot is below 1e-12 times the
    /// largest entry of `a` (numerically singular).
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a, x = b
        let scale = a.flatMap { $0 }.map(abs).max() ?? 0
        guard scale > 0 else { return nil }
        for col in 0..<n {
            var pivot = col
            for r in col + 1..<n where abs(m[r][col]) > abs(m[pivot][col]) { pivot = r }
            guard abs(m[pivot][col]) > 1e-12 * scale else { return nil }
            if pivot != col { m.swapAt(pivot, col); x.swapAt(pivot, col) }
            for r in col + 1..<n {
                let f = m[r][col] / m[col][col]
                if f == 0 { continue }
                for c in col..<n { m[r][c] -= f * m[col][c] }
                x[r] -= f * x[col]
            }
        }
        for col in stride(from: n - 1, through: 0, by: -1) {
            var s = x[col]
            for c in col + 1..<n { s -= m[col][c] * x[c] }
            x[col] = s / m[col][col]
        }
        return x
    }
}
