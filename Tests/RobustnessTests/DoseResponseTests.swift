import Estimation
import Testing
import TestSupport
@testable import Robustness

@Suite struct DoseResponseTests {
    /// The slope is the OLS/HC2 coefficient of the dose among the treated (mtcars: am = 1 as treated,
    /// hp as the dose, wt as covariate), as `rct estimate` computes it on those rows (1e-10 relative);
    /// control units play no part; the result is flagged non-experimental.
    @Test func slopeAmongTheTreatedIsFlaggedNonExperimental() throws {
        let t = try ReferenceCSV.read("fixtures/reference/mtcars.csv")
        let mpg = try ReferenceCSV.required(t, "mpg"), am = try ReferenceCSV.required(t, "am")
        let hp = try ReferenceCSV.required(t, "hp"), wt = try ReferenceCSV.required(t, "wt")
        let d = try DoseResponse(outcome: mpg, dose: hp, treated: am.map { $0 == 1 },
                                 covariates: [Covariate(name: "wt", values: wt)], outcomeName: "mpg", doseName: "hp")
        #expect(d.nonExperimental)
        #expect(d.label.hasPrefix("non-experimental"))
        let rows = am.indices.filter { am[$0] == 1 }
        #expect(d.units == rows.count && d.droppedRows == 0)
        let data = try EstimationData(numeric: [("mpg", rows.map { mpg[$0] }), ("hp", rows.map { hp[$0] }), ("wt", rows.map { wt[$0] })])
        let fit = try Estimation.estimate(EstimationSpec(outcomes: ["mpg"], treatment: "hp", covariates: ["wt"]), data: data)
        let slope = try #require(fit.row(term: "hp"))
        #expect(isClose(d.slope.estimate, slope.estimate, relative: 1e-10))
        #expect(isClose(d.slope.stdError, slope.stdError, relative: 1e-10))
        #expect(d.slope.df == slope.df)
        #expect(isClose(d.covariateCoefficients[0].estimate, fit.row(term: "wt")!.estimate, relative: 1e-10))
        // Changing every control outcome changes nothing.
        let shuffled = mpg.indices.map { am[$0] == 1 ? mpg[$0] : 1000 + Double($0) }
        let again = try DoseResponse(outcome: shuffled, dose: hp, treated: am.map { $0 == 1 },
                                     covariates: [Covariate(name: "wt", values: wt)])
        #expect(again.slope.estimate == d.slope.estimate)
    }

    @Test func constantDoseIsRefusedNamingTheColumn() throws {
        let y: [Double?] = [1, 2, 3, 4, 5, 6]
        let dose: [Double?] = [3, 3, 3, 3, nil, nil]
        do {
            _ = try DoseResponse(outcome: y, dose: dose, treated: [true, true, true, true, false, false], doseName: "hours")
            Issue.record("expected an error")
        } catch let error as EstimationError {
            #expect(error.description.contains("\"hours\""), "\(error)")
        }
    }
}
