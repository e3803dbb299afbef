import Estimation
import Testing
import TestSupport
@testable import Robustness

/// Differential attrition: (a) the response regression, (b) the joint interaction test.
@Suite struct AttritionTests {
    /// Without strata the coefficient is the difference in response rates and the HC2 SE is the
    /// Neyman SE √(r₁(1−r₁)/(N₁−1) + r₀(1−r₀)/(N₀−1)), over a grid of arm sizes and response counts.
    /// Tolerance 1e-12 (absolute, rates are ≤ 1).
    @Test func coefficientIsTheDifferenceInResponseRates() throws {
        for (n1, n0, k1) in Grid.product([3, 5, 8], [4, 7], [1, 2, 3]) {
            let k0 = min(n0 - 1, (k1 * 2) % n0 + 1)
            let observed = (0..<n1).map { $0 < k1 } + (0..<n0).map { $0 < k0 }
            let treated = [Bool](repeating: true, count: n1) + [Bool](repeating: false, count: n0)
            let a = try DifferentialAttrition(observed: observed, treated: treated)
            let r1 = Double(k1) / Double(n1), r0 = Double(k0) / Double(n0)
            #expect(isClose(a.responseRateTreated, r1, absolute: 1e-15))
            #expect(isClose(a.responseRateControl, r0, absolute: 1e-15))
            #expect(isClose(a.treatmentEffect.estimate, r1 - r0, absolute: 1e-12), "n1 \(n1) n0 \(n0) k1 \(k1)")
            let neyman = (r1 * (1 - r1) / Double(n1 - 1) + r0 * (1 - r0) / Double(n0 - 1)).squareRoot()
            #expect(isClose(a.treatmentEffect.stdError, neyman, absolute: 1e-12), "n1 \(n1) n0 \(n0) k1 \(k1)")
            #expect(a.treatmentEffect.df == Double(n1 + n0 - 2))
            #expect(a.interactionTest == nil)
        }
    }

    /// Hand example (fixtures/robustness/attrition_small.csv): blocks with unequal treated shares.
    /// Within-block differences 1 (A) and 0 (B), weights n p (1 − p) = 1 and 4/3: coefficient 3/7;
    /// unblocked 4/6 − 1/4 = 5/12. The SE with blocks equals estimatr-compatible OLS with the blocks as
    /// explicit dummies (direct sandwich), 1e-10 relative.
    @Test func blocksGiveTheWeightedWithinBlockDifference() throws {
        let observed = [1, 1, 0, 0, 1, 1, 0, 0, 1, 0].map { $0 == 1 }
        let treated = [1, 1, 0, 0, 1, 1, 1, 1, 0, 0].map { $0 == 1 }
        let blocks = ["A", "A", "A", "A", "B", "B", "B", "B", "B", "B"]
        let plain = try DifferentialAttrition(observed: observed, treated: treated)
        #expect(isClose(plain.treatmentEffect.estimate, 5.0 / 12, absolute: 1e-12))
        let blocked = try DifferentialAttrition(observed: observed, treated: treated, strata: blocks)
        #expect(isClose(blocked.treatmentEffect.estimate, 3.0 / 7, absolute: 1e-12))
        #expect(blocked.strata == 2)
        #expect(blocked.treatmentEffect.df == 7)
        let y = observed.map { $0 ? 1.0 : 0.0 }
        let direct = try DirectSandwich.wald(
            y: y, columns: [[Double](repeating: 1, count: 10), treated.map { $0 ? 1 : 0 }, blocks.map { $0 == "B" ? 1 : 0 }],
            R: [[0, 1, 0]])
        #expect(isClose(blocked.treatmentEffect.stdError, direct.V[1][1].squareRoot(), relative: 1e-10))
    }

