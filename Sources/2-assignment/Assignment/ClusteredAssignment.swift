import NumericCore

/// Cluster random assignment: whole clusters are assigned, every unit of a cluster receives its
/// cluster's arm. R: `randomizr::cluster_ra(clusters, prob_each = …)` and
/// `randomizr::block_and_cluster_ra(blocks, clusters, prob_each = …)`.
///
/// Algorithm: the distinct cluster labels are sorted (Swift string order) and given complete assignment
/// as if each cluster were one unit; blocked-and-clustered does this inside every block, blocks in
/// sorted order. Every unit's probability is w_k / S; the counts rule applies to clusters, not units.
public enum ClusteredAssignment {
    public static func assign(clusters: [String], allocation: Allocation, generator: RandomGenerator) -> [Int] {
        let groups = BlockedAssignment.groups(clusters)
        let drawn = CompleteAssignment.assign(units: groups.count, allocation: allocation, generator: generator)
        var arms = Array(repeating: -1, count: clusters.count)
        for (c, group) in groups.enumerated() { for unit in group.members { arms[unit] = drawn[c] } }
        return arms
    }

    /// Blocked and clustered: clusters must be nested in blocks (throws `clusterSpansBlocks` otherwise).
    public static func assign(clusters: [String], blocks: [String], allocation: Allocation,
                              generator: RandomGenerator) throws -> [Int] {
        try checkNesting(clusters: clusters, blocks: blocks)
        var arms = Array(repeating: -1, count: clusters.count)
        for (_, members) in BlockedAssignment.groups(blocks) {
            let inner = assign(clusters: members.map { clusters[$0] }, allocation: allocation, generator: generator)
            for (position, unit) in members.enumerated() { arms[unit] = inner[position] }
        }
        return arms
    }

    public static func probabilities(clusters: [String], allocation: Allocation) -> [[Double]] {
        Array(repeating: allocation.probabilities, count: clusters.count)
    }

    static func checkNesting(clusters: [String], blocks: [String]) throws {
        var blockOf: [String: Set<String>] = [:]
        for (c, b) in zip(clusters, blocks) { blockOf[c, default: []].insert(b) }
        if let (cluster, set) = blockOf.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
            throw AssignmentError.clusterSpansBlocks(cluster: cluster, blocks: set.sorted())
        }
    }
}
