import NumericCore

/// Simple (Bernoulli) random assignment: every unit is drawn independently, arm k with probability
/// w_k / S. The number per arm is itself random. R: `randomizr::simple_ra(N, prob_each = w / sum(w))`.
///
/// Algorithm: for each unit in the given order, one draw u = `integer(below: S)`; the unit gets the arm
/// whose cumulative-weight interval [w_0 + … + w_{k−1}, w_0 + … + w_k) holds u.
public enum SimpleAssignment {
    public static func assign(units n: Int, allocation: Allocation, generator: RandomGenerator) -> [Int] {
        let all = Array(allocation.arms.indices)
        return (0..<n).map { _ in allocation.weightedChoice(among: all, generator: generator) }
    }

    /// Each unit's probability of each arm: `w_k / S` (rows are units, columns arms).
    public static func probabilities(units n: Int, allocation: Allocation) -> [[Double]] {
        Array(repeating: allocation.probabilities, count: n)
    }
}
