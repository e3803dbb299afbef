import Estimation
import Panel
import Reporting
import TrialDesign

/// The effect of assignment of every outcome × wave under one of the design's specifications (the
/// primary or a sensitivity analysis, `analysis.sensitivity`): what `rct estimate DESIGN --analysis NAME`
/// prints and what the report's sensitivity table holds. Only the ITT fit: randomization inference,
/// adjusted p-values and the effect of treatment received belong to the primary analysis.
public struct SpecificationEstimates: Sendable {
    public struct Row: Sendable {
        public var outcome: String
        public var wave: String
        /// The treatment term of the fit.
        public var estimate: EstimateRow
    }

    public var specification: AnalysisSpecification
    /// In the design's order of outcomes, then waves.
    public var rows: [Row]
    /// The estimators' notes (rows dropped listwise and the like), in the design's words.
    public var warnings: [String]
    /// Outcome × wave cells that could not be estimated, one sentence each.
    public var unestimable: [String]

    /// Estimates every outcome × wave of `panel` under `specification`.
    public static func run(design: Design, panel: PanelData, specification: AnalysisSpecification) throws -> SpecificationEstimates {
        let arms = try ArmPair(design: design)
        return run(design: design, waves: try WaveData.all(design: design, panel: panel, arms: arms), arms: arms,
                   specification: specification)
    }

    static func run(design: Design, waves: [WaveData], arms: ArmPair, specification: AnalysisSpecification) -> SpecificationEstimates {
        var out = SpecificationEstimates(specification: specification, rows: [], warnings: [], unestimable: [])
        if specification.estimator.takesBlocks && specification.variance != EffectEstimation.defaultVariance(design) {
            out.warnings.append("\(specification.id): " + EstimationNote.varianceIgnoredByDim(specification.variance).describe(.design))
        }
        for outcome in design.outcomes {
            for w in waves where outcome.windows[w.wave] != nil && w.measures(outcome.id) {
                let fit = EffectEstimation.ittFit(design: design, spec: specification, outcome: outcome, wave: w, arms: arms)
                out.warnings += fit.warnings
                if let failure = fit.failure { out.unestimable.append(failure) }
                if let row = fit.row { out.rows.append(Row(outcome: outcome.id, wave: w.wave, estimate: row)) }
            }
        }
        return out
    }

    /// The report's sensitivity table: a row per outcome × wave of the primary effect table, with the
    /// primary's ITT and each sensitivity specification's. Nil when the design names no sensitivity analysis.
    static func table(design: Design, primary: EffectTable, sensitivity: [SpecificationEstimates]) -> SensitivityTable? {
        guard !sensitivity.isEmpty else { return nil }
        let waveLabels = Dictionary(design.waves.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
        let lookups = sensitivity.map { run in
            Dictionary(run.rows.map { ("\($0.outcome)\u{1F}\($0.wave)", EffectEstimation.term($0.estimate)) }, uniquingKeysWith: { a, _ in a })
        }
        var rows: [SensitivityRow] = []
        for outcome in primary.outcomes {
            for wave in primary.waves {
                guard let effect = outcome.waves[wave.id] else { continue }
                let key = "\(outcome.id)\u{1F}\(wave.id)"
                rows.append(SensitivityRow(outcome: Labelled(id: outcome.id, label: outcome.label), kind: outcome.kind,
                                           wave: Labelled(id: wave.id, label: waveLabels[wave.id] ?? wave.label),
                                           estimates: [effect.itt] + lookups.map { $0[key] }))
            }
        }
        let specifications = design.analysis.specifications.map { Labelled(id: $0.id, label: $0.label) }
        return SensitivityTable(specifications: specifications, rows: rows)
    }
}
