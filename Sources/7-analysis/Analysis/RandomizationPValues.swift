import Inference
import TrialDesign

/// Randomization-inference p-values for every ITT estimate (Fisher's sharp null of no effect for any
/// family), re-drawing the assignment with the trial's procedure: within strata (`strata`), keeping the
/// number of intervention families of every stratum, as permuted blocks within strata do. In a
/// cluster-randomised design (`clustered`, `blocked_clustered`) whole clusters are re-drawn within
/// strata, keeping the number of intervention clusters of every stratum (complete random assignment
/// of clusters, randomizr's `block_and_cluster_ra`; clusters keep their own sizes), and the number of
/// possible assignments is counted in clusters: ∏_s C(clusters_s, treated clusters_s). ri2:
/// `declare_ra(blocks = stratum, clusters = cluster, block_m = m)`.
///
/// - Draws and seed: `analysis.permutations` assignments from mt19937 seeded with `analysis.seed`
///   (`RandomizationMethod.automatic`: enumerated instead when there are at most 100,000 possible
///   assignments).
/// - Statistic: the studentized OLS coefficient of the arm with stratum indicators and the design's
///   `analysis.covariates` (`RandomizationStatistic.studentized`, HC2), or without covariates when
///   `analysis.estimator` is `dim`. ri2: `conduct_ri(Y ~ Z + X + factor(stratum), declaration = within
///   strata, sims = permutations)` with the t statistic.
/// - Shared draws: outcomes observed on the same families (every registry outcome of a wave; survey
///   outcomes with the same respondents) are evaluated on one set of re-drawn assignments in one run,
///   so their randomization distribution is joint. An outcome with other missing values is re-drawn
///   among the families it is observed on, from the same seed (randomization inference conditional on
///   response), so every group starts from the same generator state.
struct RandomizationPValues {
    struct Key: Hashable { var outcome: String; var wave: String }
    var pValues: [Key: Double] = [:]
    var notes: [String] = []
    /// The joint randomization distributions, one per group of outcomes evaluated on the same draws:
    /// the observed statistics and `permuted[k][s]` (see `RandomizationResult.permuted`).
    var draws: [(observed: [Double], permuted: [[Double]])] = []
    /// Where an outcome's statistic sits in `draws`: the group and its row.
    var joint: [Key: (group: Int, index: Int)] = [:]
    /// How each group's reference distribution was made, for the report's provenance: the wave, the
    /// number of families, and either every possible assignment (exact) or the number of draws.
    var procedures: [String] = []

    /// The joint distribution of the given outcomes at one wave, when they were all evaluated on the same
    /// draws (the input of the Westfall–Young step-down); nil otherwise.
    func jointDistribution(of outcomes: [String], wave: String) -> (observed: [Double], permuted: [[Double]])? {
        let refs = outcomes.compactMap { joint[Key(outcome: $0, wave: wave)] }
        guard refs.count == outcomes.count, let group = refs.first?.group, refs.allSatisfy({ $0.group == group }) else {
            return nil
        }
        return (refs.map { draws[group].observed[$0.index] }, refs.map { draws[group].permuted[$0.index] })
    }

