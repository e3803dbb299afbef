import NumericCore

/// Block (stratified) random assignment: complete assignment inside every block. R:
/// `randomizr::block_ra(blocks, prob_each = w / sum(w))`.
///
/// Algorithm: the distinct block labels are sorted (Swift string order: Unicode scalar values of the
/// NFC form), and each block in that order is given complete assignment of its units, in the order they
/// appear in the cohort, drawing from the one generator. Each block applies the remainder rule on its
/// own, so every block holds ⌊n_b w_k / S⌋ or ⌈n_b w_k / S⌉ units of arm k and every unit's probability
/// is w_k / S.
public enum BlockedAssignment {
    /// `blocks[i]` is unit i's block label. Returns each unit's arm index.
    public static func assign(blocks: [String], allocation: Allocation, generator: RandomGenerator) -> [Int] {
        var arms = Array(repeating: -1, count: blocks.count)
        for (_, members) in groups(blocks) {
            let drawn = CompleteAssignment.assign(units: members.count, allocation: allocation, generator: generator)
            for (position, unit) in members.enumerated() { arms[unit] = drawn[position] }
        }
        return arms
    }

    public static func probabilities(blocks: [String], allocation: Allocation) -> [[Double]] {
        Array(repeating: allocation.probabilities, count: blocks.count)
    }

    /// The members (unit indices, in cohort order) of each distinct label, labels sorted.
    static func groups(_ labels: [String]) -> [(label: String, members: [Int])] {
        var members: [String: [Int]] = [:]
        for (i, label) in labels.enumerated() { members[label, default: []].append(i) }
        return members.keys.sorted().map { ($0, members[$0]!) }
    }
}
