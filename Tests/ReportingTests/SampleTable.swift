import Reporting

/// A small effect table with hand-chosen numbers: two families, two waves, a binary outcome with take-up,
/// a continuous outcome in euro, and a binary outcome whose control arm has a small cell (3 families). The
/// binary outcome with take-up says higher is better and has a baseline measure; the effects are Lin-adjusted
/// for two covariates with strata absorbed.
enum Sample {
    static func term(_ name: String, _ est: Double, _ se: Double, _ p: Double, n: Int) -> TermEstimate {
        TermEstimate(term: name, estimate: est, stdError: se, statistic: est / se, df: Double(n - 2), pValue: p,
                     confLow: est - 1.98 * se, confHigh: est + 1.98 * se, nObs: n)
    }

    static let table = EffectTable(
        families: [Labelled(id: "financial", label: "Financial support (registry)"),
                   Labelled(id: "survey", label: "Rights and services (survey)")],
        waves: [Labelled(id: "m6", label: "6 months"), Labelled(id: "m12", label: "12 months")],
        outcomes: [
            OutcomeEffects(id: "supplementary_aid", label: "Receives supplementary aid", family: "financial", kind: .binary, primary: true, waves: [
                "m6": WaveEffect(wave: "m6", control: ArmSummary(n: 56, mean: 0.25, sd: 0.437, positives: 14),
                                 intervention: ArmSummary(n: 56, mean: 0.5, sd: 0.505, positives: 28),
                                 itt: term("intervention", 0.25, 0.089, 0.006, n: 112), adjustedP: 0.021,
                                 treatmentReceived: term("intervention", 0.3125, 0.11, 0.005, n: 112)),
                "m12": WaveEffect(wave: "m12", control: ArmSummary(n: 56, mean: 0.3, sd: 0.46, positives: 17),
                                  intervention: ArmSummary(n: 56, mean: 0.36, sd: 0.48, positives: 20),
                                  itt: term("intervention", 0.06, 0.09, 0.51, n: 112), adjustedP: 0.6),
            ], better: .higher, baseline: BaselineMeans(control: ArmSummary(n: 56, mean: 0.2, sd: 0.404, positives: 11),
                                                        intervention: ArmSummary(n: 56, mean: 0.214, sd: 0.414, positives: 12))),
            OutcomeEffects(id: "aid_amount", label: "Supplementary aid (euro)", family: "financial", kind: .continuous, primary: false, waves: [
                "m6": WaveEffect(wave: "m6", control: ArmSummary(n: 56, mean: 212.5, sd: 340.2),
                                 intervention: ArmSummary(n: 56, mean: 388.75, sd: 410.9),
                                 itt: term("intervention", 176.25, 71.3, 0.015, n: 112), adjustedP: 0.031),
            ]),
            OutcomeEffects(id: "art60", label: "Art. 60 | employment", family: "financial", kind: .binary, primary: false, waves: [
                "m6": WaveEffect(wave: "m6", control: ArmSummary(n: 56, mean: 0.0535714, sd: 0.2272, positives: 3),
                                 intervention: ArmSummary(n: 56, mean: 0.125, sd: 0.3337, positives: 7),
                                 itt: term("intervention", 0.0714286, 0.061, 0.19, n: 112), adjustedP: 0.25),
            ]),
            OutcomeEffects(id: "knows_rights", label: "Knowledge of rights (index)", family: "survey", kind: .continuous, primary: true, waves: [
                "m6": WaveEffect(wave: "m6", control: ArmSummary(n: 47, mean: 0, sd: 1),
                                 intervention: ArmSummary(n: 45, mean: 0.41, sd: 0.93),
                                 itt: term("intervention", 0.41, 0.2, 0.0004, n: 92), adjustedP: 0.001, randomizationP: 0.0006),
            ]),
        ],
        level: 0.95,
        adjustments: ["financial": "sharpened_q", "survey": "holm"],
        method: EffectMethod(estimator: "lin", covariates: ["Single-parent family", "Weak domains (3–6)"], strata: true))
}
