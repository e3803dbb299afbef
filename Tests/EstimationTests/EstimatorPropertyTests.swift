// Properties and hand-worked cases for the parts of the estimators that estimatr_expected.csv does not
// cover: matched pairs, clustered and weighted differences in means, multi-arm treatments, weights,
// absorbed fixed effects against explicit dummies, the CR2 cluster-by-cluster computation, 2SLS and the
// first-stage F. Random data come from NumericCore's mt19937 with fixed seeds.
import Estimation
import NumericCore
import Testing
import TestSupport

/// Builds EstimationData from numeric and label columns.
func makeData(_ numeric: [(String, [Double?])], labels: [(String, [String?])] = []) throws -> EstimationData {
    let n = try EstimationData(numeric: numeric)
    var columns: [(name: String, values: [String?])] = []
    for name in n.columnNames { columns.append((name, try n.labels(name))) }
    for (name, values) in labels { columns.append((name, values)) }
    return try EstimationData(columns: columns)
}

/// A synthetic trial: N units in `clusters` clusters and `strata` strata, cluster-assigned 0/1
/// treatment (alternating clusters within strata), two covariates, a positive weight.
struct Synthetic {
    var y: [Double] = [], z: [Double] = [], x1: [Double] = [], x2: [Double] = [], w: [Double] = []
    var cluster: [String] = [], stratum: [String] = []

    init(n: Int, clusters: Int, strata: Int, seed: UInt64) {
        let g = RandomGenerator(seed: seed)
        for i in 0..<n {
            let c = i % clusters
            let s = c % strata
            let treated = Double((c / strata) % 2)
            let a = g.normal(), b = g.uniform()
            z.append(treated); x1.append(a); x2.append(b)
            w.append(0.5 + g.uniform())
            y.append(1 + 0.5 * treated + 0.8 * a - b + 0.3 * Double(s) + g.normal(sd: 1 + treated))
            cluster.append("c\(c)"); stratum.append("s\(s)")
        }
    }

    func data() throws -> EstimationData {
        try makeData([("y", y), ("z", z), ("x1", x1), ("x2", x2), ("w", w)],
                     labels: [("cluster", cluster), ("stratum", stratum)])
    }
}

@Suite struct DifferenceInMeansTests {
    @Test func matchedPairsByHand() throws {
        // Pair differences 2, 3, 0: τ̂ = 5/3, SE² = Σ(dⱼ − τ̂)² / (J(J−1)) = (42/9)/6, df = J − 1 = 2.
        let data = try makeData([("y", [3, 1, 5, 2, 4, 4]), ("z", [1, 0, 1, 0, 1, 0])],
                                labels: [("pair", ["a", "a", "b", "b", "c", "c"])])
        let r = try Estimation.estimate(.init(estimator: .dim, outcomes: ["y"], treatment: "z", blocks: "pair"), data: data)
        let row = try #require(r.row(term: "z"))
        #expect(isClose(row.estimate, 5.0 / 3, relative: 1e-12))
        #expect(isClose(row.stdError, (42.0 / 54).squareRoot(), relative: 1e-12))
        #expect(row.df == 2)
        #expect(r.notes.isEmpty)
    }

    @Test func matchedPairClustersByHand() throws {
        // Pair 1: treated cluster (4, 6), control cluster (1): τ̂₁ = 4, N₁ = 3. Pair 2: treated (3),
        // control (2, 2): τ̂₂ = 1, N₂ = 3. τ̂ = 2.5; SE² = J/((J−1)N²) Σ (Nⱼτ̂ⱼ − Nτ̂/J)² = 2/36 · 40.5 = 2.25.
        let data = try makeData([("y", [4, 6, 1, 3, 2, 2]), ("z", [1, 1, 0, 1, 0, 0])],
                                labels: [("pair", ["p1", "p1", "p1", "p2", "p2", "p2"]),
                                         ("cl", ["c1", "c1", "c2", "c3", "c4", "c4"])])
        let r = try Estimation.estimate(.init(estimator: .dim, outcomes: ["y"], treatment: "z", blocks: "pair", clusters: "cl"), data: data)
        let row = try #require(r.row(term: "z"))
        #expect(isClose(row.estimate, 2.5, relative: 1e-12))
        #expect(isClose(row.stdError, 1.5, relative: 1e-12))
        #expect(row.df == 1)
    }