    /// With one covariate the joint test is the square of the interaction's t statistic from
    /// `rct estimate`'s OLS (R ~ Z + X + Z·X, HC2), same p-value (1e-10 relative).
    @Test func oneCovariateTestIsTheSquaredInteractionT() throws {
        let table = try ReferenceCSV.read("fixtures/robustness/alo_star_men_response.csv")
        let r = try ReferenceCSV.required(table, "observed_y2")
        let z = try ReferenceCSV.required(table, "sfsp")
        let x = try ReferenceCSV.required(table, "gpa0")
        let a = try DifferentialAttrition(observed: r.map { $0 == 1 }, treated: z.map { $0 == 1 },
                                          covariates: [Covariate(name: "gpa0", values: x)], treatmentName: "sfsp")
        let test = try #require(a.interactionTest)
        #expect(test.numeratorDF == 1)
        #expect(test.denominatorDF == 153)
        let data = try EstimationData(numeric: [("r", r), ("sfsp", z), ("gpa0", x), ("zx", zip(z, x).map { $0 * $1 })])
        let ols = try Estimation.estimate(EstimationSpec(outcomes: ["r"], treatment: "sfsp", covariates: ["gpa0", "zx"]), data: data)
        let row = try #require(ols.row(term: "zx"))
        #expect(isClose(test.fStatistic, row.statistic * row.statistic, relative: 1e-10))
        #expect(isClose(test.pValue, row.pValue, relative: 1e-10))
        // Part (a) on the same data: 140 of 157 observed.
        #expect(a.units == 157)
        #expect(isClose(a.treatmentEffect.estimate, a.responseRateTreated - a.responseRateControl, absolute: 1e-12))
    }

    /// Two covariates and blocks: the F-test equals a direct, naive HC2 sandwich with explicit block
    /// dummies and uncentred covariates (1e-9 relative), and is unchanged by shifting and rescaling a
    /// covariate.
    @Test func jointTestMatchesADirectSandwich() throws {
        let table = try ReferenceCSV.read("fixtures/robustness/alo_star_men_response.csv")
        let r = try ReferenceCSV.required(table, "observed_y2")
        let z = try ReferenceCSV.required(table, "sfsp")
        let x1 = try ReferenceCSV.required(table, "gpa0")
        let x2 = try ReferenceCSV.required(table, "GPA_year1")
        let blocks = x1.map { $0 >= 80 ? "high" : "low" }
        let a = try DifferentialAttrition(observed: r.map { $0 == 1 }, treated: z.map { $0 == 1 }, strata: blocks,
                                          covariates: [Covariate(name: "gpa0", values: x1), Covariate(name: "y1", values: x2)])
        let test = try #require(a.interactionTest)
        let ones = [Double](repeating: 1, count: r.count)
        let columns = [ones, z, x1, x2, zip(z, x1).map { $0 * $1 }, zip(z, x2).map { $0 * $1 }, blocks.map { $0 == "high" ? 1 : 0 }]
        let direct = try DirectSandwich.wald(y: r, columns: columns, R: [[0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1, 0]])
        #expect(test.numeratorDF == 2)
        #expect(test.denominatorDF == Double(direct.df))
        #expect(isClose(test.fStatistic, direct.f, relative: 1e-9))
        #expect(isClose(test.pValue, direct.p, relative: 1e-9))
        let shifted = try DifferentialAttrition(observed: r.map { $0 == 1 }, treated: z.map { $0 == 1 }, strata: blocks,
                                                covariates: [Covariate(name: "gpa0", values: x1.map { ($0 - 50) / 10 }),
                                                             Covariate(name: "y1", values: x2)])
        #expect(isClose(shifted.interactionTest!.fStatistic, test.fStatistic, relative: 1e-9))
    }

    /// A missing covariate leaves its row out of (b) only.
    @Test func missingCovariateLeavesRowsOutOfTheInteractionTestOnly() throws {
        let observed = [1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1].map { $0 == 1 }
        let treated = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0].map { $0 == 1 }
        let x: [Double?] = [1, 2, nil, 4, 5, 6, 7, 8, 9, nil, 3, 2]
        let a = try DifferentialAttrition(observed: observed, treated: treated, covariates: [Covariate(name: "x", values: x)])
        #expect(a.units == 12)
        #expect(a.interactionUnits == 10)
        #expect(a.droppedForMissingCovariates == 2)
        #expect(isClose(a.treatmentEffect.estimate, 4.0 / 6 - 3.0 / 6, absolute: 1e-12))
    }

    @Test func refusesDataWithoutVariation() throws {
        #expect(throws: RobustnessError.self) {
            try DifferentialAttrition(observed: [true, true, true, true], treated: [true, false, true, false])
        }
        do {
            _ = try DifferentialAttrition(observed: [true, false, true], treated: [true, true, true], treatmentName: "arm")
            Issue.record("expected an error")
        } catch let error as RobustnessError {
            #expect(error.description.contains("\"arm\"") && error.description.contains("no control"))
        }
        #expect(throws: RobustnessError.self) {
            try DifferentialAttrition(observed: [true, false], treated: [true, false, true])
        }
    }
}
