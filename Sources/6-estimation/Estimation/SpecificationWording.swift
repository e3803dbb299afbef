/// The parts of a specification a problem or a note can be about: the fields of `EstimationSpec`.
public enum SpecificationRole: String, Sendable, CaseIterable {
    case outcomes, treatment, control, estimator, covariates, fixedEffects, blocks, clusters, weights
    case endogenous, instruments, variance, level
}

/// How the caller's user names the parts of a specification, so that `EstimationError` and
/// `EstimationNote` read in the caller's words. `Estimation` decides *what* is wrong and carries the
/// offending arguments as data; the caller says what they are called:
///
/// | caller | `name(.variance)` | `setting(.variance, "cr2")` | `give` |
/// |---|---|---|---|
/// | `neutral` (`description`) | `variance` | `variance cr2` | `give` |
/// | the command line (rct) | `--se` | `--se cr2` | `pass` |
/// | the analysis of a design (Analysis) | `analysis.variance` | `analysis.variance: cr2` | `set` |
///
/// Placeholders in settings (`COLUMN`, `A,B`, `LEVEL`) are passed through as the value; a wording may
/// render them as it likes.
public struct SpecificationWording: Sendable {
    /// The name of a role: `--clusters`, `randomisation.cluster_column`.
    public var name: @Sendable (SpecificationRole) -> String
    /// A role given a value (or a placeholder): `--se cr2`, `analysis.variance: cr2`.
    public var setting: @Sendable (SpecificationRole, String) -> String
    /// The verb for giving a role a value: "pass" on a command line, "set" in a file.
    public var give: String

    public init(name: @escaping @Sendable (SpecificationRole) -> String,
                setting: @escaping @Sendable (SpecificationRole, String) -> String, give: String) {
        self.name = name
        self.setting = setting
        self.give = give
    }

    /// The roles in words (`outcomes`, `fixed effects`, `variance`), without flags or design keys: the
    /// wording of every `description`.
    public static let neutral = SpecificationWording(
        name: { neutralName($0) }, setting: { "\(neutralName($0)) \($1)" }, give: "give")

    private static func neutralName(_ role: SpecificationRole) -> String {
        switch role {
        case .fixedEffects: return "fixed effects"
        default: return role.rawValue
        }
    }
}
