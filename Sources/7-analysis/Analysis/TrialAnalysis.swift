import Estimation
import Inference
import Panel
import Reporting
import TrialDesign

/// Settings of an analysis run that are not part of the design.
public struct AnalysisOptions: Sendable {
    /// Randomization-inference draws; nil uses the design's `analysis.permutations` (the default, and
    /// what `rct run` uses). Tests pass a smaller number to stay fast. 0 skips randomization inference.
    public var permutations: Int?
    /// The small-cell policy of published outputs; nil uses `publication.small_cell_threshold`.
    public var policy: SmallCellPolicy?

    public init(permutations: Int? = nil, policy: SmallCellPolicy? = nil) {
        self.permutations = permutations
        self.policy = policy
    }
}

/// What an analysis run returns: the report's content (which holds the effect table) and notes.
public struct AnalysisResult: Sendable {
    public var content: ReportContent
    /// Warnings of the estimators (rows dropped listwise, outcomes that could not be estimated).
    public var warnings: [String]
    /// Primary outcome × wave cells that could not be estimated, each with its reason in the design's
    /// terms; also among the report's deviations. `rct run` and `rct report` exit non-zero when any.
    public var unestimablePrimary: [String] = []
    /// Every outcome × wave cell (primary or not) that could not be estimated, with its reason.
    public var unestimable: [String] = []
    public var effects: EffectTable { content.effects }
}

/// Turns the analysis data set (`PanelData`) and the design into results: effect estimates for every
/// outcome × wave, arm summaries, the effect of treatment received, randomization-inference p-values,
/// adjusted p / q-values per family, baseline balance, attrition and the CONSORT flow, as the values
/// `Reporting` renders. Plain values in and out: no files, no store (the command line does those).
///
/// Which design key drives which choice:
///
/// | choice | design key | see |
/// |---|---|---|
/// | the ITT estimator (Lin, OLS, difference in means) | `analysis.estimator` | `EffectEstimation.ittSpec` |
/// | standard errors | `analysis.variance` | `EffectEstimation.ittSpec` |
/// | strata absorbed as fixed effects (blocks of `dim`) | `analysis.strata_fixed_effects`, `strata` | `EffectEstimation.ittSpec` |
/// | adjustment covariates | `analysis.covariates` | `EffectEstimation.ittSpec` |
/// | confidence level | `analysis.level` | |
/// | effect of treatment received (2SLS, instrument = assignment) | `analysis.take_up` | `EffectEstimation.treatmentReceivedSpec` |
/// | randomization inference draws and seed | `analysis.permutations`, `analysis.seed` | `RandomizationPValues` |
/// | re-drawn assignments within strata | `strata` | `RandomizationPValues` |
/// | adjusted p / q per family | `families[].correction` | `FamilyAdjustment` |
/// | subgroup effects and interaction tests (primary outcomes) | `subgroups` | `Subgroups` |
/// | the sensitivity table (further estimators, variances, covariates) | `analysis.sensitivity` | `SpecificationEstimates` |
/// | suppression of small cells | `publication.small_cell_threshold` | `Reporting.SmallCellPolicy` |
///
/// Two-arm comparisons: the control arm (`control: true`) against the first other arm. A design with
/// more arms is analysed for that pair only and the report says so among its deviations.
public enum TrialAnalysis {
    public static func analyse(design: Design, panel: PanelData, provenance: Provenance,
                               options: AnalysisOptions = AnalysisOptions(),
                               progress: (String) -> Void = { _ in }) throws -> AnalysisResult {
        let policy = options.policy ?? SmallCellPolicy(threshold: design.publication.smallCellThreshold)
        let arms = try ArmPair(design: design)
        var deviations: [String] = []
        if design.arms.count > 2 {
            deviations.append(design.reportCatalogue.methods.moreArms(design.arms.count, arms.intervention, arms.control))
        }
        let waves = try WaveData.all(design: design, panel: panel, arms: arms)
        deviations += clusteringDeviations(design: design)

        progress("estimating \(design.outcomes.count) outcomes at \(design.waves.count) waves (\(design.analysis.estimator.rawValue), \(design.analysis.variance.rawValue))")
        var estimation = try EffectEstimation.run(design: design, waves: waves, arms: arms)

        let permutations = options.permutations ?? design.analysis.permutations
        var randomization: RandomizationPValues?
        if permutations > 0 {
            let ri = try RandomizationPValues.run(design: design, waves: waves, arms: arms, permutations: permutations,
                                                  progress: progress)
            for (key, p) in ri.pValues { estimation.setRandomizationP(p, outcome: key.outcome, wave: key.wave) }
            estimation.warnings += ri.notes
            randomization = ri
        }
        deviations += try FamilyAdjustment.apply(design: design, estimation: &estimation, randomization: randomization)
        ReaderAids.annotate(&estimation.outcomes, design: design, waves: waves, arms: arms)

        let table = EffectTable(
            families: design.families.map { Labelled(id: $0.id, label: $0.label) },
            waves: design.waves.filter { w in design.outcomes.contains { $0.windows[w.id] != nil } }
                .map { Labelled(id: $0.id, label: $0.label) },
            outcomes: estimation.outcomes, level: design.analysis.level,
            adjustments: Dictionary(uniqueKeysWithValues: design.families.map { ($0.id, $0.correction.rawValue) }),
            method: ReaderAids.method(design: design))

        let subgroups = Subgroups.rows(design: design, waves: waves, arms: arms)
        estimation.warnings += subgroups.notes

        if !design.analysis.sensitivity.isEmpty {
            progress("sensitivity analyses: \(design.analysis.sensitivity.map(\.id).joined(separator: ", "))")
        }
        let sensitivity = design.analysis.sensitivity.map {
            SpecificationEstimates.run(design: design, waves: waves, arms: arms, specification: $0)
        }
        for run in sensitivity {
            estimation.warnings += run.warnings.map { "sensitivity \(run.specification.id): \($0)" }
            estimation.warnings += run.unestimable.map { "sensitivity \(run.specification.id): \($0)" }
        }

        var seeds = provenance.seeds
        let m = design.reportCatalogue.methods
        seeds.append(m.randomisationSeed(design.randomisation.method.rawValue, String(design.randomisation.seed)))
        if permutations > 0 {
            let clusters = design.analysisClusters?.randomised == true ? design.randomisation.clusterColumn : nil
            seeds.append(m.randomizationInferenceSeed(permutations, clusters, RandomizationInference.exactLimit, String(design.analysis.seed)))
            if let procedures = randomization?.procedures, !procedures.isEmpty {
                seeds.append(m.randomizationInferenceDone(procedures.joined(separator: "; ")))
            }
        }
        var prov = provenance
        prov.seeds = seeds

        let content = ReportContent(
            title: design.trial.title, registration: design.trial.registration,
            prespecified: ReportAssembly.prespecified(design: design, permutations: permutations),
            deviations: deviations + estimation.deviations,
            consort: ReportAssembly.consort(design: design, panel: panel, effects: table, arms: arms),
            balance: try ReportAssembly.balance(design: design, waves: waves, arms: arms),
            clusterBalance: try ReportAssembly.clusterBalance(design: design, waves: waves, arms: arms),
            attrition: ReportAssembly.attrition(design: design, panel: panel, waves: waves, arms: arms),
            effects: table, subgroups: subgroups.rows,
            sensitivity: SpecificationEstimates.table(design: design, primary: table, sensitivity: sensitivity),
            provenance: prov, policy: policy, language: ReportLanguage(rawValue: design.publication.language.rawValue) ?? .en)
        return AnalysisResult(content: content, warnings: estimation.warnings, unestimablePrimary: estimation.unestimablePrimary,
                              unestimable: estimation.unestimable)
    }
}

