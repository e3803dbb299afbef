/// `lin`: Lin (2013) — the covariates centred on the estimation sample (weighted means with weights)
/// and interacted with each treatment indicator (estimatr `lm_lin`); terms `NAME_c` and
/// `TREATMENT:NAME_c`.
enum LinEstimator: EffectEstimator {
    static let description = "Lin (2013) regression: covariates centred and interacted with the arm"

    static func check(_ spec: EstimationSpec, notes: inout [EstimationNote]) throws {
        try IntentionToTreatChecks.check(spec)
        try RegressionChecks.check(spec)
        if spec.covariates.isEmpty { throw EstimationError.invalidSpecification(.linWithoutCovariates) }
    }

    static func estimate(_ data: OutcomeRows, spec: EstimationSpec, result: inout EstimationResult) throws {
        var design = RegressionDesign(data)
        let coding = try design.addTreatment(data, spec: spec, levelsOnly: true, notes: &result.notes)
        let arms = coding.regressors
        var centred: [(String, [Double])] = []
        for (name, values) in RegressionDesign.covariates(data) {
            let w = data.weights ?? [Double](repeating: 1, count: values.count)
            let mean = zip(values, w).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
            centred.append((name + "_c", values.map { $0 - mean }))
        }
        for (name, values) in centred { design.columns.append(values); design.names.append(name) }
        for (arm, term) in zip(arms, coding.terms) {
            for (name, values) in centred {
                design.columns.append(zip(arm, values).map { $0 * $1 }); design.names.append(term + ":" + name)
            }
        }
        try RegressionDesign.fitAndTidy(try design.problem(data, spec: spec), data, spec: spec, result: &result)
    }
}
