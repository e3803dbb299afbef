import Estimation
import Panel
import Reporting
import TrialDesign

/// The effect of assignment (ITT) and of treatment received for every outcome × wave, through
/// `Estimation.estimate`, the function `rct estimate` calls.
struct EffectEstimation {
    var outcomes: [OutcomeEffects]
    var warnings: [String]
    var deviations: [String]
    /// Primary outcome × wave cells that could not be estimated, one sentence each with the reason in
    /// the design's terms (keys, not flags).
    var unestimablePrimary: [String] = []
    /// Every outcome × wave cell that could not be estimated (primary or not).
    var unestimable: [String] = []

    /// Whether strata are absorbed: `analysis.strata_fixed_effects` (of `spec`, the primary by default)
    /// and the design has strata.
    static func usesStrata(_ design: Design, _ spec: AnalysisSpecification? = nil) -> Bool {
        (spec ?? design.analysis.primary).fixedEffects && !design.strata.isEmpty
    }

    /// The ITT specification of one outcome, from the design's specification `spec` (the primary by default):
    /// - `analysis.estimator`: `lin` → Lin (2013) with the covariates centred and interacted (estimatr
    ///   `lm_lin`); `ols` → OLS on arm + covariates (`lm_robust`); `dim` → difference in means with the
    ///   strata as blocks (`difference_in_means(blocks = stratum)`), no covariates; `iv` → the ITT is
    ///   the OLS fit (the 2SLS fit is the effect of treatment received).
    /// - `analysis.strata_fixed_effects: true` absorbs the stratum (`fixed_effects = ~stratum`).
    /// - `analysis.covariates` are the adjustment covariates (ids of `covariates`).
    /// - `analysis.variance` (not for `dim`, which chooses its variance from the design; `run` says so
    ///   once when the design asks for another variance than the default) and `analysis.level`.
    /// Treatment: the `arm` column with the control arm as the reference level, term `arm=<arm id>`.
    ///
    /// Command line equivalent (on the wave's rows of panel_wide.csv):
    /// `rct estimate --estimator lin --outcome Y --treatment arm --control control --covariates a,b
    /// --fixed-effects stratum --se hc2 --level 0.95` (`--blocks stratum` and no `--se` for `dim`).
    static func ittSpec(design: Design, spec: AnalysisSpecification? = nil, outcome: String, arms: ArmPair) -> EstimationSpec {
        let spec = spec ?? design.analysis.primary
        let strata = usesStrata(design, spec)
        // The effect of assignment of an iv design is its OLS (the 2SLS fit is the effect of treatment received).
        let estimator = spec.estimator == .iv ? .ols : spec.estimator
        // The clusters: always for a difference in means (it is clustered by them, estimatr's CR2), for
        // the regressions when the variance is cluster-robust (a sensitivity analysis may ask for a
        // variance that ignores them).
        let clustered = design.analysisClusters != nil && (estimator.takesBlocks || spec.variance.isClustered)
        let clusters = clustered ? WaveData.clusterColumn : nil
        if estimator.takesBlocks {
            return EstimationSpec(estimator: estimator, outcomes: [outcome], treatment: "arm", control: arms.control,
                                  blocks: strata ? "stratum" : nil, clusters: clusters, level: design.analysis.level)
        }
        return EstimationSpec(estimator: estimator, outcomes: [outcome], treatment: "arm", control: arms.control,
                              covariates: spec.covariates, fixedEffects: strata ? "stratum" : nil, clusters: clusters,
                              variance: spec.variance, level: design.analysis.level)
    }

    /// The effect of treatment received (`analysis.take_up`): 2SLS of the outcome on `take_up`
    /// instrumented by assignment (`treated`, 1 for the intervention arm), with the same covariates (as
    /// exogenous regressors, not interacted), fixed effects, variance and level as the ITT. estimatr:
    /// `iv_robust(Y ~ take_up + X | treated + X, fixed_effects = ~stratum, se_type = "HC2")`.
    /// Under one-sided non-compliance (no control family receives the intervention) this is the effect
    /// on the families who took it up (Bloom 1984).
    static func treatmentReceivedSpec(design: Design, outcome: String) -> EstimationSpec {
        EstimationSpec(estimator: .iv, outcomes: [outcome], covariates: design.analysis.covariates,
                       fixedEffects: usesStrata(design) ? "stratum" : nil,
                       clusters: design.analysisClusters != nil && design.analysis.variance.isClustered ? WaveData.clusterColumn : nil,
                       endogenous: ["take_up"], instruments: ["treated"],
                       variance: design.analysis.variance, level: design.analysis.level)
    }

    /// The variance a design gets when it does not state one: CR2 when clustered, HC2 otherwise.
    static func defaultVariance(_ design: Design) -> VarianceType {
        design.analysisClusters == nil ? .hc2 : .cr2
    }

