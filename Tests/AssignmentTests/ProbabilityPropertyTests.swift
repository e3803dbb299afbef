import Assignment
import NumericCore
import Testing
import TestSupport

/// Structural properties of the batch procedures over small grids (randomizr's test style): counts per
/// block, probabilities summing to one, the size of the enumerated assignment space, and each unit's
/// frequency over that space equal to its stated probability. Reference values: /work/shared/reference/
/// README.md ("Complete random assignment (randomizr semantics)"), copied into fixtures/assignment/README.md.
@Suite struct ProbabilityPropertyTests {
    static let ratios: [[Int]] = [[1, 1], [2, 1], [1, 1, 1], [7, 3], [3, 1], [1, 2, 3]]
    static let sizes = Array(0...13)

    func allocation(_ w: [Int]) throws -> Allocation {
        try Allocation(arms: w.indices.map { "a\($0)" }, weights: w)
    }

    @Test func completeCountsAreFloorOrCeilingForEveryDrawAndExpectTheShare() throws {
        for (n, w) in Grid.product(Self.sizes, Self.ratios) {
            let a = try allocation(w)
            let S = Double(a.total)
            let distribution = a.countDistribution(units: n)
            #expect(isClose(distribution.map(\.probability).reduce(0, +), 1, relative: 1e-12), "n \(n) w \(w)")
            for (counts, _) in distribution {
                #expect(counts.reduce(0, +) == n, "n \(n) w \(w)")
                for k in w.indices {
                    let share = Double(n * w[k]) / S
                    #expect(counts[k] == Int(share.rounded(.down)) || counts[k] == Int(share.rounded(.up)), "n \(n) w \(w) arm \(k)")
                }
            }
            // Expected count = n w_k / S exactly, so every unit's marginal probability is w_k / S.
            for k in w.indices {
                let expected = distribution.reduce(0.0) { $0 + $1.probability * Double($1.counts[k]) }
                #expect(isClose(expected, Double(n * w[k]) / S, relative: 1e-12, absolute: 1e-12), "n \(n) w \(w) arm \(k)")
            }
            // Drawn counts with real generators are among the possible ones.
            for seed in 1...5 {
                let drawn = CompleteAssignment.assign(units: n, allocation: a, generator: RandomGenerator(seed: UInt64(seed)))
                let counts = w.indices.map { k in drawn.filter { $0 == k }.count }
                #expect(distribution.contains { $0.counts == counts }, "n \(n) w \(w) seed \(seed)")
            }
        }
    }

    @Test func twoArmRemainderRuleIsRandomizrs() throws {
        // N = 5, p = 1/2: 2 or 3 treated, each with probability 1/2. N = 10, p = 0.3 (weights 7:3): exactly 3.
        // N = 7, p = 0.3: Np = 2.1 → 3 treated with probability 0.1.
        let half = try allocation([1, 1])
        #expect(half.countDistribution(units: 5).map(\.counts) == [[2, 3], [3, 2]])
        #expect(half.countDistribution(units: 5).map(\.probability) == [0.5, 0.5])
        let p3 = try allocation([7, 3])
        #expect(p3.countDistribution(units: 10).map(\.counts) == [[7, 3]])
        let seven = p3.countDistribution(units: 7)
        #expect(seven.count == 2)
        #expect(seven.first { $0.counts == [4, 3] }.map { isClose($0.probability, 0.1, relative: 1e-12) } == true)
    }

