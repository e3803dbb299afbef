import Foundation
import Inference
import NumericCore
import Testing
import TestSupport

/// The ri2 comparison case (fixtures/inference/ri_small.csv, see fixtures/inference/README.md).
struct RISmall {
    let y: [Double]
    let z: [Bool]
    let cluster: [String]
    let block: [String]

    init() throws {
        let lines = try Fixtures.contents("fixtures/inference/ri_small.csv")
            .split(separator: "\n").dropFirst()
        let cells = lines.map { $0.split(separator: ",").map { String($0).replacingOccurrences(of: "\"", with: "") } }
        y = cells.map { Double($0[0])! }
        z = cells.map { $0[1] == "1" }
        cluster = cells.map { $0[2] }
        block = cells.map { $0[3] }
    }

    func scheme() throws -> RandomizationScheme {
        try RandomizationScheme(treatment: z, blocks: block, clusters: cluster)
    }
}

@Suite struct RandomizationInferenceReferenceTests {
    /// ri2 0.5.1 on ri_small.csv: 36 assignments; IPW DIM 2.0 with p = 7/36 (two-tailed), 3/36 (upper),
    /// 34/36 (lower); plain DIM 1.9 with two-tailed p = 9/36. Counts are exact, so the tolerance is 1e-12.
    @Test func ipwDifferenceInMeansMatchesRI2() throws {
        let data = try RISmall()
        let scheme = try data.scheme()
        #expect(scheme.assignmentCount == 36)
        let r = try RandomizationInference.run(scheme: scheme, outcomes: [data.y], statistic: .inverseProbabilityWeighted,
                                               method: .exact)
        #expect(r.exact)
        #expect(r.assignments == 36)
        #expect(r.seed == nil && r.generator == nil)
        let o = r.outcomes[0]
        #expect(abs(o.estimate - 2.0) < 1e-12)
        #expect(abs(o.pTwoTailed - 7.0 / 36) < 1e-12)
        #expect(abs(o.pUpper - 3.0 / 36) < 1e-12)
        #expect(abs(o.pLower - 34.0 / 36) < 1e-12)
        #expect(o.monteCarloStandardError == nil)
    }

    @Test func differenceInMeansMatchesRI2() throws {
        let data = try RISmall()
        let r = try RandomizationInference.run(scheme: try data.scheme(), outcomes: [data.y], statistic: .differenceInMeans,
                                               method: .automatic(draws: 1000, seed: 1))
        #expect(r.exact)
        #expect(abs(r.outcomes[0].estimate - 1.9) < 1e-12)
        #expect(abs(r.outcomes[0].pTwoTailed - 9.0 / 36) < 1e-12)
    }

    @Test func probabilitiesFollowTheBlocks() throws {
        let scheme = try RISmall().scheme()
        // Blocks of 2, 3 and 4 clusters with 1, 2 and 2 treated.
        #expect(scheme.treatedPerBlock == [1, 2, 2])
        #expect(scheme.blockClusters.map(\.count) == [2, 3, 4])
        let p = scheme.probabilities
        #expect(p[0] == 0.5 && p[4] == 2.0 / 3 && p[17] == 0.5)
    }
}

@Suite struct EnumerationCombinatoricsTests {
    /// A design from cluster sizes per block and treated clusters per block; the first m_b clusters of
    /// each block are treated.
    static func design(_ clusterSizes: [[Int]], treated: [Int]) throws -> RandomizationScheme {
        var z: [Bool] = [], blocks: [String] = [], clusters: [String] = []
        var clusterId = 0
        for (b, sizes) in clusterSizes.enumerated() {
            for (c, size) in sizes.enumerated() {
                clusterId += 1
                for _ in 0..<size {
                    z.append(c < treated[b])
                    blocks.append("b\(b)")
                    clusters.append("c\(clusterId)")
                }
            }
        }
        return try RandomizationScheme(treatment: z, blocks: blocks, clusters: clusters)
    }

