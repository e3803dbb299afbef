/// `iv`: two-stage least squares of the outcome on the endogenous regressors, instrumented by the
/// instruments, with the covariates as exogenous regressors (estimatr `iv_robust`), and the first-stage
/// F of each endogenous regressor.
enum TwoStageEstimator: EffectEstimator {
    static let description = "OLS for the effect of assignment; two-stage least squares for the effect of treatment received"

    static func check(_ spec: EstimationSpec, notes: inout [EstimationNote]) throws {
        guard spec.treatment == nil else { throw EstimationError.invalidSpecification(.treatmentWithIV) }
        guard !spec.endogenous.isEmpty, !spec.instruments.isEmpty else {
            throw EstimationError.invalidSpecification(.ivWithoutInstruments)
        }
        guard spec.instruments.count >= spec.endogenous.count else {
            throw EstimationError.invalidSpecification(.tooFewInstruments(instruments: spec.instruments.count,
                                                                          endogenous: spec.endogenous.count))
        }
        try RegressionChecks.check(spec)
    }

    static func estimate(_ data: OutcomeRows, spec: EstimationSpec, result: inout EstimationResult) throws {
        var design = RegressionDesign(data)
        let p = data.prepared, rows = data.rows
        let covariates = RegressionDesign.covariates(data)
        for e in p.endogenous { design.columns.append(rows.map { e.values[$0]! }); design.names.append(e.name) }
        for (name, values) in covariates { design.columns.append(values); design.names.append(name) }
        for z in p.instruments { design.instrumentColumns.append(rows.map { z.values[$0]! }); design.instrumentNames.append(z.name) }
        for (name, values) in covariates { design.instrumentColumns.append(values); design.instrumentNames.append(name) }
        let problem = try design.problem(data, spec: spec)
        try RegressionDesign.fitAndTidy(problem, data, spec: spec, result: &result)
        result.firstStages += try Estimation.firstStages(problem: problem, outcome: data.outcome, spec: spec, rows: rows, prepared: p)
    }
}
