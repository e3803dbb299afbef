import Estimation
import NumericCore

/// Tests of differential attrition: does the assignment change who is observed at follow-up?
///
/// **(a) Response rates.** The response indicator Rᵢ (1 = outcome observed) is regressed on the
/// treatment indicator Zᵢ, with the randomisation strata as fixed effects when given:
///
///     Rᵢ = α_s(i) + δ Zᵢ + eᵢ,   HC2 variance, t on N − 1 − L df (L strata; N − 2 without strata).
///
/// Without strata δ̂ is exactly the difference in response rates r̂₁ − r̂₀ and the HC2 SE is
/// √(r̂₁(1 − r̂₁)/(N₁ − 1) + r̂₀(1 − r̂₀)/(N₀ − 1)) (Neyman); with strata δ̂ is the precision-weighted
/// average of the within-stratum differences. R: `lm_robust(R ~ Z, fixed_effects = ~S)`; Stata:
/// `areg R Z, absorb(S) vce(hc2)` (Stata's `areg` counts df differently; `regress R Z i.S, vce(hc2)`
/// matches exactly).
///
/// **(b) Response composition.** With baseline covariates X₁ … X_m, the regression
///
///     Rᵢ = α_s(i) + δ Zᵢ + Σ_j β_j X̃ᵢⱼ + Σ_j γ_j Zᵢ X̃ᵢⱼ + eᵢ,   X̃ the covariates centred on the sample,
///
/// and the Wald F-test of γ₁ = … = γ_m = 0 with the HC2 variance, on F(m, N − K) with K = 2 + 2m − 1 + L
/// coefficients (2 + 2m with an intercept and no strata). A small p says the covariates predict
/// response differently in the two arms: the respondents of the arms are no longer comparable on X,
/// even when the response rates agree. Centring changes δ, not the γ's or the test. Rows with a
/// missing covariate are left out of (b) only (listwise; counted in `droppedForMissingCovariates`).
/// R: `lm_robust(R ~ Z * (X1 + X2), fixed_effects = ~S)` then `linearHypothesis(fit, c("Z:X1 = 0",
/// "Z:X2 = 0"), test = "F")`; Stata: `regress R i.Z##c.(X1 X2) i.S, vce(hc2)` then
/// `testparm i.Z#c.(X1 X2)`.
///
/// **Clustered.** With `clusters` both regressions have a cluster-robust variance (`clusterVariance`, CR2
/// by default, Bell–McCaffrey df for δ̂'s t) and the joint test (b) is referred to F(m, G − 1), G the
/// clusters (`WaldTest`): the response of units of one cluster is not independent. R: the same
/// `lm_robust` calls with `clusters = C, se_type = "CR2"`, the Wald statistic on `vcov()`.
public struct DifferentialAttrition: Sendable, Equatable {
    public var units: Int
    public var treatedUnits: Int
    public var controlUnits: Int
    public var responseRateTreated: Double
    public var responseRateControl: Double
    /// δ̂ of (a): the coefficient on the treatment in the response regression.
    public var treatmentEffect: Coefficient
    /// Whether (a) and (b) absorb strata, and how many.
    public var strata: Int?
    /// The joint test (b) of the treatment × covariate interactions; nil without covariates.
    public var interactionTest: WaldTest?
    /// The interaction terms of (b), `TREATMENT:COVARIATE`; empty without covariates.
    public var interactionTerms: [String] = []
    /// Rows used by (b), and rows left out of it for a missing covariate value.
    public var interactionUnits: Int?
    public var droppedForMissingCovariates: Int
    /// The variance of both regressions: HC2, or the cluster-robust one with clusters.
    public var variance: VarianceType = .hc2
    /// The number of clusters (nil when unclustered).
    public var clusterCount: Int?