    static func run(design: Design, waves: [WaveData], arms: ArmPair, permutations: Int,
                    progress: (String) -> Void) throws -> RandomizationPValues {
        var result = RandomizationPValues()
        let covariateIDs = design.analysis.estimator.takesBlocks ? [] : design.analysis.covariates
        let useStrata = !design.strata.isEmpty
        // The randomisation's own clusters are re-drawn whole (a clustering for the analysis only is not
        // how the trial was randomised, and does not change the draws).
        let clusterRandomised = design.analysisClusters?.randomised == true
        for w in waves {
            let clusterOf: (Int) -> String? = { i in clusterRandomised ? w.clusters?[i] : nil }
            // Group the outcomes measured at this wave by the rows they are observed on.
            var groups: [[Int]: [String]] = [:]
            var order: [[Int]] = []
            for outcome in design.outcomes where outcome.windows[w.wave] != nil && w.measures(outcome.id) {
                let values = w.outcomes[outcome.id]!
                let rows = values.indices.filter { i in
                    values[i] != nil && covariateIDs.allSatisfy { w.covariates[$0]?[i] != nil }
                        && (!useStrata || w.strata[i] != nil) && (!clusterRandomised || clusterOf(i) != nil)
                }
                if groups[rows] == nil { order.append(rows) }
                groups[rows, default: []].append(outcome.id)
            }
            for rows in order {
                // An outcome that takes one value on these families has no statistic to re-draw; leave it
                // out so the others keep their joint distribution.
                let ids = groups[rows]!.filter { id in
                    let v = w.outcomes[id]!
                    let first = v[rows[0]]!
                    if rows.allSatisfy({ v[$0]! == first }) {
                        result.notes.append("\(id), \(w.wave): no randomization-inference p-value (the outcome takes one value, \(first), on all \(rows.count) families)")
                        return false
                    }
                    return true
                }
                guard !ids.isEmpty else { continue }
                progress("randomization inference, \(w.wave): \(ids.count) outcome\(ids.count == 1 ? "" : "s") on \(rows.count) families, \(permutations) draws")
                do {
                    let scheme = try RandomizationScheme(treatment: rows.map { w.treated[$0] },
                                                         blocks: useStrata ? rows.map { w.strata[$0]! } : nil,
                                                         clusters: clusterRandomised ? rows.map { clusterOf($0)! } : nil)
                    let outcomes = ids.map { id in rows.map { w.outcomes[id]![$0]! } }
                    let covariates = covariateIDs.map { c in rows.map { w.covariates[c]![$0]! } }
                    let ri = try RandomizationInference.run(
                        scheme: scheme, outcomes: outcomes, statistic: .studentized, covariates: covariates,
                        method: .automatic(draws: permutations, seed: design.analysis.seed))
                    for (k, (id, r)) in zip(ids, ri.outcomes).enumerated() {
                        result.pValues[Key(outcome: id, wave: w.wave)] = r.pTwoTailed
                        result.joint[Key(outcome: id, wave: w.wave)] = (result.draws.count, k)
                    }
                    result.draws.append((ri.outcomes.map(\.estimate), ri.permuted))
                    let possible = ri.possibleAssignments < 1e15 ? String(Int(ri.possibleAssignments)) : "\(ri.possibleAssignments)"
                    result.procedures.append(design.reportCatalogue.methods.procedure(
                        w.wave, rows.count, clusterRandomised ? Set(rows.map { clusterOf($0)! }).count : nil, ri.exact, ri.assignments, possible))
                } catch let error as InferenceError {
                    // e.g. an outcome without variation: no statistic to re-draw. Run the others one by one.
                    if ids.count > 1 {
                        for id in ids {
                            if let p = try? single(id: id, rows: rows, w: w, covariateIDs: covariateIDs, useStrata: useStrata,
                                                   clusters: clusterRandomised ? rows.map { clusterOf($0)! } : nil,
                                                   permutations: permutations, seed: design.analysis.seed) {
                                result.pValues[Key(outcome: id, wave: w.wave)] = p
                            } else {
                                result.notes.append("\(id), \(w.wave): no randomization-inference p-value (\(error))")
                            }
                        }
                    } else {
                        result.notes.append("\(ids[0]), \(w.wave): no randomization-inference p-value (\(error))")
                    }
                }
            }
        }
        return result
    }

    static func single(id: String, rows: [Int], w: WaveData, covariateIDs: [String], useStrata: Bool, clusters: [String]?,
                       permutations: Int, seed: UInt64) throws -> Double {
        let scheme = try RandomizationScheme(treatment: rows.map { w.treated[$0] },
                                             blocks: useStrata ? rows.map { w.strata[$0]! } : nil, clusters: clusters)
        let ri = try RandomizationInference.run(
            scheme: scheme, outcomes: [rows.map { w.outcomes[id]![$0]! }], statistic: .studentized,
            covariates: covariateIDs.map { c in rows.map { w.covariates[c]![$0]! } },
            method: .automatic(draws: permutations, seed: seed))
        return ri.outcomes[0].pTwoTailed
    }
}