    static func choose(_ n: Int, _ k: Int) -> Int {
        (0..<k).reduce(1) { $0 * (n - $1) / ($1 + 1) }
    }

    /// Over a grid of small designs: the number of enumerated assignments is ∏ C(n_b, m_b), they are all
    /// distinct, each keeps m_b treated clusters in every block and whole clusters together, and every
    /// unit is treated in exactly a share m_b / n_b of them.
    @Test(arguments: [
        ([[1, 1, 1, 1, 1, 1]], [3]),                // complete: C(6,3) = 20
        ([[1, 1, 1, 1], [1, 1, 1, 1, 1]], [1, 2]),  // blocked: 4 × 10
        ([[2, 2], [2, 2, 2], [2, 2, 2, 2]], [1, 2, 2]), // ri_small's shape: 2 × 3 × 6 = 36
        ([[3, 1, 2], [1, 4]], [2, 1]),              // unequal clusters: 3 × 2
        ([[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]], [5]),    // C(10,5) = 252
        ([[1, 1, 1], [1, 1]], [3, 1]),              // a block with everyone treated
    ])
    func enumerationMatchesCombinatorics(sizes: [[Int]], treated: [Int]) throws {
        let scheme = try Self.design(sizes, treated: treated)
        let expected = zip(sizes, treated).reduce(1) { $0 * Self.choose($1.0.count, $1.1) }
        #expect(scheme.assignmentCount == expected)
        let all = try scheme.allAssignments()
        #expect(all.count == expected)
        #expect(Set(all).count == expected, "assignments repeat")
        for z in all {
            for b in 0..<scheme.blockCount {
                let treatedClusters = scheme.blockClusters[b].filter { z[scheme.clusterUnits[$0][0]] }
                #expect(treatedClusters.count == scheme.treatedPerBlock[b])
            }
            for units in scheme.clusterUnits { #expect(Set(units.map { z[$0] }).count == 1) }
        }
        let p = scheme.probabilities
        for i in 0..<scheme.unitCount {
            let share = Double(all.filter { $0[i] }.count) / Double(all.count)
            #expect(abs(share - p[i]) < 1e-12, "unit \(i)")
        }
    }

    @Test func tooManyAssignmentsForExactEnumeration() throws {
        let z = (0..<40).map { $0 < 20 }
        let scheme = try RandomizationScheme(treatment: z)
        #expect(scheme.assignmentCount == 137_846_528_820)
        #expect(throws: InferenceError.self) {
            try RandomizationInference.run(scheme: scheme, outcomes: [z.map { $0 ? 1 : 0 }], statistic: .differenceInMeans,
                                           method: .exact)
        }
    }
}

@Suite struct MonteCarloTests {
    /// Monte Carlo p-values converge to the exact ones: with 20,000 draws from a fixed seed, each lies
    /// within 4 Monte Carlo standard errors of the enumerated value (for ri_small's two statistics and a
    /// 12-unit complete design with 924 assignments).
    @Test func monteCarloConvergesToExact() throws {
        let data = try RISmall()
        let generated = (0..<12).map { Double(($0 * 7) % 5) + ($0 < 6 ? 0.8 : 0) }
        let cases: [(RandomizationScheme, [Double], RandomizationStatistic)] = [
            (try data.scheme(), data.y, .inverseProbabilityWeighted),
            (try data.scheme(), data.y, .differenceInMeans),
            (try RandomizationScheme(treatment: (0..<12).map { $0 < 6 }), generated, .differenceInMeans),
        ]
        for (scheme, y, statistic) in cases {
            let exact = try RandomizationInference.run(scheme: scheme, outcomes: [y], statistic: statistic, method: .exact)
            let mc = try RandomizationInference.run(scheme: scheme, outcomes: [y], statistic: statistic,
                                                    method: .monteCarlo(draws: 20_000, seed: 20_260_101))
            #expect(!mc.exact && mc.assignments == 20_000 && mc.seed == 20_260_101 && mc.generator == "mt19937")
            let e = exact.outcomes[0], m = mc.outcomes[0]
            let se = try #require(m.monteCarloStandardError)
            #expect(abs(se - (m.pTwoTailed * (1 - m.pTwoTailed) / 20_000).squareRoot()) < 1e-15)
            #expect(abs(m.pTwoTailed - e.pTwoTailed) <= 4 * max(se, 1e-3), "\(statistic): \(m.pTwoTailed) vs \(e.pTwoTailed)")
            let seUp = (e.pUpper * (1 - e.pUpper) / 20_000).squareRoot()
            #expect(abs(m.pUpper - e.pUpper) <= 4 * max(seUp, 1e-3))
            #expect(m.estimate == e.estimate)
        }
    }

