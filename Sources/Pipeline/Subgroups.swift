import Estimation
import Panel
import Reporting
import TrialDesign

/// The pre-specified subgroup analyses (`subgroups`): for every primary outcome at every wave it is
/// measured, the ITT effect within each level of the subgroup's cohort column and the test of the
/// arm × subgroup interaction.
///
/// - Effect within a level: OLS of the outcome on the arm with the design's `analysis.covariates` that
///   vary within the level and the strata as fixed effects when the level holds more than one stratum
///   (`analysis.variance`, `analysis.level`). estimatr: `lm_robust(Y ~ arm + X, fixed_effects = ~stratum,
///   subset = group == level)`.
/// - Interaction: OLS on the whole wave of the outcome on the arm, the level indicator, their product and
///   the covariates, strata absorbed (the level indicator is left out when the subgroup column is a
///   stratum column or the column of an adjustment covariate: the model already holds it); the p-value of the product's coefficient. Only for
///   subgroups with two levels (a joint test over more levels is not available yet; those get no row).
enum Subgroups {
    static func rows(design: Design, waves: [WaveData], arms: ArmPair) -> (rows: [SubgroupRow], notes: [String]) {
        var out: [SubgroupRow] = [], notes: [String] = []
        let variance = EffectEstimation.variance(design)
        let strataColumns = Set(design.strata.map(\.column))
        let useStrata = EffectEstimation.usesStrata(design)
        for subgroup in design.subgroups {
            for outcome in design.outcomes where outcome.primary {
                for w in waves where outcome.windows[w.wave] != nil && w.measures(outcome.id) {
                    let group = w.rows.map { $0.cohort[subgroup.column].flatMap { $0.isEmpty ? nil : $0 } }
                    let levels = Array(Set(group.compactMap { $0 })).sorted()
                    guard levels.count == 2 else {
                        notes.append("subgroup \(subgroup.id): \(levels.count) levels at \(w.wave); the interaction test needs two")
                        continue
                    }
                    let y = w.outcomes[outcome.id]!
                    func text(_ v: Double?) -> String? { v.map(PanelCSV.formatNumber) }
                    var estimates: [(level: String, estimate: TermEstimate)] = []
                    for level in levels {
                        let idx = w.rows.indices.filter { group[$0] == level }
                        let covariates = design.analysis.covariates.filter { c in
                            let vs = idx.compactMap { w.covariates[c]?[$0] }
                            return Set(vs).count > 1
                        }
                        let strata = useStrata && Set(idx.compactMap { w.strata[$0] }).count > 1
                        var columns: [(name: String, values: [String?])] = [
                            ("y", idx.map { text(y[$0]) }), ("arm", idx.map { w.rows[$0].arm }),
                            ("stratum", idx.map { w.strata[$0] }),
                        ]
                        for c in covariates { columns.append((c, idx.map { text(w.covariates[c]![$0]) })) }
                        let spec = EstimationSpec(estimator: .ols, outcomes: ["y"], treatment: "arm", control: arms.control,
                                                  covariates: covariates, fixedEffects: strata ? "stratum" : nil,
                                                  variance: variance, level: design.analysis.level)
                        if let data = try? EstimationData(columns: columns), let fit = try? Estimation.estimate(spec, data: data),
                           let row = fit.row(term: "arm=\(arms.intervention)") {
                            estimates.append((level, EffectEstimation.term(row)))
                        }
                    }
                    guard estimates.count == 2 else {
                        notes.append("subgroup \(subgroup.id), \(outcome.id), \(w.wave): an effect within a level is not estimable")
                        continue
                    }
                    let dummy = group.map { g -> String? in g.map { $0 == levels[1] ? "1" : "0" } }
                    let product = w.rows.indices.map { i -> String? in dummy[i].map { w.treated[i] && $0 == "1" ? "1" : "0" } }
                    // The level indicator is already in the model when the subgroup column is a stratum (absorbed
                    // by the fixed effects) or an adjustment covariate (e.g. single_parent).
                    let covariateColumns = Set(design.covariates.filter { design.analysis.covariates.contains($0.id) }.compactMap(\.column))
                    let absorbed = (strataColumns.contains(subgroup.column) && useStrata) || covariateColumns.contains(subgroup.column)
                    var columns: [(name: String, values: [String?])] = [
                        ("y", y.map(text)), ("arm", w.rows.map(\.arm)), ("stratum", w.strata), ("arm_x_subgroup", product),
                    ]
                    if !absorbed { columns.append(("subgroup", dummy)) }
                    for c in design.analysis.covariates { columns.append((c, (w.covariates[c] ?? []).map(text))) }
                    let spec = EstimationSpec(estimator: .ols, outcomes: ["y"], treatment: "arm", control: arms.control,
                                              covariates: design.analysis.covariates + (absorbed ? [] : ["subgroup"]) + ["arm_x_subgroup"],
                                              fixedEffects: useStrata ? "stratum" : nil, variance: variance, level: design.analysis.level)
                    let interaction: EstimateRow
                    do {
                        let fit = try Estimation.estimate(spec, data: try EstimationData(columns: columns))
                        guard let row = fit.row(term: "arm_x_subgroup") else { throw EstimationError.invalidSpecification("no interaction term") }
                        interaction = row
                    } catch {
                        notes.append("subgroup \(subgroup.id), \(outcome.id), \(w.wave): the interaction is not estimable (\(error))")
                        continue
                    }
                    let waveLabel = design.waves.first { $0.id == w.wave }?.label ?? w.wave
                    out.append(SubgroupRow(outcome: outcome.label, wave: waveLabel, subgroup: subgroup.label,
                                           levels: estimates.map { ("\(subgroup.column) = \($0.level)", $0.estimate) },
                                           interactionP: interaction.pValue))
                }
            }
        }
        return (out, notes)
    }
}
