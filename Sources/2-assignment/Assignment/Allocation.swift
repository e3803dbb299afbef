import NumericCore
import TrialDesign

/// The arms and their integer allocation weights (ratios): `[control, intervention]` with `[1, 1]` is
/// 1:1, `[2, 1]` is 2:1. Every unit's probability of arm k is exactly `w_k / S` with `S = Σ w`, for
/// every procedure except minimisation (which records its conditional probability instead).
///
/// Weights are integers on purpose: the remainder rule below then works in exact integer arithmetic,
/// and every stated probability is a ratio of integers, so enumerations can check it without rounding.
/// A probability such as p = 0.3 is written as weights `[7, 3]`.
public struct Allocation: Sendable, Equatable {
    public let arms: [String]
    public let weights: [Int]

    public init(arms: [String], weights: [Int]) throws {
        guard arms.count >= 2 else {
            throw AssignmentError.invalidAllocation("an assignment needs at least two arms; found \(arms.count)")
        }
        guard weights.count == arms.count else {
            throw AssignmentError.invalidAllocation(
                "\(arms.count) arms but \(weights.count) ratio weights; give one weight per arm, e.g. --ratio 1:1")
        }
        guard weights.allSatisfy({ $0 >= 1 }) else {
            throw AssignmentError.invalidAllocation("every ratio weight is a whole number of at least 1; found \(weights)")
        }
        guard Set(arms).count == arms.count else {
            throw AssignmentError.invalidAllocation("arm names must be unique; found \(arms.joined(separator: ", "))")
        }
        self.arms = arms
        self.weights = weights
    }

    /// The design's arms in their declared order, with their `ratio` weights.
    public init(design: Design) {
        arms = design.arms.map(\.id)
        weights = design.arms.map(\.ratio)
    }

    /// S = Σ w.
    public var total: Int { weights.reduce(0, +) }

    /// w_k / S.
    public func probability(of arm: Int) -> Double { Double(weights[arm]) / Double(total) }

    /// `w / S` for every arm.
    public var probabilities: [Double] { weights.indices.map(probability(of:)) }

    /// The index of an arm id.
    public func index(of arm: String) -> Int? { arms.firstIndex(of: arm) }

    /// One draw among `candidates` (arm indices) with probability proportional to their weights: a single
    /// `integer(below: Σ w_candidates)` draw u, and the candidate whose cumulative-weight interval holds u
    /// (candidates in the given order).
    func weightedChoice(among candidates: [Int], generator: RandomGenerator) -> Int {
        let sum = candidates.map { weights[$0] }.reduce(0, +)
        var u = generator.integer(below: sum)
        for k in candidates {
            if u < weights[k] { return k }
            u -= weights[k]
        }
        return candidates[candidates.count - 1]
    }

    // MARK: The remainder rule

    /// The whole-number part of each arm's share of `n` units: `⌊n · w_k / S⌋`, and the remainders
    /// `e_k = (n · w_k) mod S` (so that `Σ e_k = R · S`, R = units left over).
    func baseCounts(_ n: Int) -> (base: [Int], remainders: [Int], leftOver: Int) {
        let S = total
        let base = weights.map { n * $0 / S }
        let remainders = weights.map { (n * $0) % S }
        return (base, remainders, n - base.reduce(0, +))
    }

    /// The counts for a given value u ∈ 0..<S of the remainder draw (see `counts(units:generator:)`).
    func counts(units n: Int, remainderDraw u: Int) -> [Int] {
        let (base, remainders, leftOver) = baseCounts(n)
        var counts = base
        guard leftOver > 0 else { return counts }
        let S = total
        // Points u, u + S, …, u + (R − 1)·S on [0, R·S); arm k owns [C_{k−1}, C_k) with C_k = e_0 + … + e_k.
        var lower = 0
        for k in weights.indices {
            let upper = lower + remainders[k]
            // Is there a j with lower ≤ u + j·S < upper? Each interval is shorter than S, so at most one.
            if remainders[k] > 0 {
                let j = lower <= u ? 0 : (lower - u + S - 1) / S
                if u + j * S < upper { counts[k] += 1 }
            }
            lower = upper
        }
        return counts
    }

    /// How many of `n` units each arm receives under complete assignment (the remainder rule).
    ///
    /// Each arm first gets `⌊n w_k / S⌋`. The R = n − Σ⌊n w_k / S⌋ units left over (0 ≤ R < K) go to R
    /// distinct arms chosen by systematic sampling: with e_k = (n w_k) mod S laid end to end on [0, R·S),
    /// one draw u = `integer(below: S)` selects the arms whose intervals hold u, u + S, …, u + (R−1)S.
    /// Arm k gets the extra unit with probability exactly e_k / S, so its expected count is n w_k / S and
    /// every unit's marginal probability is w_k / S. With two arms this is randomizr's rule: ⌊Np⌋ or ⌈Np⌉
    /// treated, the larger with probability Np − ⌊Np⌋. When R = 0 no draw is made.
    public func counts(units n: Int, generator: RandomGenerator) -> [Int] {
        let (_, _, leftOver) = baseCounts(n)
        guard leftOver > 0 else { return baseCounts(n).base }
        return counts(units: n, remainderDraw: generator.integer(below: total))
    }

    /// The exact distribution of the counts: each u ∈ 0..<S is equally likely, so every count vector's
    /// probability is (number of u giving it) / S. Sorted by count vector (lexicographically).
    public func countDistribution(units n: Int) -> [(counts: [Int], probability: Double)] {
        let (base, _, leftOver) = baseCounts(n)
        guard leftOver > 0 else { return [(base, 1)] }
        var tally: [[Int]: Int] = [:]
        for u in 0..<total { tally[counts(units: n, remainderDraw: u), default: 0] += 1 }
        return tally.map { ($0.key, Double($0.value) / Double(total)) }
            .sorted { $0.counts.lexicographicallyPrecedes($1.counts) }
    }
}