    /// Monte Carlo draws keep the design: every drawn assignment's statistic is one of the exactly
    /// enumerated values (so draws keep block counts and whole clusters).
    @Test func drawsAreAssignmentsOfTheDesign() throws {
        let data = try RISmall()
        let scheme = try data.scheme()
        let exact = try RandomizationInference.run(scheme: scheme, outcomes: [data.y], statistic: .differenceInMeans, method: .exact)
        let values = exact.permuted[0]
        let mc = try RandomizationInference.run(scheme: scheme, outcomes: [data.y], statistic: .differenceInMeans,
                                                method: .monteCarlo(draws: 3_000, seed: 7))
        for v in mc.permuted[0] { #expect(values.contains { abs($0 - v) < 1e-12 }) }
        // All 36 values appear in 3,000 draws (each has probability 1/36).
        let distinctDrawn = Set(mc.permuted[0].map { ($0 * 1e9).rounded() })
        #expect(distinctDrawn == Set(values.map { ($0 * 1e9).rounded() }))
    }

    @Test func sameSeedSameDrawsAndOutcomesShareAssignments() throws {
        let n = 60
        let z = (0..<n).map { $0 % 2 == 0 }
        let y1 = (0..<n).map { Double($0 % 7) }
        let y2 = (0..<n).map { Double(($0 * 3) % 11) }
        let scheme = try RandomizationScheme(treatment: z, blocks: (0..<n).map { "b\($0 / 10)" })
        let method = RandomizationMethod.monteCarlo(draws: 2_500, seed: 99)
        let both = try RandomizationInference.run(scheme: scheme, outcomes: [y1, y2], statistic: .differenceInMeans, method: method)
        let again = try RandomizationInference.run(scheme: scheme, outcomes: [y1, y2], statistic: .differenceInMeans, method: method)
        let first = try RandomizationInference.run(scheme: scheme, outcomes: [y1], statistic: .differenceInMeans, method: method)
        let second = try RandomizationInference.run(scheme: scheme, outcomes: [y2], statistic: .differenceInMeans, method: method)
        #expect(both.permuted == again.permuted)
        #expect(both.permuted[0] == first.permuted[0])
        #expect(both.permuted[1] == second.permuted[0])
        let other = try RandomizationInference.run(scheme: scheme, outcomes: [y1], statistic: .differenceInMeans,
                                                   method: .monteCarlo(draws: 2_500, seed: 100))
        #expect(other.permuted[0] != first.permuted[0])
    }
}

@Suite struct RegressionStatisticTests {
    /// Generated data: N units in blocks, two covariates, an outcome with an effect.
    static func data(n: Int, blocks: Int, seed: UInt64) -> (z: [Bool], blocks: [String], x: [[Double]], y: [Double]) {
        let g = RandomGenerator(seed: seed)
        var z: [Bool] = [], b: [String] = [], x1: [Double] = [], x2: [Double] = [], y: [Double] = []
        for i in 0..<n {
            let block = i % blocks
            b.append("B\(block)")
            z.append((i / blocks) % 2 == 0)
            let a = g.normal(), c = g.uniform()
            x1.append(a); x2.append(c)
            y.append(1 + 0.5 * Double(block) + 0.7 * a - 0.4 * c + (z.last! ? 0.3 : 0) + g.normal(sd: 1 + c))
        }
        return (z, b, [x1, x2], y)
    }