extension TrialAnalysis {
    /// What a clustered design's analysis does not cluster, said in the report rather than silently.
    static func clusteringDeviations(design: Design) -> [String] {
        guard let clusters = design.analysisClusters else { return [] }
        var out: [String] = []
        let a = design.analysis
        let m = design.reportCatalogue.methods
        if !a.variance.isClustered && !a.estimator.takesBlocks {
            out.append(m.varianceIgnoresClusters(a.variance.rawValue, clusters.key, clusters.column))
        }
        if design.sources.contains(where: { $0.kind == .survey }) {
            out.append(a.variance.isClustered ? m.attritionOverFamiliesClustered : m.attritionOverFamilies)
        }
        if a.takeUp != nil && !a.variance.isClustered {
            out.append(m.treatmentReceivedNotClustered(a.variance.rawValue.uppercased()))
        }
        return out
    }
}

/// The two arms compared: the design's control arm and the first other arm.
struct ArmPair {
    let control: String
    let intervention: String
    init(design: Design) throws {
        let control = design.controlArm.id
        self.control = control
        guard let other = design.arms.first(where: { $0.id != control }) else {
            throw AnalysisError.invalidDesign("the design has only one arm; there is nothing to compare")
        }
        intervention = other.id
    }
}

public enum AnalysisError: Error, CustomStringConvertible, Equatable {
    case invalidDesign(String)
    public var description: String {
        switch self {
        case let .invalidDesign(m): return m
        }
    }
}
