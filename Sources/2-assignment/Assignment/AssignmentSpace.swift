/// Every assignment a procedure can produce, with its probability: the exact randomisation
/// distribution, for checking stated probabilities and for randomization inference on small designs.
/// R: `randomizr::obtain_permutation_matrix` with `obtain_permutation_probabilities`.
///
/// Cost: the number of possible assignments (e.g. C(20, 10) = 184,756 for 20 units 1:1), so use it on
/// small designs only; `limit` guards against accidental explosions.
public struct AssignmentSpace: Sendable {
    /// Each possible assignment (arm index per unit) with its probability; probabilities sum to 1.
    public var assignments: [(arms: [Int], probability: Double)]

    /// The space of complete assignment of `n` units.
    public static func complete(units n: Int, allocation: Allocation, limit: Int = 1_000_000) throws -> AssignmentSpace {
        var result: [(arms: [Int], probability: Double)] = []
        for (counts, p) in allocation.countDistribution(units: n) {
            let arrangements = multisetPermutations(counts)
            guard result.count + arrangements.count <= limit else {
                throw AssignmentError.spaceTooLarge(limit: limit)
            }
            let each = p / Double(arrangements.count)
            result += arrangements.map { ($0, each) }
        }
        return AssignmentSpace(assignments: result)
    }

    /// The space of blocked assignment: the product of the complete spaces of the blocks (blocks are
    /// independent). `blocks[i]` is unit i's block.
    public static func blocked(blocks: [String], allocation: Allocation, limit: Int = 1_000_000) throws -> AssignmentSpace {
        var result: [(arms: [Int], probability: Double)] = [(Array(repeating: -1, count: blocks.count), 1)]
        for (_, members) in BlockedAssignment.groups(blocks) {
            let inner = try complete(units: members.count, allocation: allocation, limit: limit)
            guard result.count * inner.assignments.count <= limit else {
                throw AssignmentError.spaceTooLarge(limit: limit)
            }
            var next: [(arms: [Int], probability: Double)] = []
            for (partial, p) in result {
                for (arms, q) in inner.assignments {
                    var full = partial
                    for (position, unit) in members.enumerated() { full[unit] = arms[position] }
                    next.append((full, p * q))
                }
            }
            result = next
        }
        return AssignmentSpace(assignments: result)
    }

    /// The space of cluster assignment: complete assignment of the sorted distinct clusters, expanded.
    public static func clustered(clusters: [String], allocation: Allocation, limit: Int = 1_000_000) throws -> AssignmentSpace {
        let groups = BlockedAssignment.groups(clusters)
        let inner = try complete(units: groups.count, allocation: allocation, limit: limit)
        return AssignmentSpace(assignments: inner.assignments.map { arms, p in
            var full = Array(repeating: -1, count: clusters.count)
            for (c, group) in groups.enumerated() { for unit in group.members { full[unit] = arms[c] } }
            return (full, p)
        })
    }

    /// Each unit's probability of each arm over the space: Σ P(assignment) over assignments giving it.
    public func marginalProbabilities(arms: Int) -> [[Double]] {
        guard let n = assignments.first?.arms.count else { return [] }
        var p = Array(repeating: Array(repeating: 0.0, count: arms), count: n)
        for (a, q) in assignments { for i in 0..<n { p[i][a[i]] += q } }
        return p
    }

    /// All distinct arrangements of a multiset with `counts[k]` copies of k, in lexicographic order.
    static func multisetPermutations(_ counts: [Int]) -> [[Int]] {
        var remaining = counts
        let n = counts.reduce(0, +)
        var current: [Int] = []
        var out: [[Int]] = []
        func extend() {
            if current.count == n { out.append(current); return }
            for k in remaining.indices where remaining[k] > 0 {
                remaining[k] -= 1; current.append(k)
                extend()
                current.removeLast(); remaining[k] += 1
            }
        }
        extend()
        return out
    }
}