    /// Without blocks or covariates the OLS coefficient is the difference in means.
    @Test func olsWithoutCovariatesIsTheDifferenceInMeans() throws {
        let d = Self.data(n: 14, blocks: 1, seed: 3)
        let scheme = try RandomizationScheme(treatment: d.z)
        let dim = try RandomizationInference.run(scheme: scheme, outcomes: [d.y], statistic: .differenceInMeans, method: .exact)
        let ols = try RandomizationInference.run(scheme: scheme, outcomes: [d.y], statistic: .olsCoefficient, method: .exact)
        #expect(dim.assignments == 3432)
        for (a, b) in zip(dim.permuted[0], ols.permuted[0]) { #expect(abs(a - b) < 1e-10) }
    }

    /// The FWL shortcut equals a direct fit of Y on [block indicators, covariates, Z] (LeastSquares.fit)
    /// with the HC2 standard error computed from the full hat matrix, for the observed assignment and for
    /// a set of re-drawn ones.
    @Test(arguments: [1, 3])
    func olsAndStudentizedMatchDirectFit(blockCount: Int) throws {
        let d = Self.data(n: 30, blocks: blockCount, seed: 11)
        let scheme = try RandomizationScheme(treatment: d.z, blocks: d.blocks)
        let ols = try RandomizationInference.run(scheme: scheme, outcomes: [d.y], statistic: .olsCoefficient,
                                                 covariates: d.x, method: .monteCarlo(draws: 5, seed: 5))
        let t = try RandomizationInference.run(scheme: scheme, outcomes: [d.y], statistic: .studentized,
                                               covariates: d.x, method: .monteCarlo(draws: 5, seed: 5))
        let direct = try Self.directFit(z: d.z, blocks: d.blocks, blockCount: blockCount, x: d.x, y: d.y)
        #expect(isClose(ols.outcomes[0].estimate, direct.beta, relative: 1e-9))
        #expect(isClose(t.outcomes[0].estimate, direct.beta / direct.se, relative: 1e-9))
    }

    static func directFit(z: [Bool], blocks: [String], blockCount: Int, x: [[Double]], y: [Double]) throws -> (beta: Double, se: Double) {
        let n = z.count
        var columns: [[Double]] = (0..<blockCount).map { b in blocks.map { $0 == "B\(b)" ? 1 : 0 } }
        columns += x
        columns.append(z.map { $0 ? 1 : 0 })
        let X = try Matrix(columns: columns)
        let fit = try LeastSquares.fit(X, y)
        let k = columns.count
        let bread = fit.unscaledCovariance
        // HC2: (X'X)⁻¹ X' diag(e²/(1−h)) X (X'X)⁻¹, Z element.
        var meat = Matrix(rows: k, columns: k)
        for i in 0..<n {
            let xi = X.row(i)
            let v = try bread.multiplied(by: xi)
            let h = zip(xi, v).reduce(0) { $0 + $1.0 * $1.1 }
            let w = fit.residuals[i] * fit.residuals[i] / (1 - h)
            for a in 0..<k { for b in 0..<k { meat[a, b] += w * xi[a] * xi[b] } }
        }
        let v = try bread.multiplied(by: meat).multiplied(by: bread)
        return (fit.coefficients[k - 1], v[k - 1, k - 1].squareRoot())
    }

    /// Re-drawn assignments: recompute each permuted statistic by a direct fit for a small design where
    /// all assignments are enumerated.
    @Test func everyEnumeratedStatisticMatchesDirectFit() throws {
        let d = Self.data(n: 10, blocks: 2, seed: 17)
        let scheme = try RandomizationScheme(treatment: d.z, blocks: d.blocks)
        let t = try RandomizationInference.run(scheme: scheme, outcomes: [d.y], statistic: .studentized,
                                               covariates: [d.x[0]], method: .exact)
        let all = try scheme.allAssignments()
        #expect(all.count == 100)
        for (s, z) in all.enumerated() where s % 7 == 0 {
            let direct = try Self.directFit(z: z, blocks: d.blocks, blockCount: 2, x: [d.x[0]], y: d.y)
            #expect(isClose(t.permuted[0][s], direct.beta / direct.se, relative: 1e-8), "assignment \(s)")
        }
    }
}

extension RegressionStatisticTests {
    /// Clusters of unequal size (so the treated units per block vary between assignments): every
    /// enumerated OLS coefficient and HC2 t equals a direct fit.
    @Test func unequalClustersMatchDirectFit() throws {
        let clusterSizes = [[2, 1, 3, 1], [1, 2, 2]]
        var z: [Bool] = [], blocks: [String] = [], clusters: [String] = []
        for (b, sizes) in clusterSizes.enumerated() {
            for (c, size) in sizes.enumerated() {
                for _ in 0..<size { z.append(c % 2 == 0); blocks.append("B\(b)"); clusters.append("c\(b)-\(c)") }
            }
        }
        let n = z.count
        var x: [Double] = [], y: [Double] = []
        for i in 0..<n {
            let xi = Double((i * 5) % 7) / 3
            let bump: Double = i % 4 == 0 ? 1.1 : 0
            x.append(xi)
            y.append(Double((i * 3) % 5) + 0.4 * xi + bump)
        }
        let scheme = try RandomizationScheme(treatment: z, blocks: blocks, clusters: clusters)
        let ols = try RandomizationInference.run(scheme: scheme, outcomes: [y], statistic: .olsCoefficient, covariates: [x], method: .exact)
        let t = try RandomizationInference.run(scheme: scheme, outcomes: [y], statistic: .studentized, covariates: [x], method: .exact)
        let all = try scheme.allAssignments()
        #expect(all.count == 6 * 3)
        for (s, assignment) in all.enumerated() {
            let direct = try Self.directFit(z: assignment, blocks: blocks, blockCount: 2, x: [x], y: y)
            #expect(isClose(ols.permuted[0][s], direct.beta, relative: 1e-9), "assignment \(s)")
            #expect(isClose(t.permuted[0][s], direct.beta / direct.se, relative: 1e-8), "assignment \(s)")
        }
    }
}

@Suite struct RandomizationInputErrorTests {
    @Test func clusterAcrossBlocks() {
        #expect(throws: InferenceError.invalidDesign(
            "cluster \"c1\" has units in block \"A\" and in block \"B\"; a cluster must lie within one block")) {
            try RandomizationScheme(treatment: [true, true, false, false], blocks: ["A", "B", "A", "B"],
                                    clusters: ["c1", "c1", "c2", "c2"])
        }
    }

