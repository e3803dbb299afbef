import Foundation
import NumericCore

/// The randomisation procedure of a trial, recovered from its observed assignment, so that assignments
/// can be re-drawn under the sharp null.
///
/// Units are grouped into *assignment clusters* (a unit is its own cluster when no clusters are given),
/// clusters into blocks (one block when none are given). The procedure re-drawn is complete random
/// assignment of whole clusters within each block, keeping the observed number of treated clusters `m_b`
/// of the `n_b` clusters in block `b` — randomizr's `block_and_cluster_ra(blocks, clusters, block_m = m)`,
/// which is what ri2's `declare_ra` declares for such a trial. The number of possible assignments is
/// `∏_b C(n_b, m_b)`; every unit of block `b` is treated with probability `m_b / n_b`.
///
/// Cost: building is O(N) plus a dictionary look-up per unit.
public struct RandomizationScheme: Sendable {
    public let unitCount: Int
    /// The units of each cluster, in order of first appearance of the cluster.
    public let clusterUnits: [[Int]]
    /// The label of each cluster (the unit's index when no clusters were given).
    public let clusterLabels: [String]
    /// The clusters of each block, in order of first appearance.
    public let blockClusters: [[Int]]
    public let blockLabels: [String]
    /// The observed number of treated clusters in each block (`m_b`).
    public let treatedPerBlock: [Int]
    /// The block of each unit (index into `blockLabels`).
    public let blockOfUnit: [Int]
    /// The block of each cluster.
    public let blockOfCluster: [Int]
    /// The observed assignment of each unit.
    public let observed: [Bool]
    /// The observed assignment of each cluster.
    public let observedClusters: [Bool]

    /// - Parameters:
    ///   - treatment: the observed assignment of each unit (true = treated).
    ///   - blocks: the block label of each unit, or nil for one block.
    ///   - clusters: the cluster label of each unit, or nil when units were assigned one by one.
    /// - Throws: `InferenceError` when lengths differ, a cluster spans two blocks, a cluster's units have
    ///   different arms, or no unit (or every unit) is treated.
    public init(treatment: [Bool], blocks: [String]? = nil, clusters: [String]? = nil) throws {
        let n = treatment.count
        guard n >= 2 else { throw InferenceError.invalidDesign("randomization inference needs at least two units, got \(n)") }
        if let blocks, blocks.count != n {
            throw InferenceError.lengthMismatch("the blocks have \(blocks.count) values but the treatment has \(n)")
        }
        if let clusters, clusters.count != n {
            throw InferenceError.lengthMismatch("the clusters have \(clusters.count) values but the treatment has \(n)")
        }
        var blockIndex: [String: Int] = [:]
        var blockLabels: [String] = []
        var blockOfUnit = [Int](repeating: 0, count: n)
        if let blocks {
            for i in 0..<n {
                if let b = blockIndex[blocks[i]] { blockOfUnit[i] = b } else {
                    blockIndex[blocks[i]] = blockLabels.count
                    blockOfUnit[i] = blockLabels.count
                    blockLabels.append(blocks[i])
                }
            }
        } else {
            blockLabels = ["all"]
        }
        var clusterIndex: [String: Int] = [:]
        var clusterUnits: [[Int]] = []
        var clusterLabels: [String] = []
        var blockOfCluster: [Int] = []
        var observedClusters: [Bool] = []
        for i in 0..<n {
            let label = clusters?[i] ?? String(i + 1)
            if let c = clusterIndex[label] {
                guard blockOfCluster[c] == blockOfUnit[i] else {
                    throw InferenceError.invalidDesign(
                        "cluster \"\(label)\" has units in block \"\(blockLabels[blockOfCluster[c]])\" and in block "
                        + "\"\(blockLabels[blockOfUnit[i]])\"; a cluster must lie within one block")
                }
                guard observedClusters[c] == treatment[i] else {
                    throw InferenceError.invalidDesign(
                        "cluster \"\(label)\" has treated and control units; whole clusters are assigned, "
                        + "so every unit of a cluster must have the same arm")
                }
                clusterUnits[c].append(i)
            } else {
                clusterIndex[label] = clusterUnits.count
                clusterUnits.append([i])
                clusterLabels.append(label)
                blockOfCluster.append(blockOfUnit[i])
                observedClusters.append(treatment[i])
            }
        }
        var blockClusters = [[Int]](repeating: [], count: blockLabels.count)
        var treatedPerBlock = [Int](repeating: 0, count: blockLabels.count)
        for c in 0..<clusterUnits.count {
            blockClusters[blockOfCluster[c]].append(c)
            if observedClusters[c] { treatedPerBlock[blockOfCluster[c]] += 1 }
        }
        guard treatment.contains(true), treatment.contains(false) else {
            throw InferenceError.invalidDesign(
                "every unit has the same arm (\(treatment[0] ? "treated" : "control")); a comparison needs treated and control units")
        }
        self.unitCount = n
        self.clusterUnits = clusterUnits
        self.clusterLabels = clusterLabels
        self.blockClusters = blockClusters
        self.blockLabels = blockLabels
        self.treatedPerBlock = treatedPerBlock
        self.blockOfUnit = blockOfUnit
        self.blockOfCluster = blockOfCluster
        self.observed = treatment
        self.observedClusters = observedClusters
    }