    @Test func mixedPairAndLargerBlocksWarn() throws {
        let data = try makeData([("y", [3, 1, 5, 2, 4, 4, 7, 1]), ("z", [1, 0, 1, 0, 1, 0, 1, 0])],
                                labels: [("b", ["a", "a", "b", "b", "b", "b", "c", "c"])])
        let r = try Estimation.estimate(.init(estimator: .dim, outcomes: ["y"], treatment: "z", blocks: "b"), data: data)
        #expect(r.notes.count == 1)
        #expect(r.notes[0].description.contains("the matched-pairs variance is used"))
        #expect(r.row(term: "z")?.df == 2)
    }

    @Test func clusteredAndWeightedDifferenceInMeansAreTheRegressionWithCR2AndHC2() throws {
        for seed in [UInt64(1), 2, 3] {
            let s = Synthetic(n: 90, clusters: 18, strata: 3, seed: seed)
            let data = try s.data()
            let dim = try Estimation.estimate(.init(estimator: .dim, outcomes: ["y"], treatment: "z", clusters: "cluster"), data: data)
            let ols = try Estimation.estimate(.init(outcomes: ["y"], treatment: "z", clusters: "cluster", variance: .cr2), data: data)
            let a = try #require(dim.row(term: "z")), b = try #require(ols.row(term: "z"))
            #expect(isClose(a.estimate, b.estimate, relative: 1e-12) && isClose(a.stdError, b.stdError, relative: 1e-10)
                    && isClose(a.df, b.df, relative: 1e-10), "seed \(seed)")
            let wdim = try Estimation.estimate(.init(estimator: .dim, outcomes: ["y"], treatment: "z", weights: "w"), data: data)
            let wols = try Estimation.estimate(.init(outcomes: ["y"], treatment: "z", weights: "w", variance: .hc2), data: data)
            let c = try #require(wdim.row(term: "z")), d = try #require(wols.row(term: "z"))
            #expect(isClose(c.estimate, d.estimate, relative: 1e-12) && isClose(c.stdError, d.stdError, relative: 1e-10), "seed \(seed)")
            #expect(c.df == 88)
        }
    }

    @Test func multiArmComparesEachArmWithTheControl() throws {
        let y: [Double] = [1, 2, 3, 4, 2, 6, 7, 9, 5, 3, 8, 1]
        let arm = ["ctl", "a", "b", "ctl", "a", "b", "ctl", "a", "b", "ctl", "a", "b"]
        let data = try makeData([("y", y)], labels: [("arm", arm)])
        let r = try Estimation.estimate(.init(estimator: .dim, outcomes: ["y"], treatment: "arm", control: "ctl"), data: data)
        #expect(r.rows.map(\.term) == ["arm=a", "arm=b"])
        for level in ["a", "b"] {
            let keep = arm.indices.filter { arm[$0] == level || arm[$0] == "ctl" }
            let sub = try makeData([("y", keep.map { y[$0] }), ("t", keep.map { arm[$0] == level ? 1 : 0 })])
            let two = try Estimation.estimate(.init(estimator: .dim, outcomes: ["y"], treatment: "t"), data: sub)
            let a = try #require(r.row(term: "arm=\(level)")), b = try #require(two.row(term: "t"))
            #expect(isClose(a.estimate, b.estimate, relative: 1e-12) && isClose(a.stdError, b.stdError, relative: 1e-12)
                    && isClose(a.df, b.df, relative: 1e-12))
            #expect(a.nObs == 8)
        }
        // OLS with the arm indicators: coefficients are the differences of arm means.
        let ols = try Estimation.estimate(.init(outcomes: ["y"], treatment: "arm", control: "ctl"), data: data)
        #expect(ols.rows.map(\.term) == ["(Intercept)", "arm=a", "arm=b"])
        #expect(isClose(ols.row(term: "(Intercept)")!.estimate, 15.0 / 4, relative: 1e-12))  // control 1, 4, 7, 3
        #expect(isClose(ols.row(term: "arm=a")!.estimate, 21.0 / 4 - 15.0 / 4, relative: 1e-12))  // arm a 2, 2, 9, 8
    }

    @Test func textTreatmentWithoutControlTakesTheFirstLevelAndSaysSo() throws {
        let data = try makeData([("y", [1, 2, 3, 4, 5, 6])], labels: [("arm", ["t", "c", "t", "c", "t", "c"])])
        let r = try Estimation.estimate(.init(estimator: .dim, outcomes: ["y"], treatment: "arm"), data: data)
        #expect(r.rows.map(\.term) == ["arm=t"])
        // The note as data; its command-line wording is checked on `rct estimate` (EstimateCommandTests).
        #expect(r.notes == [.controlLevelChosen(treatment: "arm", levels: ["c", "t"], control: "c")])
    }

    @Test func blockWithOneTreatedUnitIsRefused() throws {
        let data = try makeData([("y", [1, 2, 3, 4, 5, 6, 7]), ("z", [1, 0, 0, 1, 1, 0, 0])],
                                labels: [("b", ["x", "x", "x", "y", "y", "y", "y"])])
        #expect(throws: EstimationError.blockTooSmall(column: "b", block: "x", arm: "1")) {
            try Estimation.estimate(.init(estimator: .dim, outcomes: ["y"], treatment: "z", blocks: "b"), data: data)
        }
    }
}

