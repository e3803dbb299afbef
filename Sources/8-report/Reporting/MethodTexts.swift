/// The sentences the analysis writes into a report (the pre-specified choices, the deviations it finds,
/// the test names of the balance and attrition tables, the provenance of the random draws, the recorded
/// amendments), in one language: `Catalogue.methods`. The analysis layer fills them with the design's
/// values; numbers reach them already written in the catalogue's style. The design's own labels (outcomes,
/// families, covariates, columns) are passed in as written.
///
/// The fields are named and have no defaults, so a language that misses a sentence does not compile.
public struct MethodTexts: Sendable {
    // MARK: Pre-specified analysis
    /// The estimator by the design's `analysis.estimator` (`lin`, `ols`, `dim`, `iv`), given its English
    /// description from the estimation layer (`EffectEstimator.reportDescription`).
    public let estimator: @Sendable (_ estimator: String, _ description: String) -> String
    /// "HC2 standard errors".
    public let standardErrors: @Sendable (_ variance: String) -> String
    /// "CR2 standard errors clustered by caseworker (Bell–McCaffrey degrees of freedom)"; `bellMcCaffrey`
    /// false: "(degrees of freedom: clusters − 1)".
    public let clusteredStandardErrors: @Sendable (_ variance: String, _ cluster: String, _ bellMcCaffrey: Bool) -> String
    /// The first sentence: the estimator (from `Catalogue.estimatorName`), the standard errors, the level ("95%").
    public let itt: @Sendable (_ estimator: String, _ standardErrors: String, _ level: String) -> String
    public let strataAsBlocks: @Sendable (_ strata: String) -> String
    public let strataAbsorbed: @Sendable (_ strata: String) -> String
    public let baselineCovariates: @Sendable (_ labels: String) -> String
    public let treatmentReceived: @Sendable (_ column: String) -> String
    /// Randomization inference: draws, the cluster column when whole clusters are re-drawn, the limit of
    /// exact enumeration and the seed.
    public let randomizationInference: @Sendable (_ draws: Int, _ clusters: String?, _ exactLimit: Int, _ seed: String) -> String
    /// A family's correction by the design's `correction` (`none`, `holm`, …, `sharpened_q`, `westfall_young`).
    public let correction: @Sendable (_ correction: String) -> String
    public let familyCorrection: @Sendable (_ family: String, _ correction: String) -> String
    public let subgroups: @Sendable (_ labels: String) -> String
    /// A sensitivity specification: its label and what it does (`sensitivityParts` joined).
    public let sensitivity: @Sendable (_ label: String, _ what: String) -> String
    public let strataAsBlocksShort: String
    public let strataAbsorbedShort: String
    public let noCovariates: String
    public let adjustedFor: @Sendable (_ labels: String) -> String
    public let primaryOutcomes: @Sendable (_ labels: String) -> String

    // MARK: Deviations
    public let moreArms: @Sendable (_ arms: Int, _ intervention: String, _ control: String) -> String
    public let varianceIgnoresClusters: @Sendable (_ variance: String, _ key: String, _ column: String) -> String
    public let attritionOverFamiliesClustered: String
    public let attritionOverFamilies: String
    public let treatmentReceivedNotClustered: @Sendable (_ variance: String) -> String
    public let takeUpUnknown: @Sendable (_ column: String) -> String
    public let westfallYoungNeedsRandomization: @Sendable (_ family: String, _ wave: String) -> String
    public let westfallYoungNeedsSameFamilies: @Sendable (_ family: String, _ wave: String) -> String

    // MARK: Tests in the tables
    public let omnibusCovariates: @Sendable (_ n: Int) -> String
    public let omnibusClusterMeans: @Sendable (_ clusters: Int) -> String
    /// "response rate, intervention − control: +0.012 (t-test)"; `clustered` names the variance ("CR2").
    public let responseRate: @Sendable (_ difference: String, _ clustered: String?) -> String
    public let armByCovariates: @Sendable (_ clustered: String?) -> String

    // MARK: Provenance
    public let randomisationSeed: @Sendable (_ method: String, _ seed: String) -> String
    public let randomizationInferenceSeed: @Sendable (_ draws: Int, _ clusters: String?, _ exactLimit: Int, _ seed: String) -> String
    public let randomizationInferenceDone: @Sendable (_ procedures: String) -> String
    /// One reference distribution: wave, families, clusters (cluster-randomised), and either every
    /// possible assignment (`exact`) or `draws` of `possible`.
    public let procedure: @Sendable (_ wave: String, _ families: Int, _ clusters: Int?, _ exact: Bool, _ draws: Int, _ possible: String) -> String

    // MARK: Plan changes
    /// "2026-12-07: outcomes[x].windows.m12[1]: 12 → 13. Reason: … (by analyst; after 112 assignments,
    /// before any outcome data were imported)".
    public let amendment: @Sendable (_ date: String, _ changes: String, _ reason: String, _ author: String,
                                     _ assignments: Int, _ afterOutcomeData: Bool) -> String
    /// The words before an amendment and a deviation in `effects.md`.
    public let amendmentWord: String
    public let deviationWord: String

}
