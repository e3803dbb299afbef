import NumericCore

/// Pocock–Simon minimisation (Pocock & Simon 1975, Biometrics 31:103–115), the alternative to permuted
/// blocks for rolling enrolment. Stata: `minim`; R: `Minirand::Minirand` with `method = "Range"`.
///
/// For a new family with level l_f on each factor f, and each candidate arm k:
/// - the ratio-adjusted counts of the families already assigned with the same level, as if the new
///   family went to k: `x_j = (n_{f, l_f, j} + [j = k]) / w_j` for every arm j;
/// - the factor's imbalance is the range max_j x_j − min_j x_j; the total imbalance G_k is the
///   unweighted sum over factors.
///
/// Draws (one generator, consumed in enrolment order):
/// 1. If every arm has the same G_k: one weighted draw among all arms (probability w_k / S).
/// 2. Otherwise the preferred arms are those with the smallest G. One uniform draw v = `uniform()`; if
///    v < q (the design's `follow_probability`) the family gets a preferred arm — the only one, or a
///    weighted draw among several; otherwise a weighted draw among the other arms.
///
/// The recorded probability is the conditional probability of the arm received given the earlier
/// families: w_k / S when all tie; q · w_k / Σ_{preferred} w for a preferred arm; (1 − q) · w_k /
/// Σ_{others} w for another arm. Unlike the other procedures this is not a design-wide marginal
/// probability; analyses that weight by it must say so.
public struct Minimisation {
    public let allocation: Allocation
    public let factors: [String]
    public let followProbability: Double
    /// counts[factor][level][arm]
    private var counts: [String: [String: [Int]]] = [:]

    public init(allocation: Allocation, factors: [String], followProbability: Double) throws {
        guard !factors.isEmpty else {
            throw AssignmentError.invalidAllocation("minimisation needs at least one factor (randomisation.minimisation_factors)")
        }
        guard followProbability >= 0.5 && followProbability <= 1 else {
            throw AssignmentError.invalidAllocation("follow_probability must lie in [0.5, 1]; found \(followProbability)")
        }
        self.allocation = allocation
        self.factors = factors
        self.followProbability = followProbability
    }

    /// Total imbalance G_k for each arm, for a family with these factor levels.
    public func imbalance(levels: [String: String]) -> [Double] {
        allocation.arms.indices.map { k in
            factors.reduce(0.0) { sum, f in
                let n = counts[f]?[levels[f] ?? ""] ?? Array(repeating: 0, count: allocation.arms.count)
                let x = allocation.weights.indices.map { j in
                    Double(n[j] + (j == k ? 1 : 0)) / Double(allocation.weights[j])
                }
                return sum + (x.max()! - x.min()!)
            }
        }
    }

    /// Assigns the next family and records it in the counts.
    public mutating func next(levels: [String: String], generator: RandomGenerator) -> (arm: Int, probability: Double) {
        let g = imbalance(levels: levels)
        let all = Array(allocation.arms.indices)
        let best = g.min()!
        // Imbalances are sums of ratios of small integers; compare with a tolerance far below 1/Π w.
        let preferred = all.filter { abs(g[$0] - best) < 1e-9 }
        let arm: Int
        let probability: Double
        if preferred.count == all.count {
            arm = allocation.weightedChoice(among: all, generator: generator)
            probability = allocation.probability(of: arm)
        } else {
            let others = all.filter { !preferred.contains($0) }
            let q = followProbability
            if generator.uniform() < q {
                arm = preferred.count == 1 ? preferred[0] : allocation.weightedChoice(among: preferred, generator: generator)
                probability = q * Double(allocation.weights[arm]) / Double(preferred.map { allocation.weights[$0] }.reduce(0, +))
            } else {
                arm = others.count == 1 ? others[0] : allocation.weightedChoice(among: others, generator: generator)
                probability = (1 - q) * Double(allocation.weights[arm]) / Double(others.map { allocation.weights[$0] }.reduce(0, +))
            }
        }
        for f in factors {
            let level = levels[f] ?? ""
            var n = counts[f]?[level] ?? Array(repeating: 0, count: allocation.arms.count)
            n[arm] += 1
            counts[f, default: [:]][level] = n
        }
        return (arm, probability)
    }
}