@Suite struct RegressionPropertyTests {
    @Test(arguments: [UInt64(11), 12, 13])
    func singletonClustersReduceToHeteroskedasticityRobust(seed: UInt64) throws {
        let s = Synthetic(n: 40, clusters: 40, strata: 4, seed: seed)
        let data = try s.data()
        for (clustered, plain) in [(VarianceType.cr0, VarianceType.hc0), (.cr2, .hc2)] {
            let a = try Estimation.estimate(.init(outcomes: ["y"], treatment: "z", covariates: ["x1"], clusters: "cluster", variance: clustered), data: data)
            let b = try Estimation.estimate(.init(outcomes: ["y"], treatment: "z", covariates: ["x1"], variance: plain), data: data)
            for (r, q) in zip(a.rows, b.rows) {
                #expect(isClose(r.stdError, q.stdError, relative: 1e-9), "\(clustered) \(r.term): \(r.stdError) vs \(q.stdError)")
            }
        }
    }

    /// Absorbing strata must give what explicit stratum dummies give: estimates, HC2/HC3/CR2 standard
    /// errors (their hat values include the strata) and CR2 degrees of freedom, weighted or not.
    @Test(arguments: Grid.product([VarianceType.classical, .hc1, .hc2, .hc3, .cr1, .cr2], [false, true]))
    func absorbedFixedEffectsEqualExplicitDummies(variance: VarianceType, weighted: Bool) throws {
        let s = Synthetic(n: 120, clusters: 24, strata: 4, seed: 7)
        var numeric: [(String, [Double?])] = [("y", s.y), ("z", s.z), ("x1", s.x1), ("w", s.w)]
        for level in 1..<4 { numeric.append(("d\(level)", s.stratum.map { $0 == "s\(level)" ? 1 : 0 })) }
        let data = try makeData(numeric, labels: [("cluster", s.cluster), ("stratum", s.stratum)])
        let clusters = variance.isClustered ? "cluster" : nil
        let absorbed = try Estimation.estimate(.init(outcomes: ["y"], treatment: "z", covariates: ["x1"], fixedEffects: "stratum",
                                                     clusters: clusters, weights: weighted ? "w" : nil, variance: variance), data: data)
        let dummies = try Estimation.estimate(.init(outcomes: ["y"], treatment: "z", covariates: ["x1", "d1", "d2", "d3"],
                                                    clusters: clusters, weights: weighted ? "w" : nil, variance: variance), data: data)
        #expect(absorbed.rows.map(\.term) == ["z", "x1"])
        for a in absorbed.rows {
            let b = try #require(dummies.row(term: a.term))
            #expect(isClose(a.estimate, b.estimate, relative: 1e-9), "\(a.term) estimate")
            #expect(isClose(a.stdError, b.stdError, relative: 1e-8), "\(a.term) se \(a.stdError) vs \(b.stdError)")
            #expect(isClose(a.df, b.df, relative: 1e-8), "\(a.term) df \(a.df) vs \(b.df)")
        }
    }

