import Inference
import Reporting
import TrialDesign

/// Adjusted p-values (or q-values) within each family of hypotheses, per the family's `correction`.
///
/// A family is adjusted separately at every wave: the hypotheses of a family at one wave (its outcomes'
/// ITT p-values, the estimators' t-test p-values) are the set the correction controls, as in the
/// MISSION pre-analysis plan, which reports each follow-up wave as its own table. Corrections:
/// `holm`, `bonferroni`, `bh`, `by` (R `p.adjust`), `sharpened_q` (Anderson 2008's sharpened
/// two-stage q-values), `none` (no adjusted column), `westfall_young` (Westfall & Young's free step-down
/// on the joint randomization distribution of the family's outcomes, `StepDown.westfallYoung`). The
/// step-down needs every outcome of the family at that wave re-drawn on the same assignments, i.e.
/// observed on the same families (registry outcomes of a wave are; survey outcomes share draws when they
/// have the same respondents). Where they are not, or without randomization inference
/// (`permutations: 0`), Holm's adjustment is used for that family and wave and the report says so.
enum FamilyAdjustment {
    static func apply(design: Design, estimation: inout EffectEstimation,
                      randomization: RandomizationPValues? = nil) throws -> [String] {
        var deviations: [String] = []
        for family in design.families {
            let method: MultipleTesting.Method?
            switch family.correction {
            case .none: method = nil
            case .holm: method = .holm
            case .bonferroni: method = .bonferroni
            case .bh: method = .bh
            case .by: method = .by
            case .sharpenedQ: method = .sharpenedQ
            case .westfallYoung: method = .holm
            }
            guard let method else { continue }
            for wave in design.waves {
                var members: [(index: Int, p: Double)] = []
                for (i, o) in estimation.outcomes.enumerated() where o.family == family.id {
                    if let e = o.waves[wave.id], e.itt.pValue.isFinite { members.append((i, e.itt.pValue)) }
                }
                guard !members.isEmpty else { continue }
                if family.correction == .westfallYoung {
                    let ids = members.map { estimation.outcomes[$0.index].id }
                    if let joint = randomization?.jointDistribution(of: ids, wave: wave.id) {
                        let adjusted = try StepDown.westfallYoung(observed: joint.observed, permuted: joint.permuted)
                        for (m, q) in zip(members, adjusted) { estimation.outcomes[m.index].waves[wave.id]!.adjustedP = q }
                        continue
                    }
                    let m = design.reportCatalogue.methods
                    deviations.append(randomization == nil ? m.westfallYoungNeedsRandomization(family.label, wave.label)
                                                           : m.westfallYoungNeedsSameFamilies(family.label, wave.label))
                }
                let adjusted = try MultipleTesting.adjust(members.map(\.p), method: method)
                for (m, q) in zip(members, adjusted) { estimation.outcomes[m.index].waves[wave.id]!.adjustedP = q }
            }
        }
        return deviations
    }
}