    @Test func probabilitiesSumToOneOverArmsForEveryProcedure() throws {
        for (n, w) in Grid.product([1, 4, 9], Self.ratios) {
            let a = try allocation(w)
            let blocks = (0..<n).map { "b\($0 % 3)" }
            let tables = [SimpleAssignment.probabilities(units: n, allocation: a),
                          CompleteAssignment.probabilities(units: n, allocation: a),
                          BlockedAssignment.probabilities(blocks: blocks, allocation: a),
                          ClusteredAssignment.probabilities(clusters: blocks, allocation: a)]
            for table in tables {
                #expect(table.count == n)
                for row in table { #expect(isClose(row.reduce(0, +), 1, relative: 1e-12), "n \(n) w \(w)") }
            }
        }
    }

    @Test func enumeratedCompleteSpaceOfThreeOfSixHasTwentyEquallyLikelyAssignments() throws {
        let space = try AssignmentSpace.complete(units: 6, allocation: try allocation([1, 1]))
        #expect(space.assignments.count == 20)  // C(6, 3)
        #expect(Set(space.assignments.map(\.arms)).count == 20)
        for (_, p) in space.assignments { #expect(isClose(p, 1.0 / 20, relative: 1e-12)) }
        // Each unit's frequency over the space equals its stated probability.
        let stated = CompleteAssignment.probabilities(units: 6, allocation: try allocation([1, 1]))
        let frequency = space.assignments.reduce(into: Array(repeating: 0, count: 6)) { f, a in
            for i in 0..<6 where a.arms[i] == 1 { f[i] += 1 }
        }
        for i in 0..<6 { #expect(isClose(Double(frequency[i]) / 20, stated[i][1], relative: 1e-12)) }
        // Draws land in the space, and 2,000 seeded draws reach every one of the 20.
        var seen: Set<[Int]> = []
        for seed in 1...2000 {
            seen.insert(CompleteAssignment.assign(units: 6, allocation: try allocation([1, 1]), generator: RandomGenerator(seed: UInt64(seed))))
        }
        #expect(seen == Set(space.assignments.map(\.arms)))
    }

    @Test func enumeratedSpacesMatchStatedProbabilitiesOverAGrid() throws {
        for (n, w) in Grid.product([1, 2, 3, 5, 6, 7], [[1, 1], [2, 1], [1, 1, 1]]) {
            let a = try allocation(w)
            let space = try AssignmentSpace.complete(units: n, allocation: a)
            // Size = Σ over possible count vectors of the multinomial coefficient.
            let expectedSize = a.countDistribution(units: n).reduce(0) { $0 + multinomial($1.counts) }
            #expect(space.assignments.count == expectedSize, "n \(n) w \(w)")
            #expect(isClose(space.assignments.map(\.probability).reduce(0, +), 1, relative: 1e-12))
            let marginal = space.marginalProbabilities(arms: w.count)
            for i in 0..<n { for k in w.indices { #expect(isClose(marginal[i][k], a.probability(of: k), relative: 1e-12), "n \(n) w \(w)") } }
        }
        // Blocked: blocks of 3 and 4 units, 1:1 → 2·C(3,1)... = (3+3)·C(4,2) = 36 assignments; marginals 1/2.
        let blocks = ["x", "x", "x", "y", "y", "y", "y"]
        let blocked = try AssignmentSpace.blocked(blocks: blocks, allocation: try allocation([1, 1]))
        #expect(blocked.assignments.count == 6 * 6)
        for row in blocked.marginalProbabilities(arms: 2) { #expect(isClose(row[1], 0.5, relative: 1e-12)) }
        // Clustered: 4 clusters of unequal size, 1:1 → C(4, 2) = 6; units of a cluster share their arm.
        let clusters = ["c1", "c1", "c2", "c3", "c3", "c3", "c4"]
        let clustered = try AssignmentSpace.clustered(clusters: clusters, allocation: try allocation([1, 1]))
        #expect(clustered.assignments.count == 6)
        for (arms, _) in clustered.assignments { #expect(arms[0] == arms[1] && arms[3] == arms[4] && arms[4] == arms[5]) }
    }

    @Test func jointProbabilitiesMatchTheReferenceValues() throws {
        let a = try allocation([1, 1])
        // N = 5, p = 0.5 (randomizr): P(both treated) = 0.2, P(one each) = 0.3, P(both control) = 0.2.
        #expect(isClose(CompleteAssignment.jointProbability(units: 5, allocation: a, armA: 1, armB: 1), 0.2, relative: 1e-12))
        #expect(isClose(CompleteAssignment.jointProbability(units: 5, allocation: a, armA: 1, armB: 0), 0.3, relative: 1e-12))
        #expect(isClose(CompleteAssignment.jointProbability(units: 5, allocation: a, armA: 0, armB: 0), 0.2, relative: 1e-12))
        // N = 10, m = 5: P(both treated) = 2/9.
        #expect(isClose(CompleteAssignment.jointProbability(units: 10, allocation: a, armA: 1, armB: 1), 2.0 / 9, relative: 1e-12))
        // And the enumeration agrees for N = 5.
        let space = try AssignmentSpace.complete(units: 5, allocation: a)
        let both = space.assignments.filter { $0.arms[0] == 1 && $0.arms[1] == 1 }.map(\.probability).reduce(0, +)
        #expect(isClose(both, 0.2, relative: 1e-12))
    }

    @Test func blockedCountsPerBlockAreFloorOrCeiling() throws {
        for (w, seed) in Grid.product(Self.ratios, [1, 2, 3]) {
            let a = try allocation(w)
            // Blocks of sizes 1…7.
            let blocks = (1...7).flatMap { size in Array(repeating: "block\(size)", count: size) }
            let arms = BlockedAssignment.assign(blocks: blocks, allocation: a, generator: RandomGenerator(seed: UInt64(seed)))
            for size in 1...7 {
                let members = blocks.indices.filter { blocks[$0] == "block\(size)" }
                for k in w.indices {
                    let count = members.filter { arms[$0] == k }.count
                    let share = Double(size * w[k]) / Double(a.total)
                    #expect(count == Int(share.rounded(.down)) || count == Int(share.rounded(.up)), "w \(w) size \(size) arm \(k)")
                }
            }
        }
    }

    @Test func sameSeedSameAssignmentDifferentSeedDifferent() throws {
        let a = try allocation([1, 1])
        let x = CompleteAssignment.assign(units: 40, allocation: a, generator: RandomGenerator(seed: 9))
        let y = CompleteAssignment.assign(units: 40, allocation: a, generator: RandomGenerator(seed: 9))
        let z = CompleteAssignment.assign(units: 40, allocation: a, generator: RandomGenerator(seed: 10))
        #expect(x == y)
        #expect(x != z)
    }

    @Test func simpleAssignmentFrequenciesApproachTheWeights() throws {
        // 30,000 independent draws at 2:1: the share of arm 0 is 2/3 within 5 binomial SEs (0.0136).
        let arms = SimpleAssignment.assign(units: 30_000, allocation: try allocation([2, 1]), generator: RandomGenerator(seed: 3))
        let share = Double(arms.filter { $0 == 0 }.count) / 30_000
        #expect(abs(share - 2.0 / 3) < 5 * (2.0 / 9 / 30_000).squareRoot())
    }

    @Test func blockedClusteredRefusesClustersSpanningBlocks() throws {
        #expect(throws: AssignmentError.clusterSpansBlocks(cluster: "c1", blocks: ["x", "y"])) {
            try ClusteredAssignment.assign(clusters: ["c1", "c1", "c2"], blocks: ["x", "y", "y"],
                                           allocation: try allocation([1, 1]), generator: RandomGenerator(seed: 1))
        }
    }
}

func multinomial(_ counts: [Int]) -> Int {
    var result = 1, n = 0
    for c in counts { for i in 0..<c { n += 1; result = result * n / (i + 1) } }
    return result
}

@Suite struct AssignmentSpaceLimitTests {
    @Test func enumerationStopsAtItsLimit() throws {
        let a = try Allocation(arms: ["c", "t"], weights: [1, 1])
        #expect(throws: AssignmentError.spaceTooLarge(limit: 100)) { try AssignmentSpace.complete(units: 10, allocation: a, limit: 100) }
        #expect(try AssignmentSpace.complete(units: 10, allocation: a, limit: 252).assignments.count == 252)
    }
}
