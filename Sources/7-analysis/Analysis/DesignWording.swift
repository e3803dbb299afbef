import Estimation

extension SpecificationWording {
    /// The design's words for `Estimation`'s problems and notes: every role of the specifications the
    /// analysis builds (`EffectEstimation.ittSpec`, `treatmentReceivedSpec`, the subgroup fits) as the
    /// design key that decides it (`analysis.variance: cr2`, "set analysis.covariates: A,B").
    static let design = SpecificationWording(name: { key($0) }, setting: { "\(key($0)): \($1)" }, give: "set")

    /// The design key behind a role of the analysis' specifications.
    static func key(_ role: SpecificationRole) -> String {
        switch role {
        case .outcomes: return "outcomes"
        case .treatment: return "arms"
        case .control: return "arms[].control"
        case .estimator: return "analysis.estimator"
        case .covariates: return "analysis.covariates"
        case .fixedEffects: return "analysis.strata_fixed_effects"
        case .blocks: return "strata"
        case .clusters: return "randomisation.cluster_column"
        case .weights: return "weights"
        case .endogenous: return "analysis.take_up"
        case .instruments: return "arms"
        case .variance: return "analysis.variance"
        case .level: return "analysis.level"
        }
    }
}

/// An error of an estimate inside the analysis, in the design's words.
func designWording(_ error: Error) -> String {
    (error as? EstimationError)?.describe(.design) ?? "\(error)"
}
