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
        try design.addTreatment(data, spec: spec, levelsOnly: false, notes: &result.notes)
        for (name, values) in RegressionDesign.covariates(data) { design.columns.append(values); design.names.append(name) }
        try RegressionDesign.fitAndTidy(try design.problem(data, spec: spec), data, spec: spec, result: &result)
    }
}
