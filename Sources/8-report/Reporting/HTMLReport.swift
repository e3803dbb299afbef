/// The report as one self-contained HTML file: inline CSS and inline SVG, no scripts, nothing fetched
/// from the network, and a print style so it reads on paper too.
public enum HTMLReport {
    public static func render(_ r: ReportContent) -> String {
        let p = r.policy
        let counts = p.disclose(r)
        var body = "<header>\n<h1>\(escapeHTML(r.title))</h1>\n"
        if let reg = r.registration { body += "<p class=\"sub\">\(escapeHTML(reg))</p>\n" }
        body += "<p class=\"sub\">Effects after \(r.effects.waves.map { escapeHTML($0.label) }.joined(separator: " and ")), intention to treat.</p>\n</header>\n"

        body += "<section>\n<h2>1. Pre-specified analysis</h2>\n<ul>" + r.prespecified.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>\n"
        body += "<h3>Changes to the pre-specified plan</h3>\n"
        body += r.amendments.isEmpty
            ? "<p>No amendments of the design after the first assignment.</p>\n"
            : "<p><strong>Amendments</strong> (recorded with <code>rct amend</code>, checked by <code>rct verify</code>):</p><ul>"
                + r.amendments.map { "<li>\(escapeHTML($0.sentence))</li>" }.joined() + "</ul>\n"
        body += r.deviations.isEmpty
            ? "<p>No deviations from the pre-specified analysis.</p>\n"
            : "<p><strong>Deviations:</strong></p><ul>" + r.deviations.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>\n"
        body += "</section>\n"

        if let consort = r.consort {
            body += "<section class=\"figure\">\n<h2>2. Participant flow (CONSORT)</h2>\n" + ConsortDiagram.svg(consort, counts: counts) + "</section>\n"
        }
        if let balance = r.balance {
            body += "<section>\n<h2>3. Baseline balance</h2>\n"
            if let clusters = r.clusterBalance {
                body += "<h3>Families</h3>\n" + balanceTable(balance, policy: p)
                let k = clusters.table.rows.first
                let counts = k.map { " (\(p.show(count: $0.control.n)) control, \(p.show(count: $0.intervention.n)) intervention)" } ?? ""
                body += "<h3>Clusters (\(escapeHTML(clusters.cluster)))</h3>\n<p>Each covariate averaged per \(escapeHTML(clusters.cluster)) over "
                    + "its families, the arms compared across the clusters\(counts), as they were randomised; means and SDs are of the "
                    + "cluster means, unweighted.</p>\n" + balanceTable(clusters.table, policy: p)
            } else {
                body += balanceTable(balance, policy: p)
            }
            body += "</section>\n"
        }
        if !r.attrition.isEmpty {
            body += "<section>\n<h2>4. Follow-up and attrition</h2>\n<table><thead><tr><th>Wave</th><th>Control responded</th><th>Intervention responded</th><th>Differential attrition</th><th>Lee bounds</th></tr></thead><tbody>\n"
            for a in r.attrition {
                let bounds = a.leeBounds.map { "\(escapeHTML($0.outcome)): [\(NumberFormat.fixed($0.lower, 3)), \(NumberFormat.fixed($0.upper, 3))]" }.joined(separator: "<br>")
                body += "<tr><th scope=\"row\">\(escapeHTML(a.wave))</th><td>\(attrition(counts, a, "control"))</td><td>\(attrition(counts, a, "intervention"))</td><td>\(a.differential.map { escapeHTML(testText($0)) }.joined(separator: "<br>"))</td><td>\(bounds)</td></tr>\n"
            }
            body += "</tbody></table>\n</section>\n"
        }
        body += "<section>\n<h2>5. Effects</h2>\n" + EffectTableWriter.html(r.effects, policy: p) + "</section>\n"
        body += "<section class=\"figure\">\n<h2>6. Forest plot</h2>\n" + ForestPlot.svg(r.effects, policy: p) + "</section>\n"
        if !r.subgroups.isEmpty {
            body += "<section>\n<h2>7. Pre-specified subgroups</h2>\n<table><thead><tr><th>Outcome</th><th>Wave</th><th>Subgroup</th><th>Effect by level (SE)</th><th>Interaction p</th></tr></thead><tbody>\n"
            for s in r.subgroups {
                let levels = s.levels.map { "\(escapeHTML($0.level)): \(NumberFormat.fixed($0.estimate.estimate, 3)) (\(NumberFormat.fixed($0.estimate.stdError, 3)))" }.joined(separator: "<br>")
                body += "<tr><th scope=\"row\">\(escapeHTML(s.outcome))</th><td>\(escapeHTML(s.wave))</td><td>\(escapeHTML(s.subgroup))</td><td>\(levels)</td><td>\(NumberFormat.pValue(s.interactionP))</td></tr>\n"
            }
            body += "</tbody></table>\n</section>\n"
        }
        if let sensitivity = r.sensitivity {
            body += "<section>\n<h2>\(r.subgroups.isEmpty ? 7 : 8). Sensitivity analyses</h2>\n" + SensitivityTableWriter.html(sensitivity) + "</section>\n"
        }
        let prov = r.provenance
        body += "<section class=\"provenance\">\n<h2>Reproducibility</h2>\n<ul>"
        body += "<li>Software: \(escapeHTML(prov.software))</li>"
        body += "<li>Design: \(escapeHTML(prov.designFile)) (SHA-256 \(escapeHTML(prov.designFingerprint)))</li>"
        for s in prov.seeds { body += "<li>\(escapeHTML(s))</li>" }
        for d in prov.dataFingerprints { body += "<li>Data \(escapeHTML(d.id)): SHA-256 \(escapeHTML(d.label))</li>" }
        body += "<li>Generated on \(escapeHTML(prov.generatedOn))</li>"
        if p.isActive {
            body += "<li>Cells with fewer than \(p.threshold) families are suppressed in this report (shown as “&lt;\(p.threshold)” or “suppressed”), "
                + "and so are the counts from which one could be worked out by adding or subtracting (shown as “not shown”).</li>"
        }
        body += "</ul>\n</section>\n"

        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escapeHTML(r.title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    /// "46 of 57": an arm's responded and allocated at a wave, from the report's disclosed counts.
    static func attrition(_ counts: DisclosedCounts, _ a: AttritionRow, _ side: String) -> String {
        "\(counts.text(ReportLedger.attrition(a.wave, side, "responded"))) of \(counts.text(ReportLedger.attrition(a.wave, side, "allocated")))"
    }

    /// A baseline balance table with its omnibus test.
    static func balanceTable(_ balance: BalanceTable, policy p: SmallCellPolicy) -> String {
        var body = "<table><thead><tr><th>Covariate</th><th>Control mean (SD)</th><th>Intervention mean (SD)</th><th>Std. difference</th></tr></thead><tbody>\n"
        for row in balance.rows {
            let hide = p.suppressesSummaries(of: row)
            func cell(_ a: ArmSummary) -> String { hide ? "suppressed" : "\(NumberFormat.fixed(a.mean, 3)) (\(NumberFormat.fixed(a.sd, 3)))" }
            body += "<tr><th scope=\"row\">\(escapeHTML(row.label))</th><td>\(cell(row.control))</td><td>\(cell(row.intervention))</td><td>\(NumberFormat.fixed(row.standardizedDifference, 3))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        if let t = balance.omnibus { body += "<p>\(escapeHTML(testText(t))).</p>\n" }
        return body
    }

    static func testText(_ t: TestResult) -> String {
        "\(t.name): \(NumberFormat.fixed(t.statistic, 2)) (df \(t.df)), p = \(NumberFormat.pValue(t.pValue))"
    }

    static let style = """
    body { font-family: Helvetica, Arial, sans-serif; color: #222; max-width: 1400px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
    h1 { font-size: 1.6em; margin-bottom: 0.2em; }
    h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.8em; }
    h3 { font-size: 1.05em; margin-bottom: 0.3em; }
    .sub { color: #555; margin: 0.2em 0; }
    table { border-collapse: collapse; font-size: 0.82em; margin: 0.5em 0; }
    th, td { padding: 3px 7px; border-bottom: 1px solid #e3e3e3; text-align: right; vertical-align: top; }
    th[scope=row] { text-align: left; font-weight: normal; max-width: 22em; }
    thead th { border-bottom: 2px solid #555; background: #f4f6f8; }
    th.wave { text-align: center; }
    tr.received th, tr.received td { font-style: italic; color: #444; }
    td.suppressed { color: #999; }
    table.effects td { white-space: nowrap; }
    table.effects { font-size: 0.72em; }
    table.effects th, table.effects td { padding: 3px 4px; }
    table.effects thead th { white-space: normal; vertical-align: bottom; }
    table.effects th[scope=row] { min-width: 12em; white-space: normal; }
    section.family { overflow-x: auto; }
    ul.notes { font-size: 0.8em; color: #555; margin-top: 0.2em; }
    .figure svg { max-width: 100%; height: auto; }
    .provenance { font-size: 0.85em; color: #444; }
    @media screen and (max-width: 1100px) { table.effects { font-size: 0.66em; } table.effects td { white-space: normal; } table.effects th, table.effects td { padding: 2px 2px; } table.effects th[scope=row] { min-width: 7em; } }
    @page { size: A4; margin: 16mm 12mm 18mm 12mm; }
    @media print { body { margin: 0; max-width: none; } table.effects { font-size: 0.65em; } section.family { overflow: visible; } section { page-break-inside: avoid; } h2 { page-break-after: avoid; } table, .figure svg { break-inside: avoid; } }
    """
}