    public var clusterCount: Int { clusterUnits.count }
    public var blockCount: Int { blockLabels.count }

    /// P(unit i treated) = m_b / n_b for the unit's block b (clusters counted, not units).
    public var probabilities: [Double] {
        let pBlock = (0..<blockCount).map { Double(treatedPerBlock[$0]) / Double(blockClusters[$0].count) }
        return blockOfUnit.map { pBlock[$0] }
    }

    /// The number of possible assignments, `∏_b C(n_b, m_b)`, or nil when it exceeds `Int.max`.
    public var assignmentCount: Int? {
        var total = 1
        for b in 0..<blockCount {
            guard let c = binomial(blockClusters[b].count, treatedPerBlock[b]) else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: c)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// The number of possible assignments as a real number (never overflows; log-gamma beyond 2⁶³).
    public var assignmentCountApproximate: Double {
        if let exact = assignmentCount { return Double(exact) }
        var logTotal = 0.0
        for b in 0..<blockCount {
            let n = Double(blockClusters[b].count), m = Double(treatedPerBlock[b])
            logTotal += ((try? SpecialFunctions.logGamma(n + 1)) ?? 0)
                - ((try? SpecialFunctions.logGamma(m + 1)) ?? 0) - ((try? SpecialFunctions.logGamma(n - m + 1)) ?? 0)
        }
        return Foundation.exp(logTotal)
    }

    /// Every possible assignment as a unit-level vector, in the enumeration order used by exact
    /// randomization inference (block 1's combination varies fastest; combinations in lexicographic
    /// order). Throws when there are more than `limit`.
    public func allAssignments(limit: Int = RandomizationInference.exactLimit) throws -> [[Bool]] {
        let enumerator = try ExactEnumerator(self, limit: limit)
        var treated = [Int32](repeating: 0, count: clusterCount)
        return (0..<enumerator.total).map { index in
            let count = enumerator.treatedClusters(at: index, into: &treated)
            var z = [Bool](repeating: false, count: unitCount)
            for t in 0..<count { for i in clusterUnits[Int(treated[t])] { z[i] = true } }
            return z
        }
    }
}

/// C(n, k), or nil on overflow.
func binomial(_ n: Int, _ k: Int) -> Int? {
    if k < 0 || k > n { return 0 }
    let k = min(k, n - k)
    var result = 1
    for i in 0..<k {
        // result * (n - i) / (i + 1) stays whole at every step.
        let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
        if overflow { return nil }
        result = product / (i + 1)
    }
    return result
}

/// The exact enumeration of assignments: per block, every combination of m_b of the block's n_b
/// clusters (lexicographic); an assignment index is decoded as a mixed-radix number whose digits pick
/// one combination per block.
struct ExactEnumerator: Sendable {
    let total: Int
    /// Per block: the combinations, flattened (`count × m_b` cluster indices).
    let combinations: [[Int32]]
    let combinationCounts: [Int]
    let treatedPerBlock: [Int]

    init(_ scheme: RandomizationScheme, limit: Int) throws {
        guard let total = scheme.assignmentCount, total <= limit else {
            throw InferenceError.invalidArgument(
                "exact enumeration would need \(scheme.assignmentCount.map(String.init) ?? "more than 2^63") assignments, "
                + "more than the limit of \(limit); use Monte Carlo draws instead")
        }
        self.total = total
        var combinations: [[Int32]] = []
        var counts: [Int] = []
        for b in 0..<scheme.blockCount {
            let members = scheme.blockClusters[b].map(Int32.init)
            let m = scheme.treatedPerBlock[b]
            var flat: [Int32] = []
            var choice = Array(0..<m)
            var count = 0
            while true {
                for position in choice { flat.append(members[position]) }
                count += 1
                // Next combination in lexicographic order.
                var i = m - 1
                while i >= 0 && choice[i] == members.count - m + i { i -= 1 }
                if i < 0 { break }
                choice[i] += 1
                for j in (i + 1)..<max(i + 1, m) { choice[j] = choice[j - 1] + 1 }
            }
            combinations.append(flat)
            counts.append(count)
        }
        self.combinations = combinations
        self.combinationCounts = counts
        self.treatedPerBlock = scheme.treatedPerBlock
    }

    /// Writes the treated clusters of assignment `index` into `buffer`; returns how many.
    @inline(__always)
    func treatedClusters(at index: Int, into buffer: inout [Int32]) -> Int {
        var rest = index
        var filled = 0
        for b in 0..<combinationCounts.count {
            let digit = rest % combinationCounts[b]
            rest /= combinationCounts[b]
            let m = treatedPerBlock[b]
            let base = digit * m
            for t in 0..<m { buffer[filled + t] = combinations[b][base + t] }
            filled += m
        }
        return filled
    }
}
