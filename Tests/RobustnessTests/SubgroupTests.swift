import Estimation
import Testing
import TestSupport
@testable import Robustness

/// Subgroup heterogeneity on R's mtcars (fixtures/reference/mtcars.csv): treatment `am`, subgroups
/// `vs` (two levels) and `cyl` (three levels), covariate `wt`.
@Suite struct SubgroupTests {
    struct Cars {
        let mpg: [Double], am: [Double], vs: [Double], cyl: [Double], wt: [Double]
        init() throws {
            let t = try ReferenceCSV.read("fixtures/reference/mtcars.csv")
            mpg = try ReferenceCSV.required(t, "mpg")
            am = try ReferenceCSV.required(t, "am")
            vs = try ReferenceCSV.required(t, "vs")
            cyl = try ReferenceCSV.required(t, "cyl")
            wt = try ReferenceCSV.required(t, "wt")
        }
        func label(_ v: [Double]) -> [String?] { v.map { String(Int($0)) } }
    }

    /// Two levels, no covariates: the equality test is the squared t of the single interaction in
    /// `rct estimate`'s OLS of mpg ~ am + vs + am·vs (HC2), with the same p (1e-10 relative); each level's
    /// ITT is the difference in means within the level.
    @Test func twoLevelsGiveTheSquaredInteractionT() throws {
        let c = try Cars()
        let s = try SubgroupHeterogeneity(outcome: c.mpg, treated: c.am.map { $0 == 1 }, subgroup: c.label(c.vs),
                                          outcomeName: "mpg", treatmentName: "am", subgroupName: "vs")
        #expect(s.levels.map(\.label) == ["0", "1"])
        let data = try EstimationData(numeric: [("mpg", c.mpg), ("am", c.am), ("vs", c.vs), ("amvs", zip(c.am, c.vs).map { $0 * $1 })])
        let ols = try Estimation.estimate(EstimationSpec(outcomes: ["mpg"], treatment: "am", covariates: ["vs", "amvs"]), data: data)
        let row = try #require(ols.row(term: "amvs"))
        #expect(s.equalityTest.numeratorDF == 1)
        #expect(s.equalityTest.denominatorDF == row.df)
        #expect(isClose(s.equalityTest.fStatistic, row.statistic * row.statistic, relative: 1e-10))
        #expect(isClose(s.equalityTest.pValue, row.pValue, relative: 1e-10))
        // The interaction is the difference of the two levels' effects.
        #expect(isClose(s.levels[1].effect.estimate - s.levels[0].effect.estimate, row.estimate, relative: 1e-10))
        for level in s.levels {
            let rows = c.vs.indices.filter { String(Int(c.vs[$0])) == level.label }
            let t = rows.filter { c.am[$0] == 1 }.map { c.mpg[$0] }, k = rows.filter { c.am[$0] == 0 }.map { c.mpg[$0] }
            let dim = t.reduce(0, +) / Double(t.count) - k.reduce(0, +) / Double(k.count)
            #expect(isClose(level.effect.estimate, dim, relative: 1e-10))
            #expect(level.treatedUnits == t.count && level.controlUnits == k.count)
        }
    }

