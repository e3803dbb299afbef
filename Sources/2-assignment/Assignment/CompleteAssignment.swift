import NumericCore

/// Complete random assignment: a fixed number of units per arm, every arrangement with those numbers
/// equally likely. R: `randomizr::complete_ra(N, prob_each = w / sum(w))` (two arms: `complete_ra(N, prob)`).
///
/// Algorithm: the counts come from `Allocation.counts(units:generator:)` (the remainder rule: ⌊N w_k/S⌋
/// each, the R left-over units to R distinct arms by one systematic draw). A list holding arm 0 m_0
/// times, then arm 1 m_1 times, … is shuffled by Fisher–Yates (`RandomGenerator.shuffle`); the i-th
/// unit (in the given order) receives the i-th element.
public enum CompleteAssignment {
    public static func assign(units n: Int, allocation: Allocation, generator: RandomGenerator) -> [Int] {
        let counts = allocation.counts(units: n, generator: generator)
        var list: [Int] = []
        list.reserveCapacity(n)
        for (k, m) in counts.enumerated() { list += Array(repeating: k, count: m) }
        generator.shuffle(&list)
        return list
    }

    /// Each unit's probability of each arm: exactly `w_k / S`, because the expected count of arm k is
    /// N w_k / S and, given the counts, every unit is equally likely to hold any slot.
    public static func probabilities(units n: Int, allocation: Allocation) -> [[Double]] {
        Array(repeating: allocation.probabilities, count: n)
    }

    /// P(unit i gets arm a and unit j gets arm b) for two distinct units i ≠ j:
    /// Σ over count vectors m of P(m) · m_a (m_b − [a = b]) / (N (N − 1)).
    /// Example (randomizr semantics): N = 5, 1:1 → P(both treated) = 0.2, P(i treated, j control) = 0.3;
    /// N = 10, 1:1 → P(both treated) = 5·4/(10·9) = 2/9.
    public static func jointProbability(units n: Int, allocation: Allocation, armA a: Int, armB b: Int) -> Double {
        precondition(n >= 2, "a joint probability needs two units")
        var total = 0.0
        for (m, p) in allocation.countDistribution(units: n) {
            let ways = Double(m[a]) * Double(m[b] - (a == b ? 1 : 0))
            total += p * ways / (Double(n) * Double(n - 1))
        }
        return total
    }
}
