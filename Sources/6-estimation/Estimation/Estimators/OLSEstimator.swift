/// `ols`: least squares of the outcome on the treatment (one indicator per non-control level, or the
/// column as a number), the covariates and absorbed fixed effects, with the specification's variance
/// (estimatr `lm_robust`).
enum OLSEstimator: EffectEstimator {
    static let description = "OLS regression of the outcome on the arm and covariates"

    static func check(_ spec: EstimationSpec, notes: inout [EstimationNote]) throws {
        try IntentionToTreatChecks.check(spec)
        try RegressionChecks.check(spec)
    }

    static func estimate(_ data: OutcomeRows, spec: EstimationSpec, result: inout EstimationResult) throws {
        var design = RegressionDesign(data)
        let p = data.prepared
        let coding = try TreatmentCoding.make(column: spec.treatment!, labels: data.rows.map { p.treatment![$0]! },
                                              control: spec.control, levelsOnly: false, outcome: data.outcome,
                                              notes: &result.notes)
        design.columns += coding.regressors; design.names += coding.terms
        for (name, values) in RegressionDesign.covariates(data) { design.columns.append(values); design.names.append(name) }
        try RegressionDesign.fitAndTidy(try design.problem(data, spec: spec), data, spec: spec, result: &result)
    }
}
