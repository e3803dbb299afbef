/// The effect table of one family laid out as a grid of text cells, shared by the Markdown, LaTeX and
/// HTML writers so the three always show the same numbers.
///
/// Columns: the outcome, then for every wave: control mean (SD), intervention mean (SD), effect (SE),
/// confidence interval, p, the randomization-inference p (only when the table has any), adjusted p (or
/// q), relative effect (binary outcomes), N, and the number of clusters (only when the table has a
/// clustered estimate). Only the waves at which the family has an outcome are shown.
/// A design with take-up gets one more row under each outcome with the effect of treatment received.
struct EffectGrid {
    struct Row {
        var cells: [String]
        /// A secondary row (treatment received), printed indented / in italics.
        var secondary: Bool
    }

    /// Two header rows: the wave labels spanning their columns, then the column names.
    let waveHeaders: [(label: String, span: Int)]
    let columnHeaders: [String]
    let rows: [Row]
    /// Footnotes: suppression, adjustment method, primary outcomes.
    let notes: [String]

    static let perWave = ["Control mean (SD)", "Intervention mean (SD)", "Effect (SE)", "CI", "p", "Adj. p", "Relative", "N"]

    init(table: EffectTable, family: String, policy: SmallCellPolicy) {
        let levelText = NumberFormat.fixed(table.level * 100, 0) + "%"
        let showRI = table.outcomes.contains { $0.waves.values.contains { $0.randomizationP != nil } }
        let showClusters = table.outcomes.contains { $0.waves.values.contains { $0.itt.nClusters != nil } }
        var perWave = showRI ? ["Control mean (SD)", "Intervention mean (SD)", "Effect (SE)", "CI", "p", "RI p", "Adj. p", "Relative", "N"]
                             : EffectGrid.perWave
        if showClusters { perWave.append("Clusters") }
        let waves = table.waves.filter { w in table.outcomes(in: family).contains { $0.waves[w.id] != nil } }
        waveHeaders = [("", 1)] + waves.map { ($0.label, perWave.count) }
        columnHeaders = ["Outcome"] + waves.flatMap { _ in
            perWave.map { $0 == "CI" ? "\(levelText) CI" : $0 }
        }
        var rows: [Row] = []
        var suppressedAny = false
        var hasTakeUp = false
        for outcome in table.outcomes(in: family) {
            var main = [outcome.label + (outcome.primary ? " †" : "")]
            var received = ["  treatment received (IV)"]
            var anyReceived = false
            // One number of decimals per outcome, across its waves (an amount stays an amount).
            let magnitude = outcome.waves.values.map { max(abs($0.control.mean), abs($0.itt.estimate)) }.filter(\.isFinite).max() ?? 0
            for wave in waves {
                guard let e = outcome.waves[wave.id] else {
                    main += Array(repeating: "", count: perWave.count)
                    received += Array(repeating: "", count: perWave.count)
                    continue
                }
                let d = NumberFormat.digits(for: outcome.kind, magnitude: magnitude)
                let hide = policy.suppressesSummaries(of: e, kind: outcome.kind)
                suppressedAny = suppressedAny || hide
                func summary(_ a: ArmSummary) -> String {
                    hide ? "suppressed" : "\(NumberFormat.fixed(a.mean, d)) (\(NumberFormat.fixed(a.sd, d)))"
                }
                func effectCells(_ t: TermEstimate) -> [String] {
                    ["\(NumberFormat.fixed(t.estimate, d)) (\(NumberFormat.fixed(t.stdError, d)))",
                     "[\(NumberFormat.fixed(t.confLow, d)), \(NumberFormat.fixed(t.confHigh, d))]",
                     NumberFormat.pValue(t.pValue)]
                }
                let relative = (outcome.kind == .binary && !hide) ? e.relativeEffect.map(NumberFormat.percent) ?? "" : ""
                main += [summary(e.control), summary(e.intervention)] + effectCells(e.itt)
                    + (showRI ? [e.randomizationP.map(NumberFormat.pValue) ?? ""] : [])
                    + [e.adjustedP.map(NumberFormat.pValue) ?? "", relative,
                       policy.show(count: e.itt.nObs, summariesSuppressed: hide)]
                    + (showClusters ? [e.itt.nClusters.map(String.init) ?? ""] : [])
                if let r = e.treatmentReceived {
                    anyReceived = true
                    received += ["", ""] + effectCells(r) + (showRI ? [""] : []) + ["", "", String(r.nObs)]
                        + (showClusters ? [r.nClusters.map(String.init) ?? ""] : [])
                } else {
                    received += Array(repeating: "", count: perWave.count)
                }
            }
            rows.append(Row(cells: main, secondary: false))
            if anyReceived {
                hasTakeUp = true
                rows.append(Row(cells: received, secondary: true))
            }
        }
        self.rows = rows
        var notes: [String] = []
        notes.append("Effect: intention-to-treat estimate (SE); \(levelText) confidence interval; p two-sided.")
        if showRI {
            notes.append("RI p: randomization-inference p-value of the effect (assignments re-drawn with the trial's procedure).")
        }
        if let method = table.adjustments[family] {
            notes.append("Adj. p: \(AdjustmentName.describe(method)) within the family.")
        }
        if showClusters {
            notes.append("Clusters: the number of clusters the estimate rests on; standard errors are clustered by them.")
        }
        if table.outcomes(in: family).contains(where: \.primary) { notes.append("† primary outcome.") }
        if hasTakeUp {
            notes.append("Treatment received: two-stage least squares with assignment as the instrument.")
        }
        if suppressedAny {
            notes.append("suppressed: a cell has fewer than \(policy.threshold) families; means and counts are not published.")
        }
        self.notes = notes
    }
}

/// Human names of the multiple-testing adjustments.
enum AdjustmentName {
    static func describe(_ method: String) -> String {
        switch method {
        case "holm": return "Holm step-down adjusted p"
        case "bonferroni": return "Bonferroni adjusted p"
        case "bh": return "Benjamini–Hochberg adjusted p"
        case "by": return "Benjamini–Yekutieli adjusted p"
        case "sharpened_q": return "sharpened q-value (Benjamini, Krieger & Yekutieli 2006; Anderson 2008)"
        case "westfall_young": return "Westfall–Young step-down adjusted p"
        case "none": return "unadjusted p"
        default: return method
        }
    }
}
