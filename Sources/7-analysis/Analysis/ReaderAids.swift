import Panel
import Reporting
import TrialDesign

/// What the report needs besides the estimates so that a reader can follow them: each outcome's direction
/// of benefit (`better:`) and its arm means before assignment (`baseline:`), and how the effects were
/// estimated (for the notes under the tables).
enum ReaderAids {
    /// Sets `better` and `baseline` of every outcome from the design; the baseline means are those of the
    /// outcome's `baseline` covariate on the first wave's rows (every unit of the two arms compared, as in
    /// the balance table).
    static func annotate(_ outcomes: inout [OutcomeEffects], design: Design, waves: [WaveData], arms: ArmPair) {
        for i in outcomes.indices {
            guard let outcome = design.outcomes.first(where: { $0.id == outcomes[i].id }) else { continue }
            outcomes[i].better = outcome.better.flatMap { BetterDirection(rawValue: $0.rawValue) }
            if let covariate = outcome.baseline, let w = waves.first, let values = w.covariates[covariate] {
                let binary = values.allSatisfy { $0 == nil || $0 == 0 || $0 == 1 }
                func summary(_ arm: String) -> ArmSummary {
                    let xs = zip(values, w.rows).filter { $0.1.arm == arm }.compactMap(\.0)
                    return Self.summary(xs, binary: binary)
                }
                outcomes[i].baseline = BaselineMeans(control: summary(arms.control), intervention: summary(arms.intervention))
            }
        }
    }

    /// n, mean, SD (n − 1 in the denominator) and, for a 0/1 variable, the number of ones.
    static func summary(_ xs: [Double], binary: Bool) -> ArmSummary {
        let n = xs.count
        guard n > 0 else { return ArmSummary(n: 0, mean: .nan, sd: .nan, positives: binary ? 0 : nil) }
        let mean = xs.reduce(0, +) / Double(n)
        let sd = n > 1 ? (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot() : .nan
        return ArmSummary(n: n, mean: mean, sd: sd, positives: binary ? xs.filter { $0 == 1 }.count : nil)
    }

    /// The primary specification for the table notes: the estimator, the labels of its adjustment
    /// covariates (none for the difference in means, which takes none) and whether strata are absorbed.
    static func method(design: Design) -> EffectMethod {
        let a = design.analysis
        let covariates = a.estimator.takesBlocks ? [] : a.covariates.map { id in design.covariates.first { $0.id == id }?.label ?? id }
        return EffectMethod(estimator: a.estimator.rawValue, covariates: covariates, strata: EffectEstimation.usesStrata(design))
    }
}