    @Test func integerWeightsEqualDuplicatedRows() throws {
        let s = Synthetic(n: 30, clusters: 30, strata: 3, seed: 21)
        let counts = s.w.map { $0 < 1 ? 1.0 : 2.0 }
        var rows: [Int] = []
        for (i, c) in counts.enumerated() { rows += Array(repeating: i, count: Int(c)) }
        let weighted = try makeData([("y", s.y), ("z", s.z), ("x1", s.x1), ("k", counts)], labels: [("stratum", s.stratum)])
        let expanded = try makeData([("y", rows.map { s.y[$0] }), ("z", rows.map { s.z[$0] }), ("x1", rows.map { s.x1[$0] })],
                                    labels: [("stratum", rows.map { s.stratum[$0] })])
        for estimator in [EstimationSpec.Estimator.ols, .lin] {
            let a = try Estimation.estimate(.init(estimator: estimator, outcomes: ["y"], treatment: "z", covariates: ["x1"], fixedEffects: "stratum", weights: "k"), data: weighted)
            let b = try Estimation.estimate(.init(estimator: estimator, outcomes: ["y"], treatment: "z", covariates: ["x1"], fixedEffects: "stratum"), data: expanded)
            #expect(a.rows.map(\.term) == b.rows.map(\.term))
            for (r, q) in zip(a.rows, b.rows) { #expect(isClose(r.estimate, q.estimate, relative: 1e-9), "\(estimator) \(r.term)") }
        }
    }

    @Test func cr2IsInvariantToRowOrderAndScalesToThousandsOfRows() throws {
        // 3000 observations in 300 clusters and 10 strata: CR2 works cluster by cluster (blocks of 10).
        let s = Synthetic(n: 3000, clusters: 300, strata: 10, seed: 5)
        let spec = EstimationSpec(estimator: .lin, outcomes: ["y"], treatment: "z", covariates: ["x1", "x2"], fixedEffects: "stratum",
                                  clusters: "cluster", weights: "w")
        let a = try Estimation.estimate(spec, data: try s.data())
        let order = RandomGenerator(seed: 9).permutation(3000)
        let shuffled = try makeData([("y", order.map { s.y[$0] }), ("z", order.map { s.z[$0] }), ("x1", order.map { s.x1[$0] }),
                                     ("x2", order.map { s.x2[$0] }), ("w", order.map { s.w[$0] })],
                                    labels: [("cluster", order.map { s.cluster[$0] }), ("stratum", order.map { s.stratum[$0] })])
        let b = try Estimation.estimate(spec, data: shuffled)
        #expect(a.rows.count == 5)
        for (r, q) in zip(a.rows, b.rows) {
            #expect(isClose(r.estimate, q.estimate, relative: 1e-9))
            #expect(isClose(r.stdError, q.stdError, relative: 1e-8))
            #expect(isClose(r.df, q.df, relative: 1e-8))
            #expect(r.df > 1 && r.df < 300, "\(r.term) df \(r.df)")
        }
    }

    @Test func exactlyIdentifiedInstrumentIsTheWaldRatioAndFirstStageFIsTheNestedModelF() throws {
        let g = RandomGenerator(seed: 3)
        let n = 60
        let z = (0..<n).map { _ in Double(g.integer(below: 2)) }
        let u = (0..<n).map { _ in g.normal() }
        let d = zip(z, u).map { $0 * 0.6 + 0.5 * $1 + g.normal() > 0.4 ? 1.0 : 0.0 }
        let y = zip(d, u).map { 2 * $0 + $1 + g.normal() }
        let data = try makeData([("y", y), ("d", d), ("z", z)])
        let r = try Estimation.estimate(.init(estimator: .iv, outcomes: ["y"], endogenous: ["d"], instruments: ["z"], variance: .classical), data: data)
        func cov(_ a: [Double], _ b: [Double]) -> Double {
            let ma = a.reduce(0, +) / Double(n), mb = b.reduce(0, +) / Double(n)
            return zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
        }
        #expect(isClose(r.row(term: "d")!.estimate, cov(z, y) / cov(z, d), relative: 1e-10))
        // First stage d ~ 1 + z: F = (RSS₀ − RSS₁) / (RSS₁ / (N − 2)).
        let ones = [Double](repeating: 1, count: n)
        let restricted = try LeastSquares.fit(try Matrix(columns: [ones]), d)
        let full = try LeastSquares.fit(try Matrix(columns: [ones, z]), d)
        let rss0 = restricted.residuals.reduce(0) { $0 + $1 * $1 }, rss1 = full.residuals.reduce(0) { $0 + $1 * $1 }
        let f = (rss0 - rss1) / (rss1 / Double(n - 2))
        let stage = try #require(r.firstStages.first)
        #expect(isClose(stage.fStatistic, f, relative: 1e-9))
        #expect(stage.numeratorDF == 1 && stage.denominatorDF == Double(n - 2))
    }

    @Test func eachOutcomeHasItsOwnListwiseDeletion() throws {
        let data = try makeData([("y1", [1, 2, nil, 4, 5, 6, 7, 8]), ("y2", [2, 1, 4, 3, 6, 5, 8, nil]),
                                 ("z", [0, 1, 0, 1, 0, 1, 0, 1]), ("x", [1, 3, 2, 5, 4, 6, nil, 7])])
        let r = try Estimation.estimate(.init(outcomes: ["y1", "y2"], treatment: "z", covariates: ["x"]), data: data)
        #expect(r.rows.filter { $0.outcome == "y1" }.allSatisfy { $0.nObs == 6 })
        #expect(r.rows.filter { $0.outcome == "y2" }.allSatisfy { $0.nObs == 6 })
        #expect(r.notes.map(\.description) == [
            "outcome \"y1\": 2 of 8 rows dropped for missing values in \"y1\", \"x\" (listwise deletion); 6 rows used",
            "outcome \"y2\": 2 of 8 rows dropped for missing values in \"x\", \"y2\" (listwise deletion); 6 rows used",
        ])
    }

    @Test(arguments: [0.8, 0.9, 0.99])
    func intervalUsesTheTQuantileOfTheLevel(level: Double) throws {
        let data = try ReferenceData.data("mtcars.csv")
        let r = try Estimation.estimate(.init(outcomes: ["mpg"], treatment: "am", level: level), data: data)
        let row = try #require(r.row(term: "am"))
        let q = try StudentT(degreesOfFreedom: row.df).quantile(1 - (1 - level) / 2)
        #expect(isClose(row.confHigh - row.estimate, q * row.stdError, relative: 1e-12))
        #expect(isClose(row.estimate - row.confLow, q * row.stdError, relative: 1e-12))
    }

    /// The problems as data; their command-line wording is checked on `rct estimate`
    /// (`EstimateCommandTests.badInputExitsWithANamedCause`).
    @Test func specificationErrorsSayWhatToDo() throws {
        let data = try ReferenceData.data("mtcars.csv")
        #expect(throws: EstimationError.invalidSpecification(.blocksWithoutDim(.ols, blocks: "cyl"))) {
            try Estimation.estimate(.init(outcomes: ["mpg"], treatment: "am", blocks: "cyl"), data: data)
        }
        #expect(throws: EstimationError.invalidSpecification(.linWithoutCovariates)) {
            try Estimation.estimate(.init(estimator: .lin, outcomes: ["mpg"], treatment: "am"), data: data)
        }
        #expect(throws: EstimationError.invalidWeight(column: "am", value: 0, line: 5)) {
            try Estimation.estimate(.init(outcomes: ["mpg"], treatment: "hp", weights: "am"), data: data)
        }
    }
}