    @Test func clusterWithMixedArms() {
        #expect(throws: InferenceError.self) {
            try RandomizationScheme(treatment: [true, false, false, true], clusters: ["a", "a", "b", "b"])
        }
    }

    @Test func everyoneTreatedOrLengthsDiffer() {
        #expect(throws: InferenceError.self) { try RandomizationScheme(treatment: [true, true, true]) }
        #expect(throws: InferenceError.self) { try RandomizationScheme(treatment: [true, false], blocks: ["a"]) }
    }

    @Test func covariatesNeedARegressionStatisticAndOutcomesMustBeComplete() throws {
        let scheme = try RandomizationScheme(treatment: [true, false, true, false])
        #expect(throws: InferenceError.self) {
            try RandomizationInference.run(scheme: scheme, outcomes: [[1, 2, 3, 4]], statistic: .differenceInMeans,
                                           covariates: [[1, 2, 3, 4]], method: .exact)
        }
        #expect(throws: InferenceError.self) {
            try RandomizationInference.run(scheme: scheme, outcomes: [[1, .nan, 3, 4]], statistic: .differenceInMeans, method: .exact)
        }
        // A covariate equal to the treatment makes the coefficient inestimable.
        #expect(throws: InferenceError.self) {
            try RandomizationInference.run(scheme: scheme, outcomes: [[1, 2, 3, 4]], statistic: .olsCoefficient,
                                           covariates: [[1, 0, 1, 0]], method: .exact)
        }
    }
}
