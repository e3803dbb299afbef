import Estimation

extension SpecificationWording {
    /// The command line's words for `Estimation`'s problems and notes: every role of a specification as
    /// the option of `rct estimate` that sets it (`--se cr2`, "pass --clusters COLUMN").
    static let commandLine = SpecificationWording(
        name: { "--" + option($0) }, setting: { "--\(option($0)) \($1)" }, give: "pass")

    /// The long option of `rct estimate` for a role.
    static func option(_ role: SpecificationRole) -> String {
        switch role {
        case .outcomes: return "outcome"
        case .treatment: return "treatment"
        case .control: return "control"
        case .estimator: return "estimator"
        case .covariates: return "covariates"
        case .fixedEffects: return "fixed-effects"
        case .blocks: return "blocks"
        case .clusters: return "clusters"
        case .weights: return "weights"
        case .endogenous: return "endogenous"
        case .instruments: return "instrument"
        case .variance: return "se"
        case .level: return "level"
        }
    }
}