    /// Three levels with a covariate: each level's ITT (estimate, SE, df, p, interval) is the separate
    /// regression `rct estimate` runs on that level's rows (1e-10 relative); the equality test equals a
    /// direct naive HC2 sandwich of the fully interacted model with explicit dummies (1e-9 relative).
    @Test func levelsAreSeparateRegressionsAndTheTestMatchesADirectSandwich() throws {
        let c = try Cars()
        let s = try SubgroupHeterogeneity(outcome: c.mpg, treated: c.am.map { $0 == 1 }, subgroup: c.label(c.cyl),
                                          covariates: [Covariate(name: "wt", values: c.wt)],
                                          outcomeName: "mpg", treatmentName: "am", subgroupName: "cyl")
        #expect(s.levels.map(\.label) == ["4", "6", "8"])
        #expect(s.units == 32 && s.droppedRows == 0)
        for level in s.levels {
            let rows = c.cyl.indices.filter { String(Int(c.cyl[$0])) == level.label }
            let data = try EstimationData(numeric: [("mpg", rows.map { c.mpg[$0] }), ("am", rows.map { c.am[$0] }),
                                                    ("wt", rows.map { c.wt[$0] })])
            let row = try #require(try Estimation.estimate(EstimationSpec(outcomes: ["mpg"], treatment: "am", covariates: ["wt"]),
                                                           data: data).row(term: "am"))
            #expect(isClose(level.effect.estimate, row.estimate, relative: 1e-10), "cyl \(level.label)")
            #expect(isClose(level.effect.stdError, row.stdError, relative: 1e-10), "cyl \(level.label)")
            #expect(level.effect.df == row.df)
            #expect(isClose(level.effect.pValue, row.pValue, relative: 1e-10))
            #expect(isClose(level.effect.confLow, row.confLow, relative: 1e-10))
            #expect(isClose(level.effect.confHigh, row.confHigh, relative: 1e-10))
        }
        // Direct: columns d4, d6, d8, am·d4, am·d6, am·d8, wt·d4, wt·d6, wt·d8 (no intercept).
        let d = ["4", "6", "8"].map { g in c.cyl.map { String(Int($0)) == g ? 1.0 : 0.0 } }
        let columns = d + d.map { zip($0, c.am).map { $0 * $1 } } + d.map { zip($0, c.wt).map { $0 * $1 } }
        let direct = try DirectSandwich.wald(y: c.mpg, columns: columns,
                                             R: [[0, 0, 0, -1, 1, 0, 0, 0, 0], [0, 0, 0, -1, 0, 1, 0, 0, 0]])
        #expect(s.equalityTest.numeratorDF == 2)
        #expect(s.equalityTest.denominatorDF == Double(direct.df))
        #expect(direct.df == 23)
        #expect(isClose(s.equalityTest.fStatistic, direct.f, relative: 1e-9))
        #expect(isClose(s.equalityTest.pValue, direct.p, relative: 1e-9))
        // The pooled HC2 variance of each level's effect equals the level's own HC2 variance.
        for (g, level) in s.levels.enumerated() {
            #expect(isClose(direct.V[3 + g][3 + g].squareRoot(), level.effect.stdError, relative: 1e-9))
        }
    }

    /// Missing outcome or subgroup cells are left out and counted.
    @Test func missingValuesAreLeftOutAndCounted() throws {
        let c = try Cars()
        var y: [Double?] = c.mpg
        y[0] = nil
        var g = c.label(c.vs)
        g[5] = nil
        let s = try SubgroupHeterogeneity(outcome: y, treated: c.am.map { $0 == 1 }, subgroup: g)
        #expect(s.units == 30 && s.droppedRows == 2)
        #expect(s.levels.map(\.units).reduce(0, +) == 30)
    }

    @Test func levelWithOneArmIsNamed() throws {
        let y: [Double?] = [1, 2, 3, 4, 5, 6, 7, 8]
        let z = [true, false, true, false, true, true, true, false]
        let g: [String?] = ["a", "a", "a", "a", "b", "b", "b", "c"]
        do {
            _ = try SubgroupHeterogeneity(outcome: y, treated: z, subgroup: g, subgroupName: "region")
            Issue.record("expected an error")
        } catch let error as RobustnessError {
            #expect(error.description.contains("level \"b\" of subgroup column \"region\" has no control units"), "\(error)")
        }
        do {
            _ = try SubgroupHeterogeneity(outcome: y, treated: z, subgroup: [String?](repeating: "a", count: 8), subgroupName: "region")
            Issue.record("expected an error")
        } catch let error as RobustnessError {
            #expect(error.description.contains("a single level (\"a\")"), "\(error)")
        }
    }

    @Test func numericLevelsSortNumerically() {
        #expect(SubgroupHeterogeneity.orderedLevels(["10", "9", "2", "10"]) == ["2", "9", "10"])
        #expect(SubgroupHeterogeneity.orderedLevels(["b", "10", "a"]) == ["10", "a", "b"])
    }
}
