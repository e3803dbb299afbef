import Estimation
import Robustness
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
///   stratum column or the column of an adjustment covariate: the model already holds it); the p-value of
///   the product's coefficient. With more than two levels: the same regression with one indicator and one
///   arm × indicator product per level but the first, and the joint Wald test that all products are zero,
///   F(L − 1, N − K) with the design's (heteroskedasticity-robust) variance (`Robustness.WaldTest`); R:
///   `lm_robust(Y ~ Z * factor(G) + X, fixed_effects = ~stratum)` and `linearHypothesis(…, test = "F")`.
///   In a clustered design (`Design.analysisClusters`) the per-level fits, the two-level interaction and
///   the joint test are clustered by the design's clusters with the design's variance (CR2 by default);
///   the joint test is then referred to F(L − 1, G − 1), G the clusters of the fit (`WaldTest`). R:
///   `lm_robust(…, clusters = cluster, se_type = "CR2")`, W = b′(V)⁻¹b over the products by hand.
enum Subgroups {
    static func rows(design: Design, waves: [WaveData], arms: ArmPair) -> (rows: [SubgroupRow], notes: [String]) {
        var out: [SubgroupRow] = [], notes: [String] = []
        let variance = design.analysis.variance
        let strataColumns = Set(design.strata.map(\.column))
        let useStrata = EffectEstimation.usesStrata(design)
        // Clustered designs: the subgroup fits are clustered as the primary analysis is.
        let clustered = design.analysisClusters != nil && variance.isClustered
        for subgroup in design.subgroups {
            for outcome in design.outcomes where outcome.primary {
                for w in waves where outcome.windows[w.wave] != nil && w.measures(outcome.id) {
                    let group = w.rows.map { $0.cohort[subgroup.column].flatMap { $0.isEmpty ? nil : $0 } }
                    let levels = Array(Set(group.compactMap { $0 })).sorted()
                    guard levels.count >= 2 else {
                        notes.append("subgroup \(subgroup.id): \(levels.count) level at \(w.wave); no effects to compare")
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
                        if clustered, let labels = w.clusters { columns.append(("cluster", idx.map { labels[$0] })) }
                        let spec = EstimationSpec(estimator: .ols, outcomes: ["y"], treatment: "arm", control: arms.control,
                                                  covariates: covariates, fixedEffects: strata ? "stratum" : nil,
                                                  clusters: clustered ? "cluster" : nil,
                                                  variance: variance, level: design.analysis.level)
                        if let data = try? EstimationData(columns: columns), let fit = try? Estimation.estimate(spec, data: data),
                           let row = fit.row(term: "arm=\(arms.intervention)") {
                            estimates.append((level, EffectEstimation.term(row)))
                        }
                    }
                    guard estimates.count == levels.count else {
                        notes.append("subgroup \(subgroup.id), \(outcome.id), \(w.wave): an effect within a level is not estimable")
                        continue
                    }
                    if levels.count > 2 {
                        do {
                            let p = try jointInteractionP(design: design, w: w, outcome: outcome.id, group: group, levels: levels,
                                                          subgroupColumn: subgroup.column, useStrata: useStrata, variance: variance,
                                                          clusters: clustered ? w.clusters : nil)
                            let waveLabel = design.waves.first { $0.id == w.wave }?.label ?? w.wave
                            out.append(SubgroupRow(outcome: outcome.label, wave: waveLabel, subgroup: subgroup.label,
                                                   levels: labelled(estimates, subgroup: subgroup, w: w, y: y, group: group, arms: arms),
                                                   interactionP: p, outcomeID: outcome.id, waveID: w.wave, subgroupID: subgroup.id))
                        } catch {
                            notes.append("subgroup \(subgroup.id), \(outcome.id), \(w.wave): the joint interaction test is not estimable (\(designWording(error)))")
                        }
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
                    if clustered, let labels = w.clusters { columns.append(("cluster", labels)) }
                    let spec = EstimationSpec(estimator: .ols, outcomes: ["y"], treatment: "arm", control: arms.control,
                                              covariates: design.analysis.covariates + (absorbed ? [] : ["subgroup"]) + ["arm_x_subgroup"],
                                              fixedEffects: useStrata ? "stratum" : nil, clusters: clustered ? "cluster" : nil,
                                              variance: variance, level: design.analysis.level)
                    let interaction: EstimateRow
                    do {
                        let fit = try Estimation.estimate(spec, data: try EstimationData(columns: columns))
                        guard let row = fit.row(term: "arm_x_subgroup") else {
                            notes.append("subgroup \(subgroup.id), \(outcome.id), \(w.wave): the interaction is not estimable (no interaction term)")
                            continue
                        }
                        interaction = row
                    } catch {
                        notes.append("subgroup \(subgroup.id), \(outcome.id), \(w.wave): the interaction is not estimable (\(designWording(error)))")
                        continue
                    }
                    let waveLabel = design.waves.first { $0.id == w.wave }?.label ?? w.wave
                    out.append(SubgroupRow(outcome: outcome.label, wave: waveLabel, subgroup: subgroup.label,
                                           levels: labelled(estimates, subgroup: subgroup, w: w, y: y, group: group, arms: arms),
                                           interactionP: interaction.pValue, outcomeID: outcome.id, waveID: w.wave, subgroupID: subgroup.id))
                }
            }
        }
        return (out, notes)
    }

    /// The levels' effects as the report shows them: in the design's order of `levels` (codes it does not
    /// label after them, in the order estimated), each with its label and the families of each arm with a
    /// value of the outcome in it.
    static func labelled(_ estimates: [(level: String, estimate: TermEstimate)], subgroup: Subgroup, w: WaveData, y: [Double?],
                         group: [String?], arms: ArmPair) -> [SubgroupLevelEffect] {
        let order = subgroup.levels.map(\.code)
        let sorted = estimates.enumerated().sorted { a, b in
            (order.firstIndex(of: a.element.level) ?? order.count + a.offset, a.offset)
                < (order.firstIndex(of: b.element.level) ?? order.count + b.offset, b.offset)
        }.map(\.element)
        return sorted.map { e in
            let members = w.rows.indices.filter { group[$0] == e.level && y[$0] != nil }
            let control = members.filter { w.rows[$0].arm == arms.control }.count
            return SubgroupLevelEffect(label: subgroup.label(of: e.level), controlN: control, interventionN: members.count - control,
                                       estimate: e.estimate, code: e.level)
        }
    }

    /// The p-value of the joint Wald test that every arm × level product is zero (levels after the first),
    /// in the regression of the outcome on the arm, the level indicators (unless the subgroup is a stratum
    /// column and the strata are absorbed), the products and the design's covariates (but one read from
    /// the subgroup's own column, which the indicators replace), strata absorbed. Rows missing any of them
    /// are left out; with `clusters` (a clustered variance) rows without a cluster too.
    static func jointInteractionP(design: Design, w: WaveData, outcome: String, group: [String?], levels: [String],
                                  subgroupColumn: String, useStrata: Bool, variance: VarianceType,
                                  clusters: [String?]? = nil) throws -> Double {
        let y = w.outcomes[outcome]!
        // A covariate read from the subgroup's own column is a function of the level: the indicators
        // replace it (with it they would be collinear).
        let ownColumn = Set(design.covariates.filter { $0.column == subgroupColumn }.map(\.id))
        let covariates = design.analysis.covariates.filter { !ownColumn.contains($0) }
        let rows = w.rows.indices.filter { i in
            y[i] != nil && group[i] != nil && (!useStrata || w.strata[i] != nil) && (clusters == nil || clusters![i] != nil)
                && covariates.allSatisfy { w.covariates[$0]?[i] != nil }
        }
        // A stratum column's levels are unions of strata: absorbed with them.
        let absorbed = design.strata.contains { $0.column == subgroupColumn } && useStrata
        var regressors: [(name: String, values: [Double])] = [("arm", rows.map { w.treated[$0] ? 1 : 0 })]
        var products: [String] = []
        for (k, level) in levels.enumerated().dropFirst() {
            let indicator = rows.map { group[$0] == level ? 1.0 : 0.0 }
            if !absorbed { regressors.append(("level_\(k)", indicator)) }
            let name = "arm_x_level_\(k)"
            regressors.append((name, zip(rows, indicator).map { w.treated[$0.0] ? $0.1 : 0 }))
            products.append(name)
        }
        for c in covariates { regressors.append((c, rows.map { w.covariates[c]![$0]! })) }
        // A level indicator the strata already span (a level that is a stratum, or a union of strata) is
        // dropped, one at a time, as the fit names it; the products stay.
        while true {
            do {
                let fit = try LinearModel.fit(y: rows.map { y[$0]! }, regressors: regressors,
                                              fixedEffects: useStrata ? rows.map { w.strata[$0]! } : nil, fixedEffectsName: "stratum",
                                              variance: variance, clusters: clusters.map { c in rows.map { c[$0]! } }, outcome: outcome)
                return try WaldTest(fit: fit, zero: products).pValue
            } catch let EstimationError.singularDesign(_, column, _) where column.hasPrefix("level_") {
                regressors.removeAll { $0.name == column }
            }
        }
    }
}
