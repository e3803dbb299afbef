/// Step-down adjustments for several outcomes tested on the same re-drawn assignments, using their
/// joint randomization distribution (so the correlation between outcomes is used, unlike Holm).
///
/// Input: the observed statistics `t_k` (k = 1…m) and `permuted[k][s]`, the statistic of outcome k
/// under assignment s (s = 1…S), as returned in `RandomizationResult.permuted`. Tests are two-sided on
/// |T|; ties use the same tolerance as `RandomizationInference` (ε = 1.5e-8 · max(1, |t|)). Adjusted
/// p-values are shares of the S assignments (no +1), matching the unadjusted randomization p-values, so
/// with one outcome both procedures return the plain randomization p-value.
public enum StepDown {
    static func validate(_ observed: [Double], _ permuted: [[Double]]) throws -> Int {
        guard !observed.isEmpty else { throw InferenceError.invalidArgument("no outcomes were given") }
        guard permuted.count == observed.count else {
            throw InferenceError.lengthMismatch(
                "\(observed.count) observed statistics but \(permuted.count) permuted distributions")
        }
        let s = permuted[0].count
        guard s > 0, permuted.allSatisfy({ $0.count == s }) else {
            throw InferenceError.lengthMismatch("every outcome needs the same, non-zero number of permuted statistics")
        }
        return s
    }

    /// Romano & Wolf (2005) step-down with the maximum statistic (also Westfall & Young's "maxT"):
    /// order outcomes by |t| descending, t_(1) ≥ … ≥ t_(m); for step r,
    /// p_r = #{s: max_{j ≥ r} |T*_{s,(j)}| ≥ |t_(r)| − ε} / S; adjusted p̃_(r) = max(p̃_(r−1), p_r).
    /// Stata: `rwolf` (which uses (count + 1)/(S + 1) with bootstrap draws; here the randomization
    /// distribution is used and the share of assignments reported).
    public static func romanoWolf(observed: [Double], permuted: [[Double]]) throws -> [Double] {
        let s = try validate(observed, permuted)
        let m = observed.count
        let order = observed.indices.sorted { abs(observed[$0]) > abs(observed[$1]) || (abs(observed[$0]) == abs(observed[$1]) && $0 < $1) }
        // Running maximum over the remaining outcomes, built from the last step backwards.
        var maxRemaining = [Double](repeating: -.infinity, count: s)
        var stepP = [Double](repeating: 0, count: m)
        for r in stride(from: m - 1, through: 0, by: -1) {
            let k = order[r]
            let threshold = abs(observed[k]) - RandomizationInference.tieTolerance * max(1, abs(observed[k]))
            var count = 0
            for i in 0..<s {
                maxRemaining[i] = max(maxRemaining[i], abs(permuted[k][i]))
                if maxRemaining[i] >= threshold { count += 1 }
            }
            stepP[r] = Double(count) / Double(s)
        }
        return monotone(stepP, order: order)
    }

    /// Westfall & Young (1993, Algorithm 2.8) free step-down on p-values ("minP"): each outcome's
    /// statistic is turned into a randomization p-value, p*_{s,k} = #{s′: |T*_{s′,k}| ≥ |T*_{s,k}| − ε} / S
    /// (and p_k likewise for the observed t_k); with outcomes ordered by p ascending,
    /// p_r = #{s: min_{j ≥ r} p*_{s,(j)} ≤ p_(r)} / S, adjusted p̃_(r) = max(p̃_(r−1), p_r). Using p-values
    /// puts outcomes with different scales on one footing. R: `multtest::mt.minP` (permutation version).
    public static func westfallYoung(observed: [Double], permuted: [[Double]]) throws -> [Double] {
        let s = try validate(observed, permuted)
        let m = observed.count
        var observedP = [Double](repeating: 0, count: m)
        var permutedP = [[Double]](repeating: [], count: m)
        for k in 0..<m {
            let sortedAbs = permuted[k].map(abs).sorted()
            // #{v ≥ x − ε} by binary search on the sorted |T*|.
            func share(atLeast x: Double) -> Double {
                let threshold = x - RandomizationInference.tieTolerance * max(1, x)
                var lo = 0, hi = s
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if sortedAbs[mid] >= threshold { hi = mid } else { lo = mid + 1 }
                }
                return Double(s - lo) / Double(s)
            }
            observedP[k] = share(atLeast: abs(observed[k]))
            permutedP[k] = permuted[k].map { share(atLeast: abs($0)) }
        }
        let order = observedP.indices.sorted { observedP[$0] < observedP[$1] || (observedP[$0] == observedP[$1] && $0 < $1) }
        var minRemaining = [Double](repeating: .infinity, count: s)
        var stepP = [Double](repeating: 0, count: m)
        for r in stride(from: m - 1, through: 0, by: -1) {
            let k = order[r]
            var count = 0
            for i in 0..<s {
                minRemaining[i] = min(minRemaining[i], permutedP[k][i])
                if minRemaining[i] <= observedP[k] + 1e-12 { count += 1 }
            }
            stepP[r] = Double(count) / Double(s)
        }
        return monotone(stepP, order: order)
    }

    /// Enforces p̃_(r) = max(p̃_(r−1), p_r) along `order` and returns values in input order.
    static func monotone(_ stepP: [Double], order: [Int]) -> [Double] {
        var out = [Double](repeating: 0, count: order.count)
        var running = 0.0
        for (r, k) in order.enumerated() {
            running = max(running, stepP[r])
            out[k] = min(1, running)
        }
        return out
    }
}
