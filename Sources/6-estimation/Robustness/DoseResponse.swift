import Estimation
import NumericCore

/// The association between the dose of the intervention received (e.g. case-manager hours) and the
/// outcome among the treated: **non-experimental**.
///
///     Yᵢ = α + θ Doseᵢ + Xᵢ′β + eᵢ   on treated units only,   HC2 variance, t on n₁ − 2 − m df.
///
/// R: `lm_robust(Y ~ dose + X, data = subset(d, Z == 1))`; Stata: `regress Y dose X if Z == 1, vce(hc2)`.
///
/// Why θ̂ is not a causal effect: randomisation assigned the offer, not the dose. Within the treated arm
/// the dose is chosen by the families and the case managers — families with more needs (or more
/// engagement) receive more hours — so θ̂ mixes the effect of a higher dose with the differences
/// between the families who receive it, and covariates remove only the differences that are measured.
/// The comparison with the control arm, which protects the ITT from such selection, is not used at all.
/// Every result therefore carries `nonExperimental = true` and a label saying so; report it as
/// descriptive, next to (never instead of) the ITT.
public struct DoseResponse: Sendable, Equatable {
    /// Always true: the result is an association, not an experimental estimate.
    public let nonExperimental = true
    /// A sentence for tables and reports.
    public let label = "non-experimental: association between dose and outcome among the treated; the dose was not randomised"
    /// θ̂: the change in the outcome per unit of dose, with HC2 inference.
    public var slope: Coefficient
    /// Covariate coefficients of the same regression.
    public var covariateCoefficients: [Coefficient]
    /// Treated units used, and treated units left out for a missing outcome, dose or covariate.
    public var units: Int
    public var droppedRows: Int

    /// - Parameters:
    ///   - outcome: one value per unit (all units; control units are ignored), nil when missing.
    ///   - dose: the dose received, nil when missing.
    ///   - treated: true for the treated arm.
    ///   - covariates: baseline covariates.
    public init(outcome: [Double?], dose: [Double?], treated: [Bool], covariates: [Covariate] = [],
                outcomeName: String = "outcome", doseName: String = "dose", treatmentName: String = "treatment",
                level: Double = 0.95) throws {
        try checkLevel(level)
        let n = outcome.count
        try checkLengths(n, [(doseName, dose.count), (treatmentName, treated.count)]
                         + covariates.map { ($0.name, $0.values.count) })
        let treatedRows = (0..<n).filter { treated[$0] }
        guard !treatedRows.isEmpty else {
            throw RobustnessError.invalidInput("treatment column \"\(treatmentName)\" has no treated units; the dose-response regression uses the treated arm only")
        }
        let rows = treatedRows.filter { i in
            outcome[i] != nil && dose[i] != nil && covariates.allSatisfy { $0.values[i] != nil }
        }
        units = rows.count
        droppedRows = treatedRows.count - rows.count
        guard rows.count > 2 + covariates.count else {
            throw RobustnessError.invalidInput("only \(rows.count) treated units have \"\(outcomeName)\", \"\(doseName)\" and the covariates; at least \(3 + covariates.count) are needed")
        }
        var regressors: [(name: String, values: [Double])] = [(doseName, rows.map { dose[$0]! })]
        for c in covariates { regressors.append((c.name, rows.map { c.values[$0]! })) }
        let fit = try LinearModel.fit(y: rows.map { outcome[$0]! }, regressors: regressors, variance: .hc2,
                                      outcome: outcomeName)
        slope = try Coefficient(fit, index: 1, term: doseName, level: level)
        covariateCoefficients = try covariates.indices.map {
            try Coefficient(fit, index: 2 + $0, term: covariates[$0].name, level: level)
        }
    }
}
