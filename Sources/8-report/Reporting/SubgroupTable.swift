/// The pre-specified subgroups as a table: one row per level of each subgroup × outcome × wave, with the
/// level's label from the design, the families of each arm in it, the effect within it, and the p-value of
/// the interaction on the first row of each comparison.
///
/// Suppression (`SmallCellPolicy`): the N of each arm in a level is a count, printed from the report's
/// disclosed counts (`counts`: primary and secondary suppression, the levels of an arm adding up to its N
/// in the effect table, `ReportLedger`), else under the count rule alone; a level in which either arm's N
/// is a small cell has its effect suppressed too, as the summaries of an outcome are (an effect within
/// three families describes those families).
public enum SubgroupTable {
    public static func html(_ rows: [SubgroupRow], policy: SmallCellPolicy, counts: DisclosedCounts? = nil,
                            catalogue c: Catalogue = .english) -> String {
        let nf = c.numbers
        var out = "<table class=\"subgroups\"><thead><tr>"
            + [c.outcome, c.wave, c.subgroup, c.level, c.nControl, c.nIntervention, c.effectSE, c.interactionP]
                .map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        var suppressedAny = false
        for row in rows {
            let magnitude = row.levels.map { abs($0.estimate.estimate) }.filter(\.isFinite).max() ?? 0
            let d = NumberFormat.digits(for: .continuous, magnitude: magnitude)
            for (i, level) in row.levels.enumerated() {
                let hide = !policy.allows(count: level.controlN) || !policy.allows(count: level.interventionN)
                func n(_ side: String, _ value: Int) -> String {
                    guard let shown = counts?.shown(ReportLedger.subgroup(row, level, side)) else { return policy.show(count: value) }
                    return counts!.text(shown, catalogue: c)
                }
                let (control, intervention) = (n("control", level.controlN), n("intervention", level.interventionN))
                suppressedAny = suppressedAny || hide || control != String(level.controlN) || intervention != String(level.interventionN)
                let effect = hide ? "<td class=\"suppressed\">\(escapeHTML(c.suppressed))</td>"
                    : "<td>\(nf.fixed(level.estimate.estimate, d)) (\(nf.fixed(level.estimate.stdError, d)))</td>"
                out += i == 0 ? "<tr class=\"first\"><th scope=\"row\">\(escapeHTML(row.outcome))</th><td>\(escapeHTML(row.wave))</td><td>\(escapeHTML(row.subgroup))</td>"
                              : "<tr><th scope=\"row\"></th><td></td><td></td>"
                out += "<td>\(escapeHTML(level.label))</td><td>\(escapeHTML(control))</td>"
                    + "<td>\(escapeHTML(intervention))</td>" + effect
                    + "<td>\(i == 0 ? nf.pValue(row.interactionP) : "")</td></tr>\n"
            }
        }
        out += "</tbody></table>\n<ul class=\"notes\"><li>\(escapeHTML(c.subgroupNote))</li>"
        if suppressedAny { out += "<li>\(escapeHTML(c.suppressedNote(policy.threshold)))</li>" }
        return out + "</ul>\n"
    }
}