    /// - Parameters:
    ///   - observed: one value per randomised unit: true when the outcome was observed.
    ///   - treated: true for the treated arm, false for control.
    ///   - strata: the randomisation stratum of each unit (absorbed as fixed effects), or nil.
    ///   - covariates: baseline covariates for test (b) (none: (b) is skipped).
    ///   - names: the column names of treatment, response and strata, for terms and messages.
    ///   - level: the confidence level of δ̂'s interval.
    ///   - clusters: the cluster of each unit, for cluster-robust variances (nil: HC2).
    ///   - clusterVariance: CR0, CR1 or CR2 (the default) with clusters.
    public init(observed: [Bool], treated: [Bool], strata: [String]? = nil, covariates: [Covariate] = [],
                treatmentName: String = "treatment", observedName: String = "observed",
                strataName: String = "strata", level: Double = 0.95,
                clusters: [String]? = nil, clusterVariance: VarianceType = .cr2) throws {
        try checkLevel(level)
        let n = observed.count
        try checkLengths(n, [(treatmentName, treated.count)] + (strata.map { [(strataName, $0.count)] } ?? [])
                         + covariates.map { ($0.name, $0.values.count) } + (clusters.map { [("clusters", $0.count)] } ?? []))
        let variance = try robustVariance(clusters: clusters, clusterVariance: clusterVariance)
        self.variance = variance
        clusterCount = clusters.map { Set($0).count }
        let n1 = treated.filter { $0 }.count
        guard n1 > 0, n1 < n else {
            throw RobustnessError.invalidInput("treatment column \"\(treatmentName)\" has \(n1 == 0 ? "no treated" : "no control") units; the attrition test compares the two arms")
        }
        let responded = observed.filter { $0 }.count
        guard responded > 0, responded < n else {
            throw RobustnessError.invalidInput("response column \"\(observedName)\" is \(responded == 0 ? "0 (not observed)" : "1 (observed)") for every unit: there is no variation in response to test")
        }
        units = n
        treatedUnits = n1
        controlUnits = n - n1
        responseRateTreated = Double(zip(observed, treated).filter { $0.0 && $0.1 }.count) / Double(n1)
        responseRateControl = Double(zip(observed, treated).filter { $0.0 && !$0.1 }.count) / Double(n - n1)
        let r = observed.map { $0 ? 1.0 : 0.0 }
        let z = treated.map { $0 ? 1.0 : 0.0 }
        let strataCount = strata.map { Set($0).count }
        self.strata = strataCount
        let responseName = observedName
        let fitA = try LinearModel.fit(y: r, regressors: [(treatmentName, z)], fixedEffects: strata,
                                       fixedEffectsName: strataName, variance: variance, clusters: clusters, outcome: responseName)
        treatmentEffect = try Coefficient(fitA, index: fitA.index(of: treatmentName)!, term: treatmentName, level: level)

        guard !covariates.isEmpty else {
            interactionTest = nil
            interactionUnits = nil
            droppedForMissingCovariates = 0
            return
        }
        let rows = (0..<n).filter { i in covariates.allSatisfy { $0.values[i] != nil } }
        droppedForMissingCovariates = n - rows.count
        interactionUnits = rows.count
        let zRows = rows.map { z[$0] }
        guard zRows.contains(1), zRows.contains(0) else {
            throw RobustnessError.invalidInput("after leaving out the rows with a missing covariate (\(n - rows.count)), treatment column \"\(treatmentName)\" has only one arm; the interaction test needs both")
        }
        var regressors: [(name: String, values: [Double])] = [(treatmentName, zRows)]
        var centred: [(name: String, values: [Double])] = []
        for c in covariates {
            let v = rows.map { c.values[$0]! }
            let mean = v.reduce(0, +) / Double(v.count)
            centred.append((c.name, v.map { $0 - mean }))
        }
        regressors += centred
        let interactionNames = centred.map { "\(treatmentName):\($0.name)" }
        for (c, name) in zip(centred, interactionNames) {
            regressors.append((name, zip(zRows, c.values).map { $0 * $1 }))
        }
        let fitB = try LinearModel.fit(y: rows.map { r[$0] }, regressors: regressors,
                                       fixedEffects: strata.map { s in rows.map { s[$0] } },
                                       fixedEffectsName: strataName, variance: variance,
                                       clusters: clusters.map { c in rows.map { c[$0] } }, outcome: responseName)
        interactionTerms = interactionNames
        interactionTest = try WaldTest(fit: fitB, zero: interactionNames)
    }
}
