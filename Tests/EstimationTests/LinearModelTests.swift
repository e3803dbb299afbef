import NumericCore
import Tabular
import Testing
import TestSupport
@testable import Estimation

/// `LinearModel.fit`: the full covariance matrix behind `rct estimate`'s rows.
@Suite struct LinearModelTests {
    /// mtcars, mpg on hp and wt with `cyl` absorbed: coefficients, SEs and df equal `Estimation.estimate`'s
    /// rows (1e-12 relative) for every variance type, and the covariance is symmetric.
    @Test func agreesWithEstimateForEveryVariance() throws {
        let t = try DelimitedReader().read(path: Fixtures.path("fixtures/reference/mtcars.csv"))
        let mpg = try t.numericColumn("mpg").map { $0! }, hp = try t.numericColumn("hp").map { $0! }
        let wt = try t.numericColumn("wt").map { $0! }, cyl = try t.column("cyl")
        let data = try EstimationData(columns: [("mpg", mpg.map { "\($0)" }), ("hp", hp.map { "\($0)" }),
                                                ("wt", wt.map { "\($0)" }), ("cyl", cyl.map { $0 })])
        for variance in [VarianceType.classical, .hc0, .hc1, .hc2, .hc3] {
            let fit = try LinearModel.fit(y: mpg, regressors: [("hp", hp), ("wt", wt)], fixedEffects: cyl,
                                          fixedEffectsName: "cyl", variance: variance, outcome: "mpg")
            let rows = try Estimation.estimate(EstimationSpec(outcomes: ["mpg"], treatment: "hp", covariates: ["wt"],
                                                              fixedEffects: "cyl", variance: variance), data: data)
            #expect(fit.names == ["hp", "wt"])
            #expect(fit.residualDF == 32 - 2 - 3)
            for (j, name) in fit.names.enumerated() {
                let row = try #require(rows.row(term: name))
                #expect(isClose(fit.coefficients[j], row.estimate, relative: 1e-12), "\(variance) \(name)")
                #expect(isClose(fit.standardError(j), row.stdError, relative: 1e-12), "\(variance) \(name)")
            }
            #expect(isClose(fit.covariance[0, 1], fit.covariance[1, 0], relative: 1e-12))
        }
    }

    @Test func refusesClustersAndMismatchedLengths() {
        #expect(throws: EstimationError.self) {
            try LinearModel.fit(y: [1, 2, 3], regressors: [("x", [1, 2, 4])], variance: .cr2)
        }
        #expect(throws: EstimationError.self) {
            try LinearModel.fit(y: [1, 2, 3], regressors: [("x", [1, 2])])
        }
    }
}
