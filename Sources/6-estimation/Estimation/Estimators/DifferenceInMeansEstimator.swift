/// `dim`: the difference in means of each non-control level against the control level — Welch's, or
/// within blocks, clustered or matched pairs, as the data say (estimatr `difference_in_means`; the
/// computation is `DifferenceInMeans`). It chooses its own variance from the design, so a variance given
/// in the specification is only noted.
enum DifferenceInMeansEstimator: EffectEstimator {
    static let description = "difference in means within strata"
    static let takesBlocks = true

    static func check(_ spec: EstimationSpec, notes: inout [EstimationNote]) throws {
        try IntentionToTreatChecks.check(spec)
        guard spec.covariates.isEmpty, spec.fixedEffects == nil else {
            throw EstimationError.invalidSpecification(.dimWithCovariates)
        }
        if let variance = spec.variance { notes.append(.varianceIgnoredByDim(variance)) }
    }

    static func estimate(_ data: OutcomeRows, spec: EstimationSpec, result: inout EstimationResult) throws {
        let p = data.prepared, rows = data.rows, y = data.y
        let coding = try TreatmentCoding.make(column: spec.treatment!, labels: rows.map { p.treatment![$0]! },
                                              control: spec.control, levelsOnly: true, outcome: data.outcome,
                                              notes: &result.notes)
        let meanWeight = data.weights.map { $0.reduce(0, +) / Double($0.count) }
        let blockLabels = p.blocks.map { b in rows.map { b[$0]! } }
        for (arm, term) in zip(coding.arms, coding.terms) {
            let keep = (0..<rows.count).filter { coding.rowLevels[$0] == arm || coding.rowLevels[$0] == coding.control }
            let names = DifferenceInMeans.Names(outcome: data.outcome, treatment: spec.treatment!, treated: arm,
                                                control: coding.control!, blocks: spec.blocks, clusters: spec.clusters)
            let e = try DifferenceInMeans.estimate(
                y: keep.map { y[$0] }, treated: keep.map { coding.rowLevels[$0] == arm },
                weights: data.weights.map { w in keep.map { w[$0] / meanWeight! } },
                blocks: blockLabels.map { b in keep.map { b[$0] } },
                clusters: data.clusters.map { c in keep.map { c[$0] } }, names: names, notes: &result.notes)
            result.rows.append(try Estimation.tidyRow(outcome: data.outcome, term: term, estimate: e.estimate, stdError: e.stdError,
                                                      df: e.df, level: spec.level, nObs: keep.count))
        }
    }
}