    static func run(design: Design, waves: [WaveData], arms: ArmPair) throws -> EffectEstimation {
        var result = EffectEstimation(outcomes: [], warnings: [], deviations: [])
        if design.analysis.estimator.takesBlocks && design.analysis.variance != defaultVariance(design) {
            result.warnings.append(EstimationNote.varianceIgnoredByDim(design.analysis.variance).describe(.design))
        }
        let hasTakeUp = design.analysis.takeUp != nil
        var takeUpUnknown = false
        for outcome in design.outcomes {
            var byWave: [String: WaveEffect] = [:]
            for w in waves where outcome.windows[w.wave] != nil {
                guard w.measures(outcome.id) else {
                    if outcome.primary {
                        let failure = "\(outcome.label) at \(w.wave): not estimable (no family of the two compared arms has a value "
                            + "for outcome \(outcome.id) at this wave; check its source and windows)."
                        result.deviations.append(failure)
                        result.unestimable.append(failure)
                        result.unestimablePrimary.append(failure)
                    }
                    continue
                }
                let values = w.outcomes[outcome.id] ?? []
                let control = summary(values, treated: w.treated, arm: false, binary: outcome.type == .binary)
                let intervention = summary(values, treated: w.treated, arm: true, binary: outcome.type == .binary)
                let fit = ittFit(design: design, spec: design.analysis.primary, outcome: outcome, wave: w, arms: arms)
                result.warnings += fit.warnings
                if let failure = fit.failure {
                    result.deviations.append(failure)
                    result.unestimable.append(failure)
                    if outcome.primary { result.unestimablePrimary.append(failure) }
                }
                guard let itt = fit.row else { continue }
                var effect = WaveEffect(wave: w.wave, control: control, intervention: intervention, itt: term(itt))
                if hasTakeUp {
                    if w.takeUp.allSatisfy({ $0 == nil }) {
                        takeUpUnknown = true
                    } else {
                        do {
                            let fit = try Estimation.estimate(treatmentReceivedSpec(design: design, outcome: outcome.id), data: w.data)
                            effect.treatmentReceived = fit.row(term: "take_up").map(term)
                        } catch let error as EstimationError {
                            result.warnings.append("\(outcome.id), \(w.wave): effect of treatment received not estimable (\(error.describe(.design)))")
                        }
                    }
                }
                byWave[w.wave] = effect
            }
            guard !byWave.isEmpty else { continue }
            result.outcomes.append(OutcomeEffects(id: outcome.id, label: outcome.label, family: outcome.family,
                                                  kind: OutcomeKind(rawValue: outcome.type.rawValue) ?? .continuous,
                                                  primary: outcome.primary, waves: byWave))
        }
        if takeUpUnknown {
            result.deviations.append(design.reportCatalogue.methods.takeUpUnknown(design.analysis.takeUp!.column))
        }
        return result
    }

    /// The ITT fit of one outcome at one wave under `spec`: the treatment term (nil when not reported),
    /// the estimator's notes, and why it could not be estimated (a sentence for the report's deviations).
    static func ittFit(design: Design, spec: AnalysisSpecification, outcome: Outcome, wave w: WaveData,
                       arms: ArmPair) -> (row: EstimateRow?, warnings: [String], failure: String?) {
        let term = "arm=\(arms.intervention)"
        do {
            let fit = try Estimation.estimate(ittSpec(design: design, spec: spec, outcome: outcome.id, arms: arms), data: w.data)
            var warnings = fit.notes.map { "\(outcome.id), \(w.wave): \($0.describe(.design))" }
            let row = fit.row(term: term)
            if row == nil { warnings.append("\(outcome.id), \(w.wave): no \(term) term in the fit; not reported") }
            return (row, warnings, nil)
        } catch let error as EstimationError {
            return (nil, [], "\(outcome.label) at \(w.wave): not estimable (\(error.describe(.design))).")
        } catch {
            return (nil, [], "\(outcome.label) at \(w.wave): not estimable (\(error)).")
        }
    }

    /// n, mean, SD (n − 1; 0 below two values) and, for binary outcomes, the number of units with value 1.
    static func summary(_ values: [Double?], treated: [Bool], arm: Bool, binary: Bool) -> ArmSummary {
        let xs = zip(values, treated).compactMap { v, t in t == arm ? v : nil }
        let n = xs.count
        let mean = n > 0 ? xs.reduce(0, +) / Double(n) : .nan
        let sd = n > 1 ? (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot() : 0
        return ArmSummary(n: n, mean: mean, sd: sd, positives: binary ? xs.filter { $0 == 1 }.count : nil)
    }

    static func term(_ r: EstimateRow) -> TermEstimate {
        TermEstimate(term: r.term, estimate: r.estimate, stdError: r.stdError, statistic: r.statistic, df: r.df,
                     pValue: r.pValue, confLow: r.confLow, confHigh: r.confHigh, nObs: r.nObs,
                     nClusters: r.nClusters)
    }

    mutating func setRandomizationP(_ p: Double, outcome: String, wave: String) {
        guard let i = outcomes.firstIndex(where: { $0.id == outcome }), outcomes[i].waves[wave] != nil else { return }
        outcomes[i].waves[wave]!.randomizationP = p
    }
}
