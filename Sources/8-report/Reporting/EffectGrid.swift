/// The effect table of one family laid out as a grid of text cells, shared by the Markdown, LaTeX and
/// HTML writers so the three always show the same numbers, in the catalogue's language and number style.
///
/// One row per outcome × wave (the outcome named on its first row), with the columns: outcome, wave, the
/// direction that is better (only when the design states one for an outcome of the family), control mean
/// (SD), intervention mean (SD), the difference of the means, the adjusted effect (SE), its confidence
/// interval, p, the randomization-inference p (only when the family has any), the family's adjusted p or
/// q-value (unless its correction is `none`), the relative effect (effect / control mean, for every
/// outcome whose control mean is not 0), N, and the number of clusters (only when the family has a
/// clustered estimate). A design with take-up gets one more row under each wave with the effect of
/// treatment received. The notes under the table say what each column is.
struct EffectGrid {
    struct Row {
        var cells: [String]
        /// A secondary row (treatment received), printed indented / in italics.
        var secondary: Bool
    }

    let columnHeaders: [String]
    let rows: [Row]
    /// Footnotes: what each number is, suppression, adjustment method, primary outcomes.
    let notes: [String]
    /// The grid's word for a suppressed cell (the HTML writer greys it).
    let suppressedText: String

    /// `counts`: the report's disclosed counts; the N of a comparison is printed from them when given (a
    /// secondary cell as the catalogue's "not shown"), else under the count rule alone.
    init(table: EffectTable, family: String, policy: SmallCellPolicy, counts: DisclosedCounts? = nil, catalogue c: Catalogue = .english) {
        let nf = c.numbers
        let levelText = nf.fixed(table.level * 100, 0) + "%"
        let outcomes = table.outcomes(in: family)
        let showRI = outcomes.contains { $0.waves.values.contains { $0.randomizationP != nil } }
        let showClusters = outcomes.contains { $0.waves.values.contains { $0.itt.nClusters != nil } }
        let showBetter = outcomes.contains { $0.better != nil }
        let method = table.adjustments[family].flatMap { $0 == "none" ? nil : $0 }
        var headers = [c.outcome, c.wave] + (showBetter ? [c.better] : [])
        headers += [c.controlMean, c.interventionMean, c.differenceOfMeans, c.adjustedEffect, c.confidenceInterval(levelText), c.p]
        if showRI { headers.append(c.randomizationP) }
        if let method { headers.append(c.adjustedColumn(method)) }
        headers += [c.relativeEffect, c.n]
        if showClusters { headers.append(c.clusters) }
        columnHeaders = headers
        suppressedText = c.suppressed

        var rows: [Row] = []
        var suppressedAny = false
        var hasTakeUp = false
        for outcome in outcomes {
            // One number of decimals per outcome, across its waves (an amount stays an amount).
            let magnitude = outcome.waves.values.map { max(abs($0.control.mean), abs($0.itt.estimate)) }.filter(\.isFinite).max() ?? 0
            let d = NumberFormat.digits(for: outcome.kind, magnitude: magnitude)
            var first = true
            for wave in table.waves {
                guard let e = outcome.waves[wave.id] else { continue }
                let hide = policy.suppressesSummaries(of: e, kind: outcome.kind)
                suppressedAny = suppressedAny || hide
                func summary(_ a: ArmSummary) -> String { hide ? c.suppressed : "\(nf.fixed(a.mean, d)) (\(nf.fixed(a.sd, d)))" }
                func effectCells(_ t: TermEstimate) -> [String] {
                    ["\(nf.fixed(t.estimate, d)) (\(nf.fixed(t.stdError, d)))",
                     nf.interval(t.confLow, t.confHigh, d),
                     nf.pValue(t.pValue)]
                }
                let name = first ? outcome.label + (outcome.primary ? " †" : "") : ""
                let better = outcome.better.map { $0 == .higher ? c.higherIsBetter : c.lowerIsBetter } ?? ""
                var main = [name, wave.label] + (showBetter ? [first ? better : ""] : [])
                main += [summary(e.control), summary(e.intervention), hide ? c.suppressed : nf.fixed(e.differenceOfMeans, d)]
                main += effectCells(e.itt)
                if showRI { main.append(e.randomizationP.map(nf.pValue) ?? "") }
                if method != nil { main.append(e.adjustedP.map(nf.pValue) ?? "") }
                main.append(hide ? c.suppressed : e.relativeEffect.map(nf.percent) ?? "")
                main.append(Self.n(e.itt.nObs, key: ReportLedger.effectN(outcome.id, wave.id), hide: hide, policy: policy, counts: counts, catalogue: c))
                if showClusters { main.append(e.itt.nClusters.map(String.init) ?? "") }
                rows.append(Row(cells: main, secondary: false))
                first = false
                if let r = e.treatmentReceived {
                    hasTakeUp = true
                    var received = ["  " + c.treatmentReceivedRow, ""] + (showBetter ? [""] : []) + ["", "", ""] + effectCells(r)
                    if showRI { received.append("") }
                    if method != nil { received.append("") }
                    received += ["", Self.n(r.nObs, key: ReportLedger.effectReceivedN(outcome.id, wave.id), hide: hide, policy: policy,
                                            counts: counts, catalogue: c)]
                    if showClusters { received.append(r.nClusters.map(String.init) ?? "") }
                    rows.append(Row(cells: received, secondary: true))
                }
            }
        }
        self.rows = rows

        var notes: [String] = []
        let m = table.method
        let covariates = m.flatMap { $0.covariates.isEmpty ? nil : Self.list($0.covariates) }
        notes.append(c.effectNote(m.flatMap { c.estimatorName($0.estimator) }, covariates, m?.strata ?? false, levelText))
        notes.append(c.differenceNote)
        if showRI { notes.append(c.randomizationNote) }
        if let method { notes.append(c.adjustedNote(method)) }
        notes.append(c.relativeNote)
        notes.append(c.nNote)
        if showBetter { notes.append(c.betterNote) }
        if showClusters { notes.append(c.clustersNote) }
        if outcomes.contains(where: \.primary) { notes.append(c.primaryNote) }
        if hasTakeUp { notes.append(c.takeUpNote) }
        if suppressedAny { notes.append(c.suppressedNote(policy.threshold)) }
        self.notes = notes
    }

    /// An N as printed: from the disclosed counts when they hold it, else under the count rule.
    static func n(_ value: Int, key: String, hide: Bool, policy: SmallCellPolicy, counts: DisclosedCounts?, catalogue c: Catalogue) -> String {
        if let shown = counts?.shown(key) { return counts!.text(shown, catalogue: c) }
        return policy.show(count: value, summariesSuppressed: hide)
    }

    /// Labels in a note, separated by semicolons (a label may hold a comma).
    static func list(_ items: [String]) -> String { items.joined(separator: "; ") }
}
